package io.anytext2.sdk.prep;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The original's {@code crop_image(src, mask)} (MODEL.md §3.4.3, §6 item 25): the mask's
 * minimum-area rectangle is mapped onto an upright {@code width x height} box by a least-squares
 * similarity, and the image is resampled with PyTorch's {@code affine_grid} + {@code grid_sample}
 * (bilinear, zeros padding, align_corners=True) — including the quirk that the normalisation uses
 * 2/W while the sampler uses W-1, so the result is not a pure inverse of the similarity.
 */
public final class CropRectifier {

  /**
   * Arithmetic of the original tensors: font-hint crops run in float32, mimic crops in float64
   * (their source is a float64 numpy array).
   */
  public enum Precision {
    FLOAT32,
    FLOAT64
  }

  private CropRectifier() {}

  /**
   * Rectified crop of {@code src} ({@code [C, H, W]}, values 0..255) at the region of {@code mask}
   * (same H x W). Returns {@code [C, int(height), int(width)]} clamped to [0, 255].
   */
  public static FloatImage crop(FloatImage src, Mask mask, Precision precision) {
    if (mask.width() != src.width() || mask.height() != src.height()) {
      throw new IllegalArgumentException(
          "expected a "
              + src.width()
              + "x"
              + src.height()
              + " mask, found "
              + mask.width()
              + "x"
              + mask.height());
    }
    int[] box = orderedBox(mask);
    float[] sides = sides(box);
    float width = sides[0];
    float height = sides[1];
    float[] srcPts = new float[8];
    for (int i = 0; i < 8; i++) {
      srcPts[i] = box[i];
    }
    float[] dstPts = {0, 0, width, 0, width, height, 0, height};
    double[] m = Similarity2d.estimate(srcPts, dstPts);
    int c = src.channels();
    int h = src.height();
    int w = src.width();
    double[] t = {2.0 / w, 0, -1, 0, 2.0 / h, -1, 0, 0, 1};
    double[] theta = inverse3(mul3(mul3(t, m), inverse3(t)));
    int outH = (int) height;
    int outW = (int) width;
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException(
          "expected a crop box of at least one pixel, found " + width + "x" + height);
    }
    float[] out = new float[c * outH * outW];
    boolean f32 = precision == Precision.FLOAT32;
    float[] th32 = new float[6];
    for (int i = 0; i < 6; i++) {
      th32[i] = (float) theta[i]; // the original casts theta to a float32 tensor
    }
    float[] data = src.raw();
    double[] xns = new double[outW];
    for (int u = 0; u < outW; u++) xns[u] = linspace(u, w, f32);
    double[] weights = new double[4];
    for (int v = 0; v < outH; v++) {
      double yn = linspace(v, h, f32);
      for (int u = 0; u < outW; u++) {
        double xn = xns[u];
        double gx;
        double gy;
        double ix;
        double iy;
        if (f32) {
          gx = (float) ((float) (xn * th32[0]) + (float) (yn * th32[1])) + th32[2];
          gy = (float) ((float) (xn * th32[3]) + (float) (yn * th32[4])) + th32[5];
          gx = (float) gx;
          gy = (float) gy;
          ix = (float) ((float) ((float) (gx + 1) / 2) * (w - 1));
          iy = (float) ((float) ((float) (gy + 1) / 2) * (h - 1));
        } else {
          // float32 grid (affine_grid on the float32 theta), then cast to float64 for sampling
          float gx32 = (float) ((float) (xn * th32[0]) + (float) (yn * th32[1])) + th32[2];
          float gy32 = (float) ((float) (xn * th32[3]) + (float) (yn * th32[4])) + th32[5];
          ix = ((gx32 + 1.0) / 2) * (w - 1);
          iy = ((gy32 + 1.0) / 2) * (h - 1);
        }
        int x0 = (int) Math.floor(ix);
        int y0 = (int) Math.floor(iy);
        bilinearWeights(ix, iy, x0, y0, f32, weights);
        for (int ch = 0; ch < c; ch++) {
          double val = bilinear(data, ch * h * w, h, w, x0, y0, weights, f32);
          out[(ch * outH + v) * outW + u] = (float) Math.max(0, Math.min(255, val));
        }
      }
    }
    return new FloatImage(c, outH, outW, out);
  }

  /** {@code [height, width]} of {@link #crop}'s output for {@code mask} on an image of {@code width x height}, without sampling. */
  public static int[] cropSize(Mask mask, int width, int height) {
    if (mask.width() != width || mask.height() != height) {
      throw new IllegalArgumentException("expected a " + width + "x" + height + " mask, found " + mask.width() + "x" + mask.height());
    }
    float[] sides = sides(orderedBox(mask));
    float boxW = sides[0];
    float boxH = sides[1];
    if ((int) boxH <= 0 || (int) boxW <= 0) {
      throw new IllegalArgumentException("expected a crop box of at least one pixel, found " + boxW + "x" + boxH);
    }
    return new int[] {(int) boxH, (int) boxW};
  }

  /**
   * Where {@link #crop} (float32 path) samples: for output pixel (v, u), index {@code v * outWidth
   * + u}, the source pixel coordinates (x, y) of its bilinear tap, before zero padding. Lets a
   * caller express the crop as a linear map of the image (e.g. to differentiate through it).
   */
  public record SamplingGrid(int outHeight, int outWidth, float[] x, float[] y) {}

  /** The sampling grid of {@link #crop} for an image of {@code width x height} and {@code mask}. */
  public static SamplingGrid samplingGrid(Mask mask, int width, int height) {
    if (mask.width() != width || mask.height() != height) {
      throw new IllegalArgumentException(
          "expected a " + width + "x" + height + " mask, found " + mask.width() + "x" + mask.height());
    }
    int[] box = orderedBox(mask);
    float[] sides = sides(box);
    float boxW = sides[0];
    float boxH = sides[1];
    float[] srcPts = new float[8];
    for (int i = 0; i < 8; i++) {
      srcPts[i] = box[i];
    }
    double[] m = Similarity2d.estimate(srcPts, new float[] {0, 0, boxW, 0, boxW, boxH, 0, boxH});
    double[] t = {2.0 / width, 0, -1, 0, 2.0 / height, -1, 0, 0, 1};
    double[] theta = inverse3(mul3(mul3(t, m), inverse3(t)));
    int outH = (int) boxH;
    int outW = (int) boxW;
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("expected a crop box of at least one pixel, found " + boxW + "x" + boxH);
    }
    float[] th = new float[6];
    for (int i = 0; i < 6; i++) {
      th[i] = (float) theta[i];
    }
    float[] xs = new float[outH * outW];
    float[] ys = new float[outH * outW];
    for (int v = 0; v < outH; v++) {
      double yn = linspace(v, height, true);
      for (int u = 0; u < outW; u++) {
        double xn = linspace(u, width, true);
        float gx = (float) ((float) (xn * th[0]) + (float) (yn * th[1])) + th[2];
        float gy = (float) ((float) (xn * th[3]) + (float) (yn * th[4])) + th[5];
        xs[v * outW + u] = (float) ((float) ((gx + 1) / 2) * (width - 1));
        ys[v * outW + u] = (float) ((float) ((gy + 1) / 2) * (height - 1));
      }
    }
    return new SamplingGrid(outH, outW, xs, ys);
  }

  /**
   * {@code min_bounding_rect(mask)}: the truncated corners of the largest external contour's
   * minimum-area rectangle (mask > 127), ordered tl, tr, br, bl; a fake 100x100 box when the mask
   * is empty. Returned as {@code [x0, y0, ..., x3, y3]}.
   */
  static int[] orderedBox(Mask mask) {
    if (mask.isEmpty()) {
      return new int[] {0, 0, 100, 0, 100, 100, 0, 100};
    }
    Polygon contour = ContourTracer.largestExternal(mask, ContourTracer.Approximation.SIMPLE);
    List<IntPoint> box = PolygonGeometry.minAreaRect(contour).intBoxPoints().points();
    IntPoint[] byX = box.toArray(new IntPoint[0]);
    Arrays.sort(byX, Comparator.comparingInt(IntPoint::x)); // stable, as Python's sorted
    IntPoint[] left = {byX[0], byX[1]};
    IntPoint[] right = {byX[2], byX[3]};
    Arrays.sort(left, Comparator.comparingInt(IntPoint::y));
    Arrays.sort(right, Comparator.comparingInt(IntPoint::y));
    return new int[] {
      left[0].x(), left[0].y(), right[0].x(), right[0].y(),
      right[1].x(), right[1].y(), left[1].x(), left[1].y()
    };
  }

  /**
   * {width, height} of the ordered box: the longer of each pair of opposite sides. pts1 is float32 in the
   * original, and so are the side lengths (np.linalg.norm of float32).
   */
  private static float[] sides(int[] box) {
    return new float[] {Math.max(dist(box, 0, 1), dist(box, 2, 3)), Math.max(dist(box, 0, 3), dist(box, 1, 2))};
  }

  private static float dist(int[] p, int i, int j) {
    float dx = (float) p[2 * i] - p[2 * j];
    float dy = (float) p[2 * i + 1] - p[2 * j + 1];
    return (float) Math.sqrt(dx * dx + dy * dy);
  }

  /**
   * {@code torch.linspace(-1, 1, n)[i]} in float32 as torch's vectorised CPU kernel produces it:
   * blocks of 8 values (AVX2) start at {@code -1 + step * i0} (first half) or {@code 1 - step * (n
   * - i0 - 1)} (second half) and add {@code k * step}; the tail is computed one by one. The block
   * width is the AVX2 one [unverified: an AVX-512 build would use 16].
   */
  static double linspace(int i, int n, boolean f32) {
    if (n == 1) {
      return -1;
    }
    if (f32) {
      final int lanes = 8;
      float step = 2.0f / (n - 1);
      int half = n / 2;
      int i0 = i - i % lanes;
      if (i0 + lanes <= n) {
        float base = i0 < half ? -1f + step * i0 : 1f - step * (n - i0 - 1);
        return base + (i - i0) * step;
      }
      return i < half ? -1f + step * i : 1f - step * (n - 1 - i);
    }
    double step = 2.0 / (n - 1);
    int half = n / 2;
    return i < half ? -1 + step * i : 1 - step * (n - 1 - i);
  }

  /** grid_sample's bilinear weights nw, ne, sw, se of the tap at (ix, iy), whose top-left pixel is (x0, y0). */
  private static void bilinearWeights(double ix, double iy, int x0, int y0, boolean f32, double[] out) {
    int x1 = x0 + 1;
    int y1 = y0 + 1;
    if (f32) {
      out[0] = (float) ((float) (x1 - ix) * (float) (y1 - iy));
      out[1] = (float) ((float) (ix - x0) * (float) (y1 - iy));
      out[2] = (float) ((float) (x1 - ix) * (float) (iy - y0));
      out[3] = (float) ((float) (ix - x0) * (float) (iy - y0));
    } else {
      out[0] = (x1 - ix) * (y1 - iy);
      out[1] = (ix - x0) * (y1 - iy);
      out[2] = (x1 - ix) * (iy - y0);
      out[3] = (ix - x0) * (iy - y0);
    }
  }

  /** grid_sample's bilinear tap of one channel plane with zero padding outside the image (weights from {@link #bilinearWeights}). */
  private static double bilinear(float[] data, int plane, int h, int w, int x0, int y0, double[] weights, boolean f32) {
    double out = 0;
    out = acc(out, tap(data, plane, h, w, x0, y0), weights[0], f32);
    out = acc(out, tap(data, plane, h, w, x0 + 1, y0), weights[1], f32);
    out = acc(out, tap(data, plane, h, w, x0, y0 + 1), weights[2], f32);
    out = acc(out, tap(data, plane, h, w, x0 + 1, y0 + 1), weights[3], f32);
    return out;
  }

  private static double acc(double sum, double v, double weight, boolean f32) {
    return f32 ? (float) (sum + (float) (v * weight)) : sum + v * weight;
  }

  private static double tap(float[] data, int plane, int h, int w, int x, int y) {
    return x >= 0 && x < w && y >= 0 && y < h ? data[plane + y * w + x] : 0;
  }

  static double[] mul3(double[] a, double[] b) {
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
      }
    }
    return c;
  }

  static double[] inverse3(double[] m) {
    double c00 = m[4] * m[8] - m[5] * m[7];
    double c01 = m[5] * m[6] - m[3] * m[8];
    double c02 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
    if (det == 0) {
      throw new IllegalArgumentException("expected an invertible transform, found determinant 0");
    }
    return new double[] {
      c00 / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
      c01 / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
      c02 / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det
    };
  }
}
