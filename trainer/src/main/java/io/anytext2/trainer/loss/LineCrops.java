package io.anytext2.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.trainer.djl.DjlOps;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link RecognizerCrop}s of all text lines of a micro-batch applied at once: one gather of the
 * bilinear taps of every line, one batched product with each line's row-resize matrix and one with
 * its column-resize matrix, then the normalisation — the same linear map per line as
 * {@link RecognizerCrop#apply}, in about 20 tensor operations and 8 uploads for the whole batch
 * instead of about 22 operations and 4 uploads per line (host overhead per training step).
 *
 * <p>Lines differ in crop size, so every line is padded to the largest crop of the batch
 * (H<sub>m</sub> × W<sub>m</sub>): padded taps read pixel 0 with weight 0, padded rows and
 * columns of the resize matrices are 0, and the columns beyond a line's resized width are zeroed
 * after the normalisation, which is the zero padding to 320 of MODEL.md §3.4.2. The column-resize
 * matrices [N, W<sub>m</sub>, 320] are built on the device from their two taps per output column
 * (a small upload instead of a large one), with the same entries. Results equal the per-line crops
 * up to float rounding (the products sum over the padded extent).
 *
 * <p>The plan's arrays are uploaded by {@link #upload} (once per micro-batch, before the forward
 * pass queues work on a GPU, where an upload waits for the device), then {@link #apply} may run on
 * several images of the batch (the decoded and the ground-truth image of the OCR losses).
 */
public final class LineCrops {
  private static final int H = RecognizerInput.HEIGHT;
  private static final int W = RecognizerInput.WIDTH;

  private final int lines;
  private final int batch;
  private final int imageHeight;
  private final int imageWidth;
  private final int maxH;
  private final int maxW;
  private final NDArray tapIndex; // [N·Hm·Wm·4] into the images as [3, B·H·W]
  private final NDArray tapWeight; // [N·Hm·Wm·4]
  private final NDArray rows; // [N, 48, Hm]
  private final NDArray columnResize; // [N, Wm, 320]
  private final NDArray keep; // [N, 1, 320]: 1 within the resized width, 0 in the padding

  private LineCrops(int lines, int batch, int imageHeight, int imageWidth, int maxH, int maxW, NDArray tapIndex,
      NDArray tapWeight, NDArray rows, NDArray columnResize, NDArray keep) {
    this.lines = lines;
    this.batch = batch;
    this.imageHeight = imageHeight;
    this.imageWidth = imageWidth;
    this.maxH = maxH;
    this.maxW = maxW;
    this.tapIndex = tapIndex;
    this.tapWeight = tapWeight;
    this.rows = rows;
    this.columnResize = columnResize;
    this.keep = keep;
  }

  /**
   * Builds the batched plan on the host and uploads it into {@code op}'s scope.
   *
   * @param crops per line, its crop plan (all for images of one size)
   * @param lineSample per line, the index of its image in the batch
   * @param batch number of images the crops read from
   */
  public static LineCrops upload(DjlOps op, List<RecognizerCrop> crops, int[] lineSample, int batch) {
    int n = crops.size();
    if (n == 0 || lineSample.length != n) {
      throw new IllegalArgumentException("line crops: expected one sample index per crop and at least one crop, found " + n
          + " crops and " + lineSample.length + " sample indices");
    }
    int ih = crops.get(0).imageHeight();
    int iw = crops.get(0).imageWidth();
    int hm = 0;
    int wm = 0;
    for (int l = 0; l < n; l++) {
      RecognizerCrop c = crops.get(l);
      if (c.imageHeight() != ih || c.imageWidth() != iw) {
        throw new IllegalArgumentException("line crops: expected images of " + iw + "x" + ih + ", found a crop planned for "
            + c.imageWidth() + "x" + c.imageHeight());
      }
      if (lineSample[l] < 0 || lineSample[l] >= batch) {
        throw new IllegalArgumentException("line crops: expected sample indices in 0.." + (batch - 1) + ", found " + lineSample[l]);
      }
      hm = Math.max(hm, c.cropHeight());
      wm = Math.max(wm, c.cropWidth());
    }
    long plane = (long) ih * iw;
    int cell = hm * wm * 4;
    long[] index = new long[n * cell];
    float[] weight = new float[n * cell];
    float[] rowsHost = new float[n * H * hm];
    float[][] column = new float[2][n * W];
    float[][] columnWeight = new float[2][n * W];
    float[] keepHost = new float[n * W];
    for (int l = 0; l < n; l++) {
      RecognizerCrop c = crops.get(l);
      c.copyTaps(index, weight, l * cell, wm, lineSample[l] * plane);
      c.copyRowResize(rowsHost, l * H * hm, hm);
      c.copyColumnTaps(column, columnWeight, l * W);
      Arrays.fill(keepHost, l * W, l * W + c.resizedWidth(), 1f);
    }
    NDArray tapIndex = op.createLongs(index, index.length);
    NDArray tapWeight = op.create(weight, weight.length);
    NDArray rows = op.create(rowsHost, n, H, hm);
    NDArray keep = op.create(keepHost, n, 1, W);
    return new LineCrops(n, batch, ih, iw, hm, wm, tapIndex, tapWeight, rows, columnResize(op, wm, column, columnWeight), keep);
  }

  /** Number of lines (rows of {@link #apply}'s result). */
  public int lines() {
    return lines;
  }

  /**
   * The recognizer inputs [N, 3, 48, 320] of all lines of {@code images} [B, 3, H, W] (values
   * 0..255), in {@code op}'s scope; differentiable in {@code images}.
   */
  public NDArray apply(DjlOps op, NDArray images) {
    long[] s = images.getShape().getShape();
    if (s.length != 4 || s[0] != batch || s[1] != 3 || s[2] != imageHeight || s[3] != imageWidth) {
      throw new IllegalArgumentException("line crops: expected images [" + batch + ",3," + imageHeight + "," + imageWidth
          + "], found " + Arrays.toString(s));
    }
    return op.scoped(() -> { // intermediates freed at once (autograd keeps what backward needs)
      NDArray flat = op.reshape(op.permute(images, 1, 0, 2, 3), 3, (long) batch * imageHeight * imageWidth);
      NDArray taps = op.own(flat.get(new NDIndex(":, {}", tapIndex))); // [3, N·Hm·Wm·4]
      NDArray weighted = op.reshape(op.mul(taps, tapWeight), 3, lines, maxH, maxW, 4);
      NDArray crop = op.reshape(op.sumKeepDims(weighted, 4), 3, lines, maxH, maxW);
      NDArray resized = op.matmul(op.matmul(rows, crop), columnResize); // [3, N, 48, 320]
      // (v / 255 − 0.5) / 0.5 as RecognizerCrop#apply computes it, then the zero padding beyond each line's width
      NDArray normalized = op.div(op.sub(op.div(resized, op.scalar(255f)), op.scalar(0.5f)), op.scalar(0.5f));
      return op.permute(op.mul(normalized, keep), 1, 0, 2, 3);
    });
  }

  /**
   * The transposed column-resize matrices [N, Wm, 320] from two taps per output column
   * ({@code column[t]}, {@code weight[t]}, each [N·320]): entry (k, o) = Σ_t [column_t(o) = k] ·
   * weight_t(o), which is how {@link RecognizerCrop} accumulates its matrix, so the entries agree
   * bit for bit (1 · w = w, 0 · w = 0, and a column read by both taps gets w₀ + w₁).
   */
  private static NDArray columnResize(DjlOps op, int maxW, float[][] column, float[][] weight) {
    int n = column[0].length / W;
    float[] k = new float[maxW];
    for (int i = 0; i < maxW; i++) k[i] = i;
    NDArray cropColumn = op.constant(k, 1, maxW, 1);
    NDArray[] read = {op.create(column[0], n, 1, W), op.create(column[1], n, 1, W)}; // uploads first (see the class comment)
    NDArray[] w = {op.create(weight[0], n, 1, W), op.create(weight[1], n, 1, W)};
    NDArray sum = null;
    for (int t = 0; t < 2; t++) {
      NDArray hit = op.own(op.own(cropColumn.eq(read[t])).toType(DataType.FLOAT32, false)); // [N, Wm, 320]
      NDArray term = op.mul(hit, w[t]);
      sum = sum == null ? term : op.add(sum, term);
    }
    return sum;
  }
}
