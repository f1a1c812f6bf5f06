package io.anytext2.sdk.prep;

/**
 * The image the VAE encodes for the ControlNet (MODEL.md §2.9): the edit picture (or black in gen
 * mode) scaled to [-1, 1] with every position area (all components, §6 item 30) forced to -1.
 */
public final class MaskedImage {

  private MaskedImage() {}

  /**
   * {@code (image / 127.5 - 1 - hint * 10).clip(-1, 1)} as a {@code [3, H, W]} float32 image; the
   * division runs in float32 as in the original ({@code image.astype(np.float32) / 127.5}).
   *
   * @param image the prepared edit picture ({@link EditImage#prepare}), or null for gen mode
   */
  public static FloatImage of(RgbImage image, Mask hint) {
    int w = hint.width();
    int h = hint.height();
    if (image != null && (image.width() != w || image.height() != h)) {
      throw new IllegalArgumentException(
          "expected a " + w + "x" + h + " image, found " + image.width() + "x" + image.height());
    }
    int plane = w * h;
    float[] out = new float[3 * plane];
    byte[] px = image == null ? null : image.raw();
    byte[] mask = hint.bits();
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float v = px == null ? 0f : (px[3 * i + c] & 255);
        double m = (v / 127.5f - 1.0f) - mask[i] * 10.0;
        out[c * plane + i] = (float) Math.max(-1, Math.min(1, m));
      }
    }
    return new FloatImage(3, h, w, out);
  }
}
