package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.tensor.FloatTensor;

/**
 * Recognises the failure of a half-precision VAE decoder: float16 overflow shows as NaN/Inf values
 * or as an image that is one flat colour (typically black: every value at -1 or below).
 */
final class DecodedImageCheck {
  /** An image whose values span less than this (of the [-1, 1] range) counts as blank. */
  static final float FLAT_RANGE = 1e-3f;

  private DecodedImageCheck() {}

  /** null when every image of the [B,3,H,W] batch looks valid, else what is wrong ("non-finite values in image 0"). */
  static String problem(FloatTensor decoded) {
    float[] d = decoded.data();
    int b = (int) decoded.dim(0);
    int per = d.length / Math.max(1, b);
    for (int n = 0; n < b; n++) {
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = n * per; i < (n + 1) * per; i++) {
        float v = d[i];
        if (!Float.isFinite(v)) return "non-finite values in image " + n;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (per > 1 && max - min < FLAT_RANGE) return "a blank image (image " + n + ", all values near " + min + ")";
    }
    return null;
  }
}
