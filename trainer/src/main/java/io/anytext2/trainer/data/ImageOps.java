package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.RgbImage;

/** Pixel helpers of the sample pipeline: resizing, [-1,1] conversion, 3×3 morphology. */
final class ImageOps {

  private ImageOps() {}

  /**
   * Resizes to {@code w×h} (aspect not kept, TRAINING.md §2.2 step 2), rounding to 8 bits as
   * OpenCV does for uint8 images. Enlarging (and shrinking by less than 2×) uses OpenCV's bilinear
   * INTER_LINEAR sampling (half-pixel centres, edge replicate); shrinking by 2× or more averages
   * the covered source area (INTER_AREA-like) so small training sizes are not aliased.
   */
  static RgbImage resize(RgbImage src, int w, int h) {
    if (src.width() == w && src.height() == h) {
      return src;
    }
    Taps tx = taps(src.width(), w);
    Taps ty = taps(src.height(), h);
    byte[] in = src.pixels();
    int sw = src.width();
    float[] rows = new float[src.height() * w * 3];
    for (int y = 0; y < src.height(); y++) {
      for (int x = 0; x < w; x++) {
        for (int k = tx.start[x]; k < tx.start[x + 1]; k++) {
          int s = (y * sw + tx.index[k]) * 3;
          float wt = tx.weight[k];
          int d = (y * w + x) * 3;
          rows[d] += wt * (in[s] & 255);
          rows[d + 1] += wt * (in[s + 1] & 255);
          rows[d + 2] += wt * (in[s + 2] & 255);
        }
      }
    }
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int k = ty.start[y]; k < ty.start[y + 1]; k++) {
          int s = (ty.index[k] * w + x) * 3;
          float wt = ty.weight[k];
          r += wt * rows[s];
          g += wt * rows[s + 1];
          b += wt * rows[s + 2];
        }
        int d = (y * w + x) * 3;
        out[d] = (byte) clamp255(Math.round(r));
        out[d + 1] = (byte) clamp255(Math.round(g));
        out[d + 2] = (byte) clamp255(Math.round(b));
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Per output position, the source indices and weights (CSR layout). */
  private record Taps(int[] start, int[] index, float[] weight) {}

  private static Taps taps(int srcLen, int dstLen) {
    double scale = (double) srcLen / dstLen;
    int[] start = new int[dstLen + 1];
    int cap = dstLen * ((int) Math.ceil(scale) + 2);
    int[] index = new int[cap];
    float[] weight = new float[cap];
    int n = 0;
    for (int d = 0; d < dstLen; d++) {
      start[d] = n;
      if (scale < 2) {
        double s = (d + 0.5) * scale - 0.5;
        int i0 = (int) Math.floor(s);
        double f = s - i0;
        index[n] = clampIndex(i0, srcLen);
        weight[n++] = (float) (1 - f);
        index[n] = clampIndex(i0 + 1, srcLen);
        weight[n++] = (float) f;
      } else {
        double lo = d * scale;
        double hi = (d + 1) * scale;
        for (int i = (int) Math.floor(lo); i < Math.min(srcLen, (int) Math.ceil(hi)); i++) {
          double cover = Math.min(hi, i + 1) - Math.max(lo, i);
          if (cover > 0) {
            index[n] = i;
            weight[n++] = (float) (cover / scale);
          }
        }
      }
    }
    start[dstLen] = n;
    return new Taps(start, index, weight);
  }

  private static int clampIndex(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }

  static int clamp255(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
  }

  /** HWC uint8 → CHW float {@code v/127.5 − 1} in [-1,1] (§2.2 step 2). */
  static float[] toSignedChw(RgbImage img) {
    int plane = img.width() * img.height();
    byte[] px = img.pixels();
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        out[c * plane + i] = (px[3 * i + c] & 255) / 127.5f - 1f;
      }
    }
    return out;
  }

  /**
   * One pass of {@code cv2.dilate} (or erode) with a 3×3 all-ones kernel. Pixels outside the
   * image never win, as OpenCV's default border value for morphology makes them.
   */
  static byte[] morph3x3(byte[] m, int w, int h, boolean dilate) {
    byte[] out = new byte[m.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean any = false;
        boolean all = true;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
          for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
            boolean on = m[yy * w + xx] != 0;
            any |= on;
            all &= on;
          }
        }
        out[y * w + x] = (byte) ((dilate ? any : all) ? 1 : 0);
      }
    }
    return out;
  }

  static float[] toFloats(byte[] mask) {
    float[] out = new float[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = mask[i];
    }
    return out;
  }
}
