package io.anytext2.sdk.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled openai/clip-vit-large-patch14 vocabulary against known CLIP ids (MODEL.md §3.2). */
class ClipTokenizerTest {

  private final ClipTokenizer clip = ClipTokenizer.bundled();

  @Test
  void bundledVocabularyHasClipSizeAndSpecialIds() {
    assertEquals(49408, clip.vocabSize());
    assertEquals(49406, clip.bosId());
    assertEquals(49407, clip.eosId());
    assertEquals(49407, clip.padId());
    assertEquals(0, clip.tokenId("!"));
    assertEquals(256, clip.tokenId("!</w>"));
    assertEquals(49405, clip.tokenId("jekyll</w>")); // the last merge
  }

  @Test
  void encodesKnownClipIds() {
    assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407}, clip.encode("a photo of a cat"));
    assertArrayEquals(new int[] {49406, 320, 1929, 49407}, clip.encode("A  dog "));
  }

  @Test
  void placeholderIsStarWordButNotStarWithPunctuation() {
    assertArrayEquals(new int[] {49406, 265, 49407}, clip.encode("*"));
    assertEquals(265, clip.placeholderId("*"));
    // punctuation runs are one piece: "*," and "*." are single tokens that are not the placeholder
    assertArrayEquals(new int[] {49406, 41895, 49407}, clip.encode("*,"));
    assertArrayEquals(new int[] {49406, 31304, 49407}, clip.encode("*."));
    int[] ids = clip.encode("Texts are *, * and *.");
    assertEquals(List.of("texts</w>", "are</w>", "*,</w>", "*</w>", "and</w>", "*.</w>"),
        clip.tokenize("Texts are *, * and *."));
    assertEquals(1, Arrays.stream(ids).filter(id -> id == 265).count());
  }

  @Test
  void placeholderOfSeveralTokensIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clip.placeholderId("two words"));
    assertTrue(e.getMessage().contains("single token"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> clip.placeholderId(""));
  }

  @Test
  void normalizationFollowsFtfyWhitespaceAndLowerCase() {
    assertArrayEquals(clip.encode("\"hello\" hello fine it's"), clip.encode("“Hello”\t\u3000ＨＥＬＬＯ ﬁne it’s"));
    assertArrayEquals(clip.encode("tom & jerry"), clip.encode("Tom &amp; Jerry"));
    assertArrayEquals(clip.encode("ab red"), clip.encode("a\u0000b\u007f \u001b[31mred\u001b[0m"));
    // contractions split off after lower-casing: "IT'S" -> it + 's
    assertEquals(List.of("it</w>", "'s</w>"), clip.tokenize("IT'S"));
  }

  @Test
  void specialTokensInTextMapToTheirIds() {
    assertArrayEquals(new int[] {49406, 320, 49407, 2368, 49407}, clip.encode("a<|endoftext|>cat"));
    assertArrayEquals(new int[] {49406, 49406, 2368, 49407}, clip.encode("<|startoftext|> cat"));
  }

  @Test
  void paddedEncodingTruncatesKeepingEos() {
    long[] shortIds = clip.encodePadded("a photo of a cat", 77);
    assertEquals(77, shortIds.length);
    assertArrayEquals(new long[] {49406, 320, 1125, 539, 320, 2368, 49407, 49407}, Arrays.copyOf(shortIds, 8));
    String longText = "cat ".repeat(100);
    long[] longIds = clip.encodePadded(longText, 77);
    assertEquals(49406, longIds[0]);
    assertEquals(2368, longIds[75]);
    assertEquals(49407, longIds[76]);
    assertThrows(IllegalArgumentException.class, () -> clip.encodePadded("cat", 1));
  }

  @Test
  void chunksFollowSplitChunks() {
    long[][] empty = clip.encodeChunks("");
    assertEquals(1, empty.length);
    assertEquals(49406, empty[0][0]);
    assertTrue(Arrays.stream(empty[0], 1, 77).allMatch(id -> id == 49407));

    long[][] exact = clip.encodeChunks("cat ".repeat(75));
    assertEquals(1, exact.length);
    assertEquals(2368, exact[0][75]);
    assertEquals(49407, exact[0][76]);

    // 76 body tokens: one full chunk, then BOS + the last token + EOS padding
    long[][] two = clip.encodeChunks("cat ".repeat(75) + "dog");
    assertEquals(2, two.length);
    assertEquals(77, two[1].length);
    assertArrayEquals(new long[] {49406, 1929, 49407, 49407}, Arrays.copyOf(two[1], 4));
    assertEquals(49407, two[1][76]);

    long[][] small = clip.encodeChunks("cat dog cat", 2);
    assertEquals(2, small.length);
    assertArrayEquals(new long[] {49406, 2368, 1929, 49407}, small[0]);
    assertArrayEquals(new long[] {49406, 2368, 49407, 49407}, small[1]);
  }

  @Test
  void loadsVocabJsonAndMergesFromStreams() throws IOException {
    // a 2-merge vocabulary in the transformers layout: bytes, bytes + </w>, merges, specials
    StringBuilder vocab = new StringBuilder("{");
    List<String> symbols = ByteLevelAlphabet.symbolsInVocabOrder();
    int id = 0;
    for (String s : symbols) {
      vocab.append(jsonString(s)).append(':').append(id++).append(',');
    }
    for (String s : symbols) {
      vocab.append(jsonString(s + "</w>")).append(':').append(id++).append(',');
    }
    for (String merged : List.of("ca", "cat</w>")) {
      vocab.append(jsonString(merged)).append(':').append(id++).append(',');
    }
    vocab.append("\"<|startoftext|>\":").append(id++).append(",\"<|endoftext|>\":").append(id).append('}');
    String merges = "#version: 0.2\nc a\nca t</w>\n";
    ClipTokenizer tiny = ClipTokenizer.load(
        new ByteArrayInputStream(vocab.toString().getBytes(StandardCharsets.UTF_8)),
        new ByteArrayInputStream(merges.getBytes(StandardCharsets.UTF_8)));
    assertEquals(516, tiny.vocabSize());
    assertEquals(514, tiny.bosId());
    assertEquals(515, tiny.eosId());
    assertArrayEquals(new int[] {514, 513, 515}, tiny.encode("Cat"));
    assertEquals(List.of("ca", "t", "s</w>"), tiny.tokenize("cats"));
    assertArrayEquals(new int[] {512, symbols.indexOf("t"), 256 + symbols.indexOf("s")}, tiny.encodeBody("cats"));
    assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(
        new ByteArrayInputStream("{\"a\":0}".getBytes(StandardCharsets.UTF_8)),
        new ByteArrayInputStream(merges.getBytes(StandardCharsets.UTF_8))));
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
