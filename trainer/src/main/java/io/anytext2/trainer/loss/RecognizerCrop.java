package io.anytext2.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.anytext2.sdk.prep.CropRectifier;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.RecognizerInput;

/**
 * The rotated-rectangle crop of a line (TRAINING.md §3.5.3, MODEL.md §3.4.3) followed by the
 * recognizer's input preparation (§3.4.2: turn tall crops, bilinear align-corners resize to height
 * 48, normalise to [−1, 1], zero-pad to 320), as a linear map of the image so that gradients flow
 * from the recognizer back into the image (the OCR losses decode x̂0 with gradient, §3.5.2).
 *
 * <p>The geometry depends only on the line's position mask and is planned on the host
 * ({@link CropRectifier#samplingGrid}); the image side is a gather of four bilinear taps per crop
 * pixel, then two small resize matrices. The crop's clamp to [0, 255] is left out: decoded images
 * are clamped to that range before cropping and a bilinear mix of in-range values stays in range.
 */
public final class RecognizerCrop {
  private static final int H = RecognizerInput.HEIGHT;
  private static final int W = RecognizerInput.WIDTH;

  private final int imageWidth;
  private final int imageHeight;
  private final long[] tapIndex;
  private final float[] tapWeight;
  private final int cropH;
  private final int cropW;
  private final float[] resizeRows; // [48, cropH]
  private final float[] resizeColsT; // [cropW, rw]
  private final int rw;

  private RecognizerCrop(int imageWidth, int imageHeight, long[] tapIndex, float[] tapWeight, int cropH, int cropW,
      float[] resizeRows, float[] resizeColsT, int rw) {
    this.imageWidth = imageWidth;
    this.imageHeight = imageHeight;
    this.tapIndex = tapIndex;
    this.tapWeight = tapWeight;
    this.cropH = cropH;
    this.cropW = cropW;
    this.resizeRows = resizeRows;
    this.resizeColsT = resizeColsT;
    this.rw = rw;
  }

  /** Plans the crop of the region {@code mask} (an image of the same size). */
  public static RecognizerCrop plan(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    CropRectifier.SamplingGrid g = CropRectifier.samplingGrid(mask, w, h);
    int gh = g.outHeight();
    int gw = g.outWidth();
    boolean turn = gh > gw * 1.2; // tall crops are turned 90° counter-clockwise (§3.4.2 step 1)
    int ch = turn ? gw : gh;
    int cw = turn ? gh : gw;
    long[] idx = new long[4 * ch * cw];
    float[] wt = new float[4 * ch * cw];
    for (int r = 0; r < ch; r++) {
      for (int k = 0; k < cw; k++) {
        // turned[r, k] = crop[k, gw − 1 − r]
        int src = turn ? k * gw + (gw - 1 - r) : r * gw + k;
        taps(g.x()[src], g.y()[src], w, h, idx, wt, 4 * (r * cw + k));
      }
    }
    int rw = (int) Math.min(W, Math.ceil(H * (cw / (double) ch)));
    return new RecognizerCrop(w, h, idx, wt, ch, cw, resize(ch, H), transpose(resize(cw, rw), rw, cw), rw);
  }

  /** grid_sample's four bilinear taps (float32 weights, zero padding: taps outside get weight 0). */
  private static void taps(float ix, float iy, int w, int h, long[] idx, float[] wt, int at) {
    int x0 = (int) Math.floor(ix);
    int y0 = (int) Math.floor(iy);
    int x1 = x0 + 1;
    int y1 = y0 + 1;
    float[] weights = {
      (float) (x1 - ix) * (float) (y1 - iy), (float) (ix - x0) * (float) (y1 - iy),
      (float) (x1 - ix) * (float) (iy - y0), (float) (ix - x0) * (float) (iy - y0)
    };
    int[][] xy = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
    for (int i = 0; i < 4; i++) {
      int x = xy[i][0];
      int y = xy[i][1];
      boolean inside = x >= 0 && x < w && y >= 0 && y < h;
      idx[at + i] = inside ? (long) y * w + x : 0;
      wt[at + i] = inside ? weights[i] : 0f;
    }
  }

  /** [out, in] weights of torch's align-corners bilinear resize from {@code in} to {@code out} samples. */
  static float[] resize(int in, int out) {
    int[] index = new int[2 * out];
    float[] weight = new float[2 * out];
    resizeTaps(in, out, index, weight);
    float[] m = new float[out * in];
    for (int o = 0; o < out; o++) {
      m[o * in + index[2 * o]] += weight[2 * o];
      m[o * in + index[2 * o + 1]] += weight[2 * o + 1];
    }
    return m;
  }

  /**
   * The same resize as two taps per output sample: (index, weight) pairs at {@code 2·o} and
   * {@code 2·o + 1} (the second tap repeats the first index at the last input sample).
   */
  static void resizeTaps(int in, int out, int[] index, float[] weight) {
    float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
    for (int o = 0; o < out; o++) {
      float src = scale * o;
      int i0 = (int) src;
      float l1 = Math.min(Math.max(src - i0, 0f), 1f);
      index[2 * o] = i0;
      weight[2 * o] = 1f - l1;
      index[2 * o + 1] = i0 + (i0 < in - 1 ? 1 : 0);
      weight[2 * o + 1] = l1;
    }
  }

  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
    return t;
  }

  int imageHeight() {
    return imageHeight;
  }

  int imageWidth() {
    return imageWidth;
  }

  int cropHeight() {
    return cropH;
  }

  int cropWidth() {
    return cropW;
  }

  /**
   * Writes the taps into a crop grid {@code gridWidth} (≥ the crop width) wide starting at
   * {@code at} (4 per cell, row-major), the indices shifted by {@code indexOffset}; cells beyond
   * the crop are left as they are (pixel 0, weight 0 in a fresh array).
   */
  void copyTaps(long[] index, float[] weight, int at, int gridWidth, long indexOffset) {
    for (int r = 0; r < cropH; r++) {
      for (int k = 0; k < cropW; k++) {
        int from = 4 * (r * cropW + k);
        int to = at + 4 * (r * gridWidth + k);
        for (int t = 0; t < 4; t++) {
          index[to + t] = tapIndex[from + t] + indexOffset;
          weight[to + t] = tapWeight[from + t];
        }
      }
    }
  }

  /** Writes the row-resize matrix into {@code rows} at {@code at} as [48, {@code gridHeight}] (≥ the crop height; the rest stays 0). */
  void copyRowResize(float[] rows, int at, int gridHeight) {
    for (int o = 0; o < H; o++) System.arraycopy(resizeRows, o * cropH, rows, at + o * gridHeight, cropH);
  }

  /**
   * Writes the column resize as two taps per output column: for tap t at {@code at + o} of
   * {@code column[t]} the crop column it reads, of {@code weight[t]} its weight (column −1, weight
   * 0 beyond the resized width). Summed per (column, output column), they give the entries of the
   * transposed resize matrix of {@link #apply} bit for bit.
   */
  void copyColumnTaps(float[][] column, float[][] weight, int at) {
    int[] idx = new int[2 * rw];
    float[] w = new float[2 * rw];
    resizeTaps(cropW, rw, idx, w);
    for (int t = 0; t < 2; t++) {
      for (int o = 0; o < W; o++) {
        column[t][at + o] = o < rw ? idx[2 * o + t] : -1;
        weight[t][at + o] = o < rw ? w[2 * o + t] : 0f;
      }
    }
  }

  /** Width of the resized crop before padding (≤ 320). */
  public int resizedWidth() {
    return rw;
  }

  /**
   * The recognizer input [3, 48, 320] of {@code image} [3, H, W] (values 0..255), in {@code scope}.
   * Differentiable in {@code image}.
   */
  public NDArray apply(NDArray image, NDManager scope) {
    long[] s = image.getShape().getShape();
    if (s.length != 3 || s[1] != imageHeight || s[2] != imageWidth) {
      throw new IllegalArgumentException("crop: expected an image [C," + imageHeight + "," + imageWidth + "], found "
          + java.util.Arrays.toString(s));
    }
    long c = s[0];
    OpCounter.ops(rw < W ? 13 : 11); // the DJL calls below (the uploads and scalars count themselves)
    try (NDManager tmp = scope.newSubManager(image.getDevice())) { // the plan's taps and matrices go to the image's device
      NDArray flat = image.reshape(c, (long) imageHeight * imageWidth);
      flat.attach(tmp);
      NDArray taps = flat.get(new NDIndex(":, {}", HostArrays.longs(tmp, tapIndex, tapIndex.length)));
      taps.attach(tmp);
      NDArray weighted = taps.mul(HostArrays.floats(tmp, tapWeight, tapWeight.length));
      weighted.attach(tmp);
      NDArray crop = weighted.reshape(c, (long) cropH * cropW, 4).sum(new int[] {2}).reshape(c, cropH, cropW);
      crop.attach(tmp);
      NDArray rows = HostArrays.floats(tmp, resizeRows, H, cropH).matMul(crop); // [c, 48, cropW]
      rows.attach(tmp);
      NDArray resized = rows.matMul(HostArrays.floats(tmp, resizeColsT, cropW, rw)); // [c, 48, rw]
      resized.attach(tmp);
      // (v / 255 − 0.5) / 0.5 with PyTorch-owned scalars (see HostArrays)
      NDArray normalized = resized.div(HostArrays.scalar(tmp, 255f)).sub(HostArrays.scalar(tmp, 0.5f)).div(HostArrays.scalar(tmp, 0.5f));
      normalized.attach(tmp);
      NDArray out = rw < W ? normalized.concat(tmp.zeros(new Shape(c, H, W - rw)), 2) : normalized;
      out.attach(scope);
      return out;
    }
  }
}
