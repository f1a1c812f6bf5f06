package io.anytext2.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CaptionsTest {

  @Test
  void shortCaptionsAreOnlyCutAt500CodePoints() {
    assertEquals("A red sign. ", Captions.truncate("A red sign. ", 128, new Random(1)));
    String longWord = "x".repeat(600);
    assertEquals(500, Captions.truncate(longWord, 128, new Random(1)).length());
  }

  @Test
  void longCaptionsKeepTheFirstSentenceAndAWordBudget() {
    StringBuilder sb = new StringBuilder("first sentence here");
    for (int s = 0; s < 10; s++) {
      sb.append(". ").append("w".repeat(1)).append(" w".repeat(9));
    }
    String caption = sb.append(". ").toString(); // 3 + 100 words, under 500 chars
    String out = Captions.truncate(caption, 20, new Random(3));
    assertTrue(out.startsWith("first sentence here. "), out);
    assertTrue(Captions.words(out).length <= 21, out); // 20 words + the "." word when cut
    String first = Captions.truncate("one two three four five. six seven", 3, new Random(1));
    assertEquals("one two three", first);
  }

  @Test
  void textCaptionHasOnePlaceholderPerLine() {
    Random rng = new Random(0);
    for (int n = 1; n <= 5; n++) {
      String c = Captions.textCaption(n, rng);
      assertEquals(n, c.chars().filter(ch -> ch == '*').count());
      assertTrue(c.endsWith(n == 1 ? " * . " : "* , * . "), c);
    }
    assertEquals(6, Captions.PHRASES.size());
    assertTrue(Captions.PHRASES.contains("Text:  "));
  }
}
