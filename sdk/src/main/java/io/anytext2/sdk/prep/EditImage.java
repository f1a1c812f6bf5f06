package io.anytext2.sdk.prep;

/**
 * Edit-mode picture preparation (MODEL.md §2.5): clip to [1, 255] (so image content stays below the
 * position threshold), shrink to at most 1024 px, then to multiples of 64, with OpenCV's 8-bit
 * bilinear resize; the position map is resized to the same size.
 */
public final class EditImage {

  /** Longest side allowed before the picture is scaled down (§2.5 step 3). */
  public static final int MAX_SIDE = 1024;

  /** Output sides are multiples of this (the UNet's requirement). */
  public static final int MULTIPLE = 64;

  private EditImage() {}

  /** The picture the edit request works on; its size is the output size. */
  public static RgbImage prepare(RgbImage original) {
    byte[] px = original.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) Math.max(1, px[i] & 255);
    }
    RgbImage img = new RgbImage(original.width(), original.height(), px);
    int w = img.width();
    int h = img.height();
    int longest = Math.max(w, h);
    if (longest > MAX_SIDE) {
      double f = (double) MAX_SIDE / longest;
      img = resize(img, (int) Math.round(w * f), (int) Math.round(h * f));
      w = img.width();
      h = img.height();
    }
    int tw = w - w % MULTIPLE;
    int th = h - h % MULTIPLE;
    if (tw <= 0 || th <= 0) {
      throw new IllegalArgumentException(
          "expected a picture of at least "
              + MULTIPLE
              + "x"
              + MULTIPLE
              + " px, found "
              + w
              + "x"
              + h);
    }
    return resize(img, tw, th);
  }

  /**
   * {@code cv2.resize(img, (w, h))} (INTER_LINEAR) for 8-bit RGB: half-pixel centres, 11-bit
   * fixed-point weights, and the SIMD rounding of the vertical pass. A same-size resize is a copy.
   * [unverified against OpenCV for sizes that change; the parity fixtures do not resize]
   */
  public static RgbImage resize(RgbImage src, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("expected a positive size, found " + width + "x" + height);
    }
    if (width == src.width() && height == src.height()) {
      return src;
    }
    int[][] xs = taps(src.width(), width);
    int[][] ys = taps(src.height(), height);
    byte[] in = src.raw();
    byte[] out = new byte[width * height * 3];
    int sw = src.width();
    for (int y = 0; y < height; y++) {
      int y0 = ys[0][y];
      int y1 = ys[1][y];
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          int s0 = horizontal(in, sw, y0, xs, x, c);
          int s1 = horizontal(in, sw, y1, xs, x, c);
          int v = (((ys[2][y] * (s0 >> 4)) >> 16) + ((ys[3][y] * (s1 >> 4)) >> 16) + 2) >> 2;
          out[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return new RgbImage(width, height, out);
  }

  private static int horizontal(byte[] in, int sw, int row, int[][] xs, int x, int c) {
    return (in[(row * sw + xs[0][x]) * 3 + c] & 255) * xs[2][x]
        + (in[(row * sw + xs[1][x]) * 3 + c] & 255) * xs[3][x];
  }

  /** Per output index: {source 0, source 1, weight 0, weight 1} with weights summing to 2048. */
  private static int[][] taps(int srcSize, int dstSize) {
    double scale = (double) srcSize / dstSize;
    int[][] t = new int[4][dstSize];
    for (int d = 0; d < dstSize; d++) {
      float f = (float) ((d + 0.5) * scale - 0.5);
      int s = (int) Math.floor(f);
      f -= s;
      if (s < 0) {
        f = 0;
        s = 0;
      }
      if (s >= srcSize - 1) {
        f = 0;
        s = srcSize - 1;
      }
      t[0][d] = s;
      t[1][d] = Math.min(s + 1, srcSize - 1);
      t[2][d] = (int) Math.rint((1f - f) * 2048);
      t[3][d] = (int) Math.rint(f * 2048);
    }
    return t;
  }
}
