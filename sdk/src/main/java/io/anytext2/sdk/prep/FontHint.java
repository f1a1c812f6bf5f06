package io.anytext2.sdk.prep;

import java.util.List;
import java.util.Optional;

/**
 * The shared font-hint canvas the style recognizer crops from (MODEL.md §2.8): the white renderings
 * of every line that has a font file, summed and clipped, optionally with the "hollow" effect
 * (outlined glyphs over a thresholded noise texture).
 */
public final class FontHint {

  /** Noise pixels darker than this are cleared before thresholding (§2.8 step 2). */
  private static final int NOISE_FLOOR = 230;

  private FontHint() {}

  /**
   * The {@code font_hint} tensor {@code [1, H, W]} in 0..1.
   *
   * @param lineRenders the white {@code draw_glyph2} renderings ({@code [3, H, W]}, 0..1) of the
   *     lines that have a font file (lines without one, and mimic lines, add nothing)
   * @param hollowNoise the prepared noise texture ({@link #hollowNoise}) to apply the hollow effect
   *     with, or empty for a plain canvas
   */
  public static FloatImage canvas(
      int width, int height, List<FloatImage> lineRenders, Optional<GrayImage> hollowNoise) {
    int plane = width * height;
    double[] fg = new double[plane];
    for (FloatImage r : lineRenders) {
      if (r.width() != width || r.height() != height) {
        throw new IllegalArgumentException(
            "expected " + width + "x" + height + " renders, found " + r.width() + "x" + r.height());
      }
      float[] v = r.raw();
      for (int i = 0; i < plane; i++) {
        fg[i] += v[i]; // channel 0
      }
    }
    boolean any = false;
    for (int i = 0; i < plane; i++) {
      fg[i] = Math.max(0, Math.min(1, fg[i])) * 255;
      any |= fg[i] > 0;
    }
    double[] img = fg;
    if (hollowNoise.isPresent() && any) {
      img = hollow(fg, width, height, hollowNoise.get());
    }
    float[] out = new float[plane];
    for (int i = 0; i < plane; i++) {
      out[i] = (float) (img[i] / 255);
    }
    return new FloatImage(1, height, width, out);
  }

  /**
   * The hollow effect's texture from the original's {@code font/bg_noise.png} (read as RGB here):
   * grey, resized to the canvas, values below 230 cleared, adaptive-thresholded.
   */
  public static GrayImage hollowNoise(RgbImage bgNoise, int width, int height) {
    GrayImage gray = ImageFilters.rgbToGray(EditImage.resize(bgNoise, width, height));
    byte[] v = gray.values();
    for (int i = 0; i < v.length; i++) {
      if ((v[i] & 255) < NOISE_FLOOR) {
        v[i] = 0;
      }
    }
    return ImageFilters.adaptiveThreshold(new GrayImage(width, height, v));
  }

  private static double[] hollow(double[] fg, int width, int height, GrayImage noise) {
    if (noise.width() != width || noise.height() != height) {
      throw new IllegalArgumentException(
          "expected a "
              + width
              + "x"
              + height
              + " noise texture, found "
              + noise.width()
              + "x"
              + noise.height());
    }
    byte[] fg8 = new byte[fg.length];
    for (int i = 0; i < fg.length; i++) {
      fg8[i] = (byte) (int) fg[i]; // astype(np.uint8) truncates
    }
    GrayImage fgImage = new GrayImage(width, height, fg8);
    byte[] d1 = ImageFilters.dilate(fgImage, 2).raw();
    byte[] d2 = ImageFilters.dilate(fgImage, 3).raw();
    byte[] bg = noise.raw();
    double[] out = new double[fg.length];
    for (int i = 0; i < fg.length; i++) {
      int ring = (d2[i] & 255) - (d1[i] & 255);
      double r = Math.max(0, Math.min(255, fg[i] - (bg[i] & 255) + ring));
      int bgKept = fg[i] > 0 ? 0 : bg[i] & 255;
      out[i] = Math.max(0, Math.min(255, r + bgKept));
    }
    return out;
  }
}
