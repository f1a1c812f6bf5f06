package io.anytext2.sdk.prompt;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Which line embedding lands on which token position (MODEL.md §3.3, {@code EmbeddingManager.forward}
 * with its per-sample cursor). One assignment covers the rows that share a cursor: all chunks of
 * an image caption, or the single row of a text caption (the cursor restarts at line 0 for the text
 * caption). In each row, in order, the positions holding the placeholder id receive the next unused
 * lines.
 * Immutable.
 */
public final class PlaceholderAssignment {

  public static final int NO_LINE = -1;

  private final int[][] lineAt;
  private final int linesUsed;

  private PlaceholderAssignment(int[][] lineAt, int linesUsed) {
    this.lineAt = lineAt;
    this.linesUsed = linesUsed;
  }

  /**
   * Assigns lines to the placeholder positions of {@code rows} with one cursor.
   *
   * @throws IllegalArgumentException when the rows hold more placeholders than {@code lineCount}
   *     (the original fails there too, except that with exactly one line left it silently copies that
   *     line to every placeholder of the row — a broadcast quirk not reproduced)
   */
  public static PlaceholderAssignment assign(long[][] rows, int placeholderId, int lineCount) {
    if (lineCount < 0) {
      throw new IllegalArgumentException("expected a line count >= 0, found " + lineCount);
    }
    int[][] lineAt = new int[rows.length][];
    int cursor = 0;
    for (int r = 0; r < rows.length; r++) {
      lineAt[r] = new int[rows[r].length];
      Arrays.fill(lineAt[r], NO_LINE);
      for (int pos = 0; pos < rows[r].length; pos++) {
        if (rows[r][pos] == placeholderId) {
          if (cursor >= lineCount) {
            throw new IllegalArgumentException("expected at most " + lineCount + " placeholder(s) for " + lineCount
                + " line(s), found more (row " + r + ", position " + pos + ")");
          }
          lineAt[r][pos] = cursor++;
        }
      }
    }
    return new PlaceholderAssignment(lineAt, cursor);
  }

  /** The line placed at {@code position} of row {@code row}, or {@link #NO_LINE}. */
  public int lineAt(int row, int position) {
    return lineAt[row][position];
  }

  /** How many lines the rows consume; lines from this index on are unused. */
  public int linesUsed() {
    return linesUsed;
  }

  /** The positions of row {@code row} that receive a line, ascending. */
  public int[] positions(int row) {
    return IntStream.range(0, lineAt[row].length).filter(p -> lineAt[row][p] != NO_LINE).toArray();
  }

  /** The line indices received by row {@code row}, in position order. */
  public int[] lines(int row) {
    return Arrays.stream(lineAt[row]).filter(l -> l != NO_LINE).toArray();
  }

  public int rowCount() {
    return lineAt.length;
  }
}
