package io.anytext2.eval.metrics;

import io.anytext2.sdk.prep.RgbImage;

/**
 * The two resamplers the reference metrics use: Pillow's 8-bit convolution resize (CLIP's
 * torchvision {@code Resize} on a PIL image, bicubic) and torch's {@code F.interpolate(bilinear,
 * align_corners=False)} (pytorch-fid's resize to 299 inside its Inception network).
 */
public final class ImageResize {
  /** Pillow's fixed-point precision for 8-bit images ({@code PRECISION_BITS = 32 - 8 - 2}). */
  private static final int PRECISION_BITS = 22;

  private ImageResize() {}

  /** Pillow's resampling kernels. */
  public enum Filter {
    BICUBIC(2.0),
    BILINEAR(1.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    double weight(double x) {
      x = Math.abs(x);
      if (this == BILINEAR) return x < 1 ? 1 - x : 0;
      final double a = -0.5; // Pillow's bicubic
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    }
  }

  /**
   * {@code Image.resize((w, h), filter)} of Pillow (≥ 7, no reducing gap) for an RGB image:
   * horizontal pass into an 8-bit intermediate of the rows the vertical pass needs, then the
   * vertical pass, both with fixed-point coefficients and rounding as {@code Resample.c}.
   */
  public static RgbImage pil(RgbImage src, int outW, int outH, Filter filter) {
    if (outW < 1 || outH < 1) throw new IllegalArgumentException("expected a positive size, found " + outW + "x" + outH);
    int inW = src.width();
    int inH = src.height();
    Coeffs horiz = coeffs(inW, outW, filter);
    Coeffs vert = coeffs(inH, outH, filter);
    byte[] in = src.pixels();
    boolean needH = outW != inW;
    boolean needV = outH != inH;
    int firstRow = vert.bounds[0];
    int lastRow = vert.bounds[2 * (outH - 1)] + vert.bounds[2 * (outH - 1) + 1];
    byte[] tmp = in;
    int tmpH = inH;
    int rowOffset = 0;
    if (needH) {
      tmpH = needV ? lastRow - firstRow : inH;
      rowOffset = needV ? firstRow : 0;
      tmp = new byte[outW * tmpH * 3];
      for (int y = 0; y < tmpH; y++) {
        for (int x = 0; x < outW; x++) {
          int xmin = horiz.bounds[2 * x];
          int xn = horiz.bounds[2 * x + 1];
          for (int c = 0; c < 3; c++) {
            long ss = 1L << (PRECISION_BITS - 1);
            for (int k = 0; k < xn; k++) ss += (in[((y + rowOffset) * inW + xmin + k) * 3 + c] & 0xff) * (long) horiz.k[x * horiz.size + k];
            tmp[(y * outW + x) * 3 + c] = clip8(ss);
          }
        }
      }
    }
    if (!needV) return new RgbImage(outW, outH, tmp);
    int w = needH ? outW : inW;
    int shift = needH ? firstRow : 0;
    byte[] out = new byte[w * outH * 3];
    for (int y = 0; y < outH; y++) {
      int ymin = vert.bounds[2 * y] - shift;
      int yn = vert.bounds[2 * y + 1];
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          long ss = 1L << (PRECISION_BITS - 1);
          for (int k = 0; k < yn; k++) ss += (tmp[((ymin + k) * w + x) * 3 + c] & 0xff) * (long) vert.k[y * vert.size + k];
          out[(y * w + x) * 3 + c] = clip8(ss);
        }
      }
    }
    return new RgbImage(w, outH, out);
  }

  private record Coeffs(int size, int[] bounds, int[] k) {}

  /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} of Pillow's Resample.c. */
  private static Coeffs coeffs(int inSize, int outSize, Filter filter) {
    double scale = inSize / (double) outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[2 * outSize];
    int[] k = new int[outSize * ksize];
    double[] w = new double[ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double ww = 0;
      for (int x = 0; x < xmax; x++) {
        w[x] = filter.weight((x + xmin - center + 0.5) * ss);
        ww += w[x];
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0 ? w[x] / ww : w[x];
        k[xx * ksize + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      bounds[2 * xx] = xmin;
      bounds[2 * xx + 1] = xmax;
    }
    return new Coeffs(ksize, bounds, k);
  }

  private static byte clip8(long in) {
    if (in >= (1L << PRECISION_BITS << 8)) return (byte) 255;
    if (in <= 0) return 0;
    return (byte) (in >> PRECISION_BITS);
  }

  /**
   * {@code torch.nn.functional.interpolate(x, (outH, outW), mode='bilinear', align_corners=False)}
   * (no antialias) of a [C, H, W] float image, in float32 arithmetic.
   */
  public static float[] torchBilinear(float[] chw, int channels, int inH, int inW, int outH, int outW) {
    if (chw.length != channels * inH * inW) {
      throw new IllegalArgumentException("expected " + channels * inH * inW + " values, found " + chw.length);
    }
    float sh = (float) inH / outH;
    float sw = (float) inW / outW;
    float[] out = new float[channels * outH * outW];
    for (int y = 0; y < outH; y++) {
      float ry = Math.max(sh * (y + 0.5f) - 0.5f, 0f);
      int y0 = (int) ry;
      int y1 = y0 + (y0 < inH - 1 ? 1 : 0);
      float ly1 = ry - y0;
      float ly0 = 1f - ly1;
      for (int x = 0; x < outW; x++) {
        float rx = Math.max(sw * (x + 0.5f) - 0.5f, 0f);
        int x0 = (int) rx;
        int x1 = x0 + (x0 < inW - 1 ? 1 : 0);
        float lx1 = rx - x0;
        float lx0 = 1f - lx1;
        for (int c = 0; c < channels; c++) {
          int p = c * inH * inW;
          float v = ly0 * (lx0 * chw[p + y0 * inW + x0] + lx1 * chw[p + y0 * inW + x1])
              + ly1 * (lx0 * chw[p + y1 * inW + x0] + lx1 * chw[p + y1 * inW + x1]);
          out[(c * outH + y) * outW + x] = v;
        }
      }
    }
    return out;
  }
}
