package io.anytext2.eval.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtcGreedyDecoderTest {

  /** Scores [T, K] with a 1 at the given class of each step and small noise elsewhere. */
  static float[] oneHot(int classes, int... path) {
    float[] s = new float[path.length * classes];
    for (int t = 0; t < path.length; t++) {
      for (int k = 0; k < classes; k++) s[t * classes + k] = -0.01f * ((t + k) % 5);
      s[t * classes + path[t]] = 3f;
    }
    return s;
  }

  @Test
  void mergesRepeatsDropsBlanksAndKeepsDoubleLettersSeparatedByBlank() {
    OcrDictionary d = OcrDictionary.of(List.of("H", "E", "L", "O"));
    int k = d.size() + 2; // blank + 4 + space
    // H H _ E L _ L L O O _ : "HELLO" needs the blank between the two L
    float[] s = oneHot(k, 1, 1, 0, 2, 3, 0, 3, 3, 4, 4, 0);
    assertArrayEquals(new int[] {1, 2, 3, 3, 4}, CtcGreedyDecoder.bestPath(s, 0, 11, k));
    assertEquals("HELLO", new CtcGreedyDecoder(d).decode(s, 0, 11, k));
    // without the blank the two L merge
    assertEquals("HELO", new CtcGreedyDecoder(d).decode(oneHot(k, 1, 2, 3, 3, 4), 0, 5, k));
  }

  @Test
  void lastClassIsSpaceWithUseSpaceCharAndBatchItemsAreIndependent() {
    OcrDictionary d = OcrDictionary.of(List.of("A", "B"));
    int k = 4; // blank, A, B, space
    float[] two = new float[2 * 3 * k];
    System.arraycopy(oneHot(k, 1, 3, 2), 0, two, 0, 3 * k);
    System.arraycopy(oneHot(k, 2, 2, 0), 0, two, 3 * k, 3 * k);
    CtcGreedyDecoder dec = new CtcGreedyDecoder(d);
    assertEquals("A B", dec.decode(two, 0, 3, k));
    assertEquals("B", dec.decode(two, 1, 3, k));
    assertEquals("AB", dec.decode(oneHot(3, 1, 2), 0, 2, 3), "a head without the space class");
  }

  @Test
  void headThatDoesNotFitTheDictionaryIsRejected() {
    OcrDictionary d = OcrDictionary.of(List.of("A", "B"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CtcGreedyDecoder(d).decode(oneHot(7, 1), 0, 1, 7));
    assertEquals("expected a recognizer with 3 or 4 classes for this 2-character dictionary, found 7", e.getMessage());
  }

  @Test
  void dictionaryFileKeepsASpaceLineAndStripsOnlyLineBreaks(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("dict.txt");
    Files.write(f, "a\r\nb\n \nc".getBytes(StandardCharsets.UTF_8));
    OcrDictionary d = OcrDictionary.read(f);
    assertEquals(4, d.size());
    assertEquals(" ", d.ctcLabel(3, 6));
    assertEquals("c", d.ctcLabel(4, 6));
    assertEquals(" ", d.ctcLabel(5, 6));
    // NED ids: ['sos', a, b, ' ', c, ' '] -> ' ' takes its last index (5), unknown too
    assertArrayEquals(new int[] {1, 2, 5, 4, 5}, d.nedIds("ab cz"));
  }
}
