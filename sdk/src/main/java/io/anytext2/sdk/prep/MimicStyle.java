package io.anytext2.sdk.prep;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * "Mimic From Image" (MODEL.md §2.8, §6 items 31-32): the style input of a line taken from a
 * reference picture and a brush mask over example text. The text pixels (darker than their local
 * Gaussian mean) inside the brushed polygon become 1, a one-pixel line across the polygon is erased
 * at a random place [quirk], and the result is rectified like a font-hint crop.
 */
public final class MimicStyle {

  private MimicStyle() {}

  /**
   * The mimic crop {@code [3, h, w]} in 0..255 for one line.
   *
   * @param reference the reference picture in RGB; like the demo it is used with its channels
   *     reversed (the demo hands it over as BGR and the original converts it with RGB weights)
   * @param brush the brush mask (0..255, any value > 0 is brushed), same size as the picture
   * @param random the Python {@code random} stream; three values are drawn, as in the original
   */
  public static FloatImage crop(RgbImage reference, GrayImage brush, DoubleSupplier random) {
    if (brush.width() != reference.width() || brush.height() != reference.height()) {
      throw new IllegalArgumentException(
          "expected a "
              + reference.width()
              + "x"
              + reference.height()
              + " brush mask, found "
              + brush.width()
              + "x"
              + brush.height());
    }
    Mask brushed = brush.above(0);
    if (brushed.isEmpty()) {
      throw new IllegalArgumentException("expected a brush mask with painted pixels, found none");
    }
    Polygon poly = PositionMasks.outline(brushed).polygon();
    FloatImage hint = textPixels(reference.reversedChannels(), poly, random);
    int plane = hint.height() * hint.width();
    float[] rgb = new float[3 * plane];
    float[] one = hint.raw();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        rgb[c * plane + i] = one[i] * 255f;
      }
    }
    FloatImage src = new FloatImage(3, hint.height(), hint.width(), rgb);
    // The demo's mask is a non-contiguous view, so find_polygon's in-place fill does not reach the
    // mask crop_image sees: crop at the brush mask itself (values > 127).
    return CropRectifier.crop(src, brush.above(127), CropRectifier.Precision.FLOAT64);
  }

  /**
   * {@code draw_font_hint(img / 127.5 - 1, polygon)} (target area ratio 1): returns the {@code [1,
   * H, W]} 0/1 map of text pixels inside the polygon, with the random erased line.
   *
   * @param image the picture with channels in the order the original receives them
   */
  static FloatImage textPixels(RgbImage image, Polygon polygon, DoubleSupplier random) {
    int w = image.width();
    int h = image.height();
    random.getAsDouble(); // "empty font hint" draw (prob = 1.0, never taken)
    int[] xy = polygon.toXy();
    for (int i = 0; i < xy.length; i += 2) {
      xy[i] = Math.max(0, Math.min(w - 1, xy[i]));
      xy[i + 1] = Math.max(0, Math.min(h - 1, xy[i + 1]));
    }
    Polygon clipped = Polygon.of(xy);
    byte[] region = new byte[w * h];
    PolygonRasterizer.fillInto(region, w, h, List.of(clipped), (byte) 1);
    RotatedRect rect = PolygonGeometry.minAreaRect(clipped);
    int[] bb = PolygonGeometry.boundingRect(clipped);
    int bx = bb[0];
    int by = bb[1];
    int bw = bb[2];
    int bh = bb[3];
    // ((v / 127.5 - 1) + 1) / 2 * 255 in float64, truncated to uint8 (can give v - 1).
    byte[] px = image.raw();
    byte[] crop = new byte[bw * bh * 3];
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        for (int c = 0; c < 3; c++) {
          int v = px[((by + y) * w + bx + x) * 3 + c] & 255;
          double scaled = ((v / 127.5 - 1.0) + 1.0) / 2.0;
          crop[(y * bw + x) * 3 + c] = (byte) (int) (scaled * 255);
        }
      }
    }
    GrayImage gray = ImageFilters.rgbToGray(new RgbImage(bw, bh, crop));
    GrayImage thresholded = ImageFilters.adaptiveThreshold(gray);
    double areaRatio = 1.0 + (1.0 - 1.0) * random.getAsDouble(); // random.uniform(1.0, 1.0)
    double longSide = Math.max(rect.width(), rect.height());
    double shortSide = Math.min(rect.width(), rect.height());
    double maskLength = longSide * (1 - areaRatio);
    double rad = Math.toRadians(rect.angle());
    double vx = Math.cos(rad);
    double vy = Math.sin(rad);
    if (rect.width() < rect.height()) {
      double t = vx;
      vx = -vy;
      vy = t;
    }
    double start = (longSide - maskLength) * random.getAsDouble(); // random.uniform(0, L - len)
    double sx = rect.centerX() - vx * (longSide / 2 - start);
    double sy = rect.centerY() - vy * (longSide / 2 - start);
    double mcx = sx + vx * (maskLength / 2);
    double mcy = sy + vy * (maskLength / 2);
    double mvx = vx * (maskLength / 2);
    double mvy = vy * (maskLength / 2);
    double ax = -vy * (shortSide / 2);
    double ay = vx * (shortSide / 2);
    Polygon erased =
        Polygon.of(
            (int) (mcx - mvx - ax), (int) (mcy - mvy - ay),
            (int) (mcx + mvx - ax), (int) (mcy + mvy - ay),
            (int) (mcx + mvx + ax), (int) (mcy + mvy + ay),
            (int) (mcx - mvx + ax), (int) (mcy - mvy + ay));
    PolygonRasterizer.fillInto(region, w, h, List.of(erased), (byte) 0);
    float[] out = new float[w * h];
    byte[] t = thresholded.raw();
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int i = (by + y) * w + bx + x;
        // 1 - T/255 stored into a uint8 array: 1 for text (T = 0), 0 otherwise
        out[i] = region[i] != 0 && t[y * bw + x] == 0 ? 1f : 0f;
      }
    }
    return new FloatImage(1, h, w, out);
  }
}
