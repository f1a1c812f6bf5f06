package io.anytext2.sdk.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.tokenize.ClipTokenizer;
import org.junit.jupiter.api.Test;

/** The embedding manager's per-sample cursor (MODEL.md §3.3). */
class PlaceholderAssignmentTest {

  private static final int STAR = 265;

  @Test
  void placeholdersTakeLinesInOrder() {
    long[][] row = {{49406, 682, STAR, 542, STAR, 49407}};
    PlaceholderAssignment a = PlaceholderAssignment.assign(row, STAR, 3);
    assertArrayEquals(new int[] {2, 4}, a.positions(0));
    assertArrayEquals(new int[] {0, 1}, a.lines(0));
    assertEquals(1, a.lineAt(0, 4));
    assertEquals(PlaceholderAssignment.NO_LINE, a.lineAt(0, 3));
    assertEquals(2, a.linesUsed());
  }

  @Test
  void chunksShareOneCursor() {
    long[][] chunks = {{49406, STAR, 49407}, {49406, 7, STAR, STAR, 49407}};
    PlaceholderAssignment a = PlaceholderAssignment.assign(chunks, STAR, 3);
    assertArrayEquals(new int[] {0}, a.lines(0));
    assertArrayEquals(new int[] {1, 2}, a.lines(1));
    assertArrayEquals(new int[] {2, 3}, a.positions(1));
    assertEquals(2, a.rowCount());
  }

  @Test
  void morePlaceholdersThanLinesIsAnError() {
    long[][] chunks = {{STAR, STAR}, {STAR}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlaceholderAssignment.assign(chunks, STAR, 2));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
  }

  @Test
  void captionWithoutPlaceholdersUsesNoLine() {
    ClipTokenizer clip = ClipTokenizer.bundled();
    // "*," is one token (41895), not the placeholder: its line is silently not injected (MODEL.md §3.2 quirk)
    long[][] text = {clip.encodePadded("Texts are *, * and *.", 77)};
    PlaceholderAssignment a = PlaceholderAssignment.assign(text, clip.placeholderId("*"), 3);
    assertArrayEquals(new int[] {4}, a.positions(0));
    assertEquals(1, a.linesUsed());
    PlaceholderAssignment none = PlaceholderAssignment.assign(new long[][] {clip.encodePadded("", 77)}, 265, 0);
    assertEquals(0, none.linesUsed());
  }
}
