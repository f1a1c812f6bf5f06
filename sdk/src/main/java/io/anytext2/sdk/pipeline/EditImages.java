package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.prep.RgbImage;

/**
 * The working copy of a picture to edit (MODEL.md §2.5): values clipped to [1, 255] (so picture
 * content stays below the position threshold), scaled down to at most 1024 on the long side, then
 * cut down to multiples of 64 by a bilinear resize (half-pixel centres, as OpenCV's INTER_LINEAR).
 */
public final class EditImages {
  public static final int MAX_SIDE = 1024;

  private EditImages() {}

  public static RgbImage workingCopy(RgbImage img) {
    int w = img.width();
    int h = img.height();
    if (Math.max(w, h) > MAX_SIDE) {
      double f = MAX_SIDE / (double) Math.max(w, h);
      w = (int) Math.round(w * f); // Python round() of a non-.5 value; .5 cases differ by one pixel at most
      h = (int) Math.round(h * f);
    }
    w -= w % 64;
    h -= h % 64;
    if (w < 64 || h < 64) {
      throw new IllegalArgumentException("picture is " + img.width() + "x" + img.height() + "; editing needs at least 64x64");
    }
    RgbImage out = img.width() == w && img.height() == h ? img : resizeBilinear(img, w, h);
    byte[] p = out.pixels().clone();
    for (int i = 0; i < p.length; i++) if (p[i] == 0) p[i] = 1;
    return new RgbImage(w, h, p);
  }

  /** The position/mask image at the working size (bilinear, like the original). */
  public static RgbImage resizeMask(RgbImage mask, int w, int h) {
    return mask.width() == w && mask.height() == h ? mask : resizeBilinear(mask, w, h);
  }

  /** OpenCV INTER_LINEAR semantics for down- and up-scaling: sample at (x + 0.5)·s − 0.5, edge clamped. */
  static RgbImage resizeBilinear(RgbImage img, int w, int h) {
    int sw = img.width();
    int sh = img.height();
    byte[] src = img.pixels();
    byte[] out = new byte[w * h * 3];
    double sx = sw / (double) w;
    double sy = sh / (double) h;
    for (int y = 0; y < h; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      double ay = fy - y0;
      for (int x = 0; x < w; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, sw - 1);
        int x1 = Math.min(x0 + 1, sw - 1);
        double ax = fx - x0;
        for (int c = 0; c < 3; c++) {
          double v = (1 - ay) * ((1 - ax) * (src[(y0 * sw + x0) * 3 + c] & 0xff) + ax * (src[(y0 * sw + x1) * 3 + c] & 0xff))
              + ay * ((1 - ax) * (src[(y1 * sw + x0) * 3 + c] & 0xff) + ax * (src[(y1 * sw + x1) * 3 + c] & 0xff));
          out[(y * w + x) * 3 + c] = (byte) Math.min(255, Math.max(0, Math.round(v)));
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
