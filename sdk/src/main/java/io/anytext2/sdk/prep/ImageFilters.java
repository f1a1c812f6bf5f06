package io.anytext2.sdk.prep;

/**
 * The OpenCV 8-bit filters the font-hint paths use, with OpenCV's integer arithmetic (MODEL.md
 * §2.8, §6 item 26): grey conversion, bit-exact Gaussian mean, adaptive threshold and dilation.
 */
public final class ImageFilters {

  /** Adaptive threshold block size and offset used by the original (§2.8). */
  public static final int BLOCK_SIZE = 11;

  public static final int OFFSET = 2;

  private ImageFilters() {}

  /**
   * {@code cv2.cvtColor(img, COLOR_RGB2GRAY)}: {@code (4899 c0 + 9617 c1 + 1868 c2 + 8192) >> 14}
   * on the channels in the order given (use {@link RgbImage#reversedChannels} for BGR input).
   */
  public static GrayImage rgbToGray(RgbImage img) {
    byte[] px = img.raw();
    byte[] out = new byte[img.width() * img.height()];
    for (int i = 0; i < out.length; i++) {
      int v =
          (px[3 * i] & 255) * 4899 + (px[3 * i + 1] & 255) * 9617 + (px[3 * i + 2] & 255) * 1868;
      out[i] = (byte) ((v + (1 << 13)) >> 14);
    }
    return new GrayImage(img.width(), img.height(), out);
  }

  /**
   * {@code cv2.GaussianBlur(src, (11, 11), 0, borderType=BORDER_REPLICATE)} for 8-bit images,
   * OpenCV's bit-exact fixed-point path: the kernel (sigma 2.0) in 8-bit fractions summing to
   * exactly 256, a horizontal then a vertical pass in integers, rounding once at the end.
   */
  public static GrayImage gaussianMean(GrayImage src) {
    int[] k = gaussianKernelFixed(BLOCK_SIZE);
    int r = BLOCK_SIZE / 2;
    int w = src.width();
    int h = src.height();
    byte[] s = src.raw();
    int[] rows = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int acc = 0;
        for (int i = 0; i < BLOCK_SIZE; i++) {
          int xx = Math.min(w - 1, Math.max(0, x + i - r));
          acc += k[i] * (s[y * w + xx] & 255);
        }
        rows[y * w + x] = acc;
      }
    }
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        long acc = 0;
        for (int i = 0; i < BLOCK_SIZE; i++) {
          int yy = Math.min(h - 1, Math.max(0, y + i - r));
          acc += (long) k[i] * rows[yy * w + x];
        }
        out[y * w + x] = (byte) Math.min(255, (acc + (1 << 15)) >> 16);
      }
    }
    return new GrayImage(w, h, out);
  }

  /**
   * OpenCV's {@code getGaussianKernelBitExact} for sigma 0 (so sigma = 0.15 n + 0.35): samples of
   * exp(-x²/(2σ²)) normalised, rounded to 1/256, the centre taking what makes the sum 256.
   */
  static int[] gaussianKernelFixed(int n) {
    double sigma = n * 0.15 + 0.35;
    double scale2 = -0.5 * 0.25 / (sigma * sigma);
    int half = (n - 1) / 2;
    double[] values = new double[half];
    double sum = 0;
    for (int i = 0, x = 1 - n; i < half; i++, x += 2) {
      values[i] = Math.exp(x * x * scale2);
      sum += values[i];
    }
    sum = sum * 2 + 1;
    int[] k = new int[n];
    int sumK = 0;
    for (int i = 0; i < half; i++) {
      int v = (int) Math.rint(values[i] / sum * 256);
      k[i] = v;
      k[n - 1 - i] = v;
      sumK += 2 * v;
    }
    k[half] = 256 - sumK;
    return k;
  }

  /**
   * {@code cv2.adaptiveThreshold(src, 255, ADAPTIVE_THRESH_GAUSSIAN_C, THRESH_BINARY, 11, 2)}: 255
   * where {@code src - gaussianMean(src) > -2}, else 0.
   */
  public static GrayImage adaptiveThreshold(GrayImage src) {
    GrayImage mean = gaussianMean(src);
    byte[] s = src.raw();
    byte[] m = mean.raw();
    byte[] out = new byte[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (s[i] & 255) - (m[i] & 255) > -OFFSET ? (byte) 255 : 0;
    }
    return new GrayImage(src.width(), src.height(), out);
  }

  /**
   * {@code cv2.dilate(src, np.ones((k, k)))} with the default anchor (k / 2) and the default border
   * (which never wins a maximum): the maximum over offsets {@code -k/2 .. k - 1 - k/2}.
   */
  public static GrayImage dilate(GrayImage src, int k) {
    int w = src.width();
    int h = src.height();
    int lo = -(k / 2);
    int hi = k - 1 - k / 2;
    byte[] s = src.raw();
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int max = 0;
        for (int dy = lo; dy <= hi; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= h) {
            continue;
          }
          for (int dx = lo; dx <= hi; dx++) {
            int xx = x + dx;
            if (xx >= 0 && xx < w) {
              max = Math.max(max, s[yy * w + xx] & 255);
            }
          }
        }
        out[y * w + x] = (byte) max;
      }
    }
    return new GrayImage(w, h, out);
  }
}
