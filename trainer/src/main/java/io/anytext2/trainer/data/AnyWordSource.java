package io.anytext2.trainer.data;

import java.nio.file.Path;

/**
 * One annotation file of a training mix with the share of it to use (TRAINING.md §1.5): the
 * first ⌊n·percent⌋+1 kept entries (a prefix, not a random subset; all of them for 1.0).
 */
public record AnyWordSource(Path json, double percent) {

  public AnyWordSource {
    if (json == null) {
      throw new IllegalArgumentException("expected an annotation file path, found none");
    }
    if (!(percent > 0 && percent <= 1)) {
      throw new IllegalArgumentException("expected a percent in (0, 1], found " + percent);
    }
  }

  /** The whole file. */
  public static AnyWordSource of(Path json) {
    return new AnyWordSource(json, 1.0);
  }

  /**
   * Parses {@code FILE} or {@code FILE:PERCENT} (e.g. {@code laion.json:0.25}); a suffix that is
   * not a number is taken as part of the path.
   */
  public static AnyWordSource parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon > 0) {
      String tail = spec.substring(colon + 1);
      try {
        return new AnyWordSource(Path.of(spec.substring(0, colon)), Double.parseDouble(tail));
      } catch (NumberFormatException e) {
        // not a percent: the colon belongs to the path
      }
    }
    return of(Path.of(spec));
  }
}
