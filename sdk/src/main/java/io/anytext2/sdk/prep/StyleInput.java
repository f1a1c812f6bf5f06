package io.anytext2.sdk.prep;

/**
 * The style recognizer's image for one line (MODEL.md §3.5 step 3): the font-hint canvas cropped at
 * the line's position and rectified ({@link CropRectifier}), or the line's mimic crop. Values
 * 0..255, {@code [3, h, w]}; feed it to {@link RecognizerInput#prepare}.
 */
public final class StyleInput {

  private StyleInput() {}

  /**
   * Crop of the shared font-hint canvas ({@code [1, H, W]} in 0..1, the {@code font_hint} tensor)
   * at a position mask. Follows the original's float32 round trips: ×255, crop, /255, ×255. A line
   * without a font hint still gets its (all-zero) crop, sized by its rectangle.
   */
  public static FloatImage fromFontHint(FloatImage fontHint, Mask position) {
    FloatImage fh = RecognizerInput.repeat3Times255(fontHint);
    FloatImage crop = CropRectifier.crop(fh, position, CropRectifier.Precision.FLOAT32);
    float[] v = crop.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = (v[i] / 255f) * 255f;
    }
    return new FloatImage(crop.channels(), crop.height(), crop.width(), v);
  }
}
