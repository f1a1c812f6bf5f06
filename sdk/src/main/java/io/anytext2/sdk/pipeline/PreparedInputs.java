package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.tensor.FloatTensor;

/**
 * Everything preprocessing derives from a request's images, fonts and positions (MODEL.md §2),
 * for one image (the pipeline repeats it for every image of a request). Parity runs fill it from
 * the reference tensors; requests fill it through {@code sdk.prep}.
 *
 * @param recogBatch [n,3,48,320] glyph lines as the recognizer sees them (§3.4.2)
 * @param styleBatch [n,3,48,320] font-style crops as the style recognizer sees them
 * @param positions [n,1,H,W] per-line position masks (0/1)
 * @param colors [n,3] raw RGB 0..255, 500 where unset (§2.3)
 * @param glyphMask [1,1,H,W] union of the glyph renders, binarised (§3.6)
 * @param positionSum [1,1,H,W] sum of the position masks, not clipped
 * @param maskedImage [1,3,H,W] the image with text areas at -1 (all -1 when generating, §2.9)
 */
public record PreparedInputs(
    FloatTensor recogBatch,
    FloatTensor styleBatch,
    FloatTensor positions,
    FloatTensor colors,
    FloatTensor glyphMask,
    FloatTensor positionSum,
    FloatTensor maskedImage) {

  public PreparedInputs {
    long n = recogBatch.dim(0);
    if (styleBatch.dim(0) != n || positions.dim(0) != n || colors.dim(0) != n) {
      throw new IllegalArgumentException("prepared inputs disagree on the number of lines: " + recogBatch + " " + styleBatch
          + " " + positions + " " + colors);
    }
    if (maskedImage.dim(2) != glyphMask.dim(2) || maskedImage.dim(3) != glyphMask.dim(3)) {
      throw new IllegalArgumentException("masked image " + maskedImage + " and glyph mask " + glyphMask + " differ in size");
    }
  }

  /**
   * The model inputs of host-side preprocessing: per line the recognizer and style inputs, the
   * position mask and the colour as the colour projection sees it; the binarised glyph union
   * (MODEL.md §3.6: any channel of any line), the unclipped sum of positions and the masked image.
   */
  public static PreparedInputs from(io.anytext2.sdk.prep.PreparedText text) {
    int n = text.lines().size();
    int width = text.width();
    int height = text.height();
    int plane = width * height;
    java.util.List<FloatTensor> recog = new java.util.ArrayList<>();
    java.util.List<FloatTensor> style = new java.util.ArrayList<>();
    java.util.List<FloatTensor> pos = new java.util.ArrayList<>();
    float[] colors = new float[3 * n];
    float[] glyphMask = new float[plane];
    float[] positionSum = new float[plane];
    for (int j = 0; j < n; j++) {
      io.anytext2.sdk.prep.PreparedText.Line line = text.lines().get(j);
      System.arraycopy(line.color().projectionInput(), 0, colors, 3 * j, 3);
      float[] mf = line.position().toFloats();
      pos.add(new FloatTensor(mf, new long[] {1, height, width}));
      float[] g = line.glyphs().data();
      for (int i = 0; i < plane; i++) {
        positionSum[i] += mf[i];
        if (g[i] + g[plane + i] + g[2 * plane + i] != 0) glyphMask[i] = 1f;
      }
      recog.add(chw(line.recognizerInput()));
      style.add(chw(line.styleInput()));
    }
    long[] lineShape = {n, 3, io.anytext2.sdk.prep.RecognizerInput.HEIGHT, io.anytext2.sdk.prep.RecognizerInput.WIDTH};
    return new PreparedInputs(
        n == 0 ? FloatTensor.zeros(lineShape) : FloatTensor.stack(recog),
        n == 0 ? FloatTensor.zeros(lineShape) : FloatTensor.stack(style),
        n == 0 ? FloatTensor.zeros(0, 1, height, width) : FloatTensor.stack(pos),
        new FloatTensor(colors, new long[] {n, 3}),
        new FloatTensor(glyphMask, new long[] {1, 1, height, width}),
        new FloatTensor(positionSum, new long[] {1, 1, height, width}),
        new FloatTensor(text.maskedImage().data(), new long[] {1, 3, height, width}));
  }

  private static FloatTensor chw(io.anytext2.sdk.prep.FloatImage img) {
    return new FloatTensor(img.data(), new long[] {img.channels(), img.height(), img.width()});
  }

  public int lineCount() {
    return (int) recogBatch.dim(0);
  }

  public int height() {
    return (int) maskedImage.dim(2);
  }

  public int width() {
    return (int) maskedImage.dim(3);
  }
}
