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
   *
   * <p>The original repeats the plane into three channels before cropping; they are copies, so the
   * plane is cropped once and the crop copied (same values), and a canvas with no hint in it (the
   * usual request) skips the sampling: this was about half of a request's preprocessing at 512².
   */
  public static FloatImage fromFontHint(FloatImage fontHint, Mask position) {
    if (fontHint.channels() != 1) throw new IllegalArgumentException("expected 1 channel, found " + fontHint.channels());
    float[] src = fontHint.raw();
    boolean blank = true;
    for (int i = 0; i < src.length && blank; i++) blank = src[i] == 0f;
    FloatImage plane;
    if (blank) {
      int[] size = CropRectifier.cropSize(position, fontHint.width(), fontHint.height());
      plane = new FloatImage(1, size[0], size[1], new float[size[0] * size[1]]);
    } else {
      float[] times255 = new float[src.length];
      for (int i = 0; i < src.length; i++) times255[i] = src[i] * 255f;
      plane = CropRectifier.crop(new FloatImage(1, fontHint.height(), fontHint.width(), times255), position,
          CropRectifier.Precision.FLOAT32);
    }
    float[] one = plane.raw();
    int n = one.length;
    float[] v = new float[3 * n];
    for (int i = 0; i < n; i++) {
      float x = (one[i] / 255f) * 255f;
      v[i] = x;
      v[n + i] = x;
      v[2 * n + i] = x;
    }
    return new FloatImage(3, plane.height(), plane.width(), v);
  }

  /** The original's path, three channels cropped one by one (kept for tests of the one above). */
  static FloatImage fromFontHintThreeChannels(FloatImage fontHint, Mask position) {
    FloatImage fh = RecognizerInput.repeat3Times255(fontHint);
    FloatImage crop = CropRectifier.crop(fh, position, CropRectifier.Precision.FLOAT32);
    float[] v = crop.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = (v[i] / 255f) * 255f;
    }
    return new FloatImage(crop.channels(), crop.height(), crop.width(), v);
  }
}
