package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.Polygon;

/**
 * One valid text line of an AnyWord-3M image (TRAINING.md §1.3) after load-time normalisation
 * (§1.6): the language is one of {@link Languages#ALL} with {@code Chinese} already split into
 * {@code Chinese_sim}/{@code Chinese_tra}, and a missing colour is the sentinel {@code {500,500,500}}.
 *
 * @param polygon the line region in the image's pixel frame (at least 3 vertices)
 * @param text the transcription (any length; cut to 20 code points at sample time)
 * @param language normalised language name
 * @param color {r,g,b} 0..255, or {@link #NO_COLOR}
 */
public record TextAnnotation(Polygon polygon, String text, String language, int[] color) {

  /** The "no colour" sentinel (§1.3, §2.9). */
  public static final int NO_COLOR_VALUE = 500;

  public TextAnnotation {
    if (color.length != 3) {
      throw new IllegalArgumentException("expected 3 colour channels, found " + color.length);
    }
    color = color.clone();
  }

  /** A fresh {@code {500,500,500}} array. */
  public static int[] noColor() {
    return new int[] {NO_COLOR_VALUE, NO_COLOR_VALUE, NO_COLOR_VALUE};
  }

  @Override
  public int[] color() {
    return color.clone();
  }
}
