package io.anytext2.eval.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextMetricsTest {
  private static final OcrDictionary DICT = OcrDictionary.of(List.of("a", "b", "c", "d", "H", "E", "L", "O", " "));

  @Test
  void levenshteinOfHandCases() {
    assertEquals(0, TextMetrics.levenshtein(new int[] {}, new int[] {}));
    assertEquals(3, TextMetrics.levenshtein(new int[] {}, new int[] {1, 2, 3}));
    assertEquals(1, TextMetrics.levenshtein(new int[] {1, 2, 3}, new int[] {1, 2, 4}));
    assertEquals(1, TextMetrics.levenshtein(new int[] {1, 2, 3}, new int[] {1, 3}));
    // kitten -> sitting: 3 edits
    assertEquals(3, TextMetrics.levenshtein("kitten".chars().toArray(), "sitting".chars().toArray()));
  }

  @Test
  void nedIsOneMinusDistanceOverLongerLength() {
    assertEquals(1 - 1 / (3 + 1e-5), TextMetrics.ned(DICT, "abd", "abc"), 1e-12);
    assertEquals(1 - 2 / (4 + 1e-5), TextMetrics.ned(DICT, "ab", "abcd"), 1e-12);
    assertEquals(1.0, TextMetrics.ned(DICT, "", ""), 0);
    assertEquals(1 - 5 / (5 + 1e-5), TextMetrics.ned(DICT, "", "HELLO"), 1e-12);
  }

  @Test
  void unknownCharactersCollapseOntoTheSpaceIdForNedButNotForSentenceAccuracy() {
    // 'x' and '€' are not in the dictionary: both map to the id of the final ' ', so NED sees no difference
    assertEquals(1.0 - 0 / (2 + 1e-5), TextMetrics.ned(DICT, "ax", "a€"), 1e-12);
    assertEquals(1.0, TextMetrics.ned(DICT, "a ", "ax"), 1e-9);
    assertEquals(0, TextMetrics.sentenceMatch("ax", "a€"));
    assertEquals(1, TextMetrics.sentenceMatch("HELLO", "HELLO"));
    assertEquals(0, TextMetrics.sentenceMatch("hello", "HELLO"), "case-sensitive");
    assertEquals(0, TextMetrics.sentenceMatch("HELLO ", "HELLO"), "space-sensitive");
  }

  @Test
  void nedCountsCodePointsNotUtf16Units() {
    OcrDictionary cjk = OcrDictionary.of(List.of("\uD840\uDC00", "中"));
    // one supplementary character vs one BMP character: one substitution over length 1
    assertEquals(1 - 1 / (1 + 1e-5), TextMetrics.ned(cjk, "\uD840\uDC00", "中"), 1e-12);
  }
}
