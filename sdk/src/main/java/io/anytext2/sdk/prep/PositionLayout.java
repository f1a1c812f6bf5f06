package io.anytext2.sdk.prep;

import java.util.List;
import java.util.Optional;

/**
 * The text positions of a request: every detected component in line order (the first n are the
 * lines of an n-line request) and the hint, the union of all of them (MODEL.md §2.6 step 7; extra
 * components beyond the lines still count for the hint and the masked image, §6 item 30).
 */
public record PositionLayout(int width, int height, List<LinePlacement> placements, Mask hint) {

  public PositionLayout {
    placements = List.copyOf(placements);
    if (hint.width() != width || hint.height() != height) {
      throw new IllegalArgumentException(
          "expected a "
              + width
              + "x"
              + height
              + " hint, found "
              + hint.width()
              + "x"
              + hint.height());
    }
  }

  /**
   * The placement of line j, or empty when there is none (no position was found at all; the
   * original then renders nothing for that line and uses an all-zero position).
   */
  public Optional<LinePlacement> line(int j) {
    return j < placements.size() ? Optional.of(placements.get(j)) : Optional.empty();
  }

  /** Position mask of line j: its mask, or all zeros when it has no placement. */
  public Mask positionMask(int j) {
    return line(j).map(LinePlacement::mask).orElseGet(() -> Mask.empty(width, height));
  }

  /**
   * The original's check (MODEL.md §2.6 step 5): fewer positions than lines is an error, except for
   * the "no text" request (one line whose text is a single space).
   */
  public void requireLinesFor(List<String> texts) {
    boolean textless = texts.size() == 1 && texts.get(0).equals(" ");
    if (placements.size() < texts.size() && !textless) {
      throw new IllegalArgumentException(
          "expected at least " + texts.size() + " text positions, found " + placements.size());
    }
  }
}
