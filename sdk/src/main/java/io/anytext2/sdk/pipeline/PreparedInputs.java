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
