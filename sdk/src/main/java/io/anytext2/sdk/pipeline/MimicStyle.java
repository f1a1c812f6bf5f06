package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.prep.CropRectifier;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonGeometry;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.RgbImage;

/**
 * The style input of a "mimic" line (MODEL.md §2.8): the text strokes inside a region of an example
 * picture — pixels darker than their 11×11 Gaussian-weighted neighbourhood (σ 2, offset −2) — kept
 * inside the region's polygon, then rectified like every style crop. Returns [3, h, w] in 0..255.
 *
 * <p>Deviation from the original: its random one-pixel line erased from the mask (§6 item 31) is
 * not reproduced, so the same request always gives the same crop.
 */
public final class MimicStyle {
  private static final int BLOCK = 11;
  private static final double SIGMA = 2.0;
  private static final int OFFSET = -2;

  private MimicStyle() {}

  public static FloatImage crop(RgbImage image, Polygon region) {
    int w = image.width();
    int h = image.height();
    Mask poly = PolygonRasterizer.fill(w, h, region);
    if (poly.isEmpty()) throw new IllegalArgumentException("the mimic region covers no pixel of the example picture");
    int[] box = PolygonGeometry.boundingRect(region); // x, y, w, h
    int x0 = Math.max(0, box[0]);
    int y0 = Math.max(0, box[1]);
    int x1 = Math.min(w, box[0] + box[2]);
    int y1 = Math.min(h, box[1] + box[3]);
    int bw = x1 - x0;
    int bh = y1 - y0;
    int[] gray = new int[bw * bh];
    byte[] px = image.pixels();
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int i = ((y + y0) * w + x + x0) * 3;
        // OpenCV's fixed-point BT.601 luma (RGB2GRAY): (R·4899 + G·9617 + B·1868 + 2^13) >> 14
        gray[y * bw + x] = ((px[i] & 0xff) * 4899 + (px[i + 1] & 0xff) * 9617 + (px[i + 2] & 0xff) * 1868 + 8192) >> 14;
      }
    }
    int[] mean = gaussianMean(gray, bw, bh);
    float[] fh = new float[w * h];
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        boolean text = gray[y * bw + x] - mean[y * bw + x] <= OFFSET; // threshold gives 255 where src − mean > −2
        int gi = (y + y0) * w + x + x0;
        if (text && poly.get(x + x0, y + y0) != 0) fh[gi] = 255f;
      }
    }
    float[] three = new float[3 * w * h];
    for (int c = 0; c < 3; c++) System.arraycopy(fh, 0, three, c * w * h, w * h);
    return CropRectifier.crop(new FloatImage(3, h, w, three), poly, CropRectifier.Precision.FLOAT64);
  }

  /**
   * Gaussian-weighted local mean, rounded to integers, replicated border (cv2.adaptiveThreshold
   * with ADAPTIVE_THRESH_GAUSSIAN_C, block 11, σ 2). Public for the trainer's font hints
   * (TRAINING.md §2.8), which threshold the same way.
   */
  public static int[] gaussianMean(int[] src, int w, int h) {
    double[] k = new double[BLOCK];
    double sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      double d = i - BLOCK / 2;
      k[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
      sum += k[i];
    }
    for (int i = 0; i < BLOCK; i++) k[i] /= sum;
    double[] tmp = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int i = 0; i < BLOCK; i++) v += k[i] * src[y * w + clamp(x + i - BLOCK / 2, w)];
        tmp[y * w + x] = v;
      }
    }
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int i = 0; i < BLOCK; i++) v += k[i] * tmp[clamp(y + i - BLOCK / 2, h) * w + x];
        out[y * w + x] = (int) Math.round(v);
      }
    }
    return out;
  }

  private static int clamp(int v, int n) {
    return v < 0 ? 0 : v >= n ? n - 1 : v;
  }
}
