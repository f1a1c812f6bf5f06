package io.anytext2.sdk.prep;

/**
 * Input preparation of the OCR recognizer (MODEL.md §3.4.2, §6 item 23): tall crops are turned 90°
 * counter-clockwise, the image is resized to height 48 keeping its aspect (bilinear,
 * align_corners=True, width {@code ceil(48 w / h)} capped at 320), normalised to [-1, 1] and
 * zero-padded on the right to 320 columns.
 */
public final class RecognizerInput {

  public static final int HEIGHT = 48;
  public static final int WIDTH = 320;

  private RecognizerInput() {}

  /**
   * One {@code [3, 48, 320]} recognizer input from a {@code [3, h, w]} image of 0..255 values.
   *
   * @param float64 whether the original computes in float64 (mimic crops) rather than float32
   */
  public static FloatImage prepare(FloatImage image, boolean float64) {
    if (image.channels() != 3) {
      throw new IllegalArgumentException("expected a 3-channel image, found " + image.channels());
    }
    FloatImage img = image.height() > image.width() * 1.2 ? rotateCounterClockwise(image) : image;
    int h = img.height();
    int w = img.width();
    double ratio = w / (double) h;
    int rw = (int) Math.min(WIDTH, Math.ceil(HEIGHT * ratio));
    float[] out = new float[3 * HEIGHT * WIDTH];
    float[] src = img.raw();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < rw; x++) {
          double v =
              float64 ? bilinear64(src, c, h, w, y, x, rw) : bilinear32(src, c, h, w, y, x, rw);
          out[(c * HEIGHT + y) * WIDTH + x] =
              float64 ? (float) ((v / 255.0 - 0.5) / 0.5) : ((float) v / 255f - 0.5f) / 0.5f;
        }
      }
    }
    return new FloatImage(3, HEIGHT, WIDTH, out);
  }

  /** The glyph-line input: {@code [1, 80, 512]} of 0/1, times 255, repeated to 3 channels. */
  public static FloatImage fromGlyphLine(FloatImage glyphLine) {
    return prepare(repeat3Times255(glyphLine), false);
  }

  /** A one-channel 0..1 image as a 3-channel 0..255 one (float32, as the original multiplies). */
  public static FloatImage repeat3Times255(FloatImage oneChannel) {
    if (oneChannel.channels() != 1) {
      throw new IllegalArgumentException("expected 1 channel, found " + oneChannel.channels());
    }
    int plane = oneChannel.height() * oneChannel.width();
    float[] out = new float[3 * plane];
    float[] src = oneChannel.raw();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = src[i] * 255f;
      }
    }
    return new FloatImage(3, oneChannel.height(), oneChannel.width(), out);
  }

  /** {@code img.transpose(1, 2).flip(1)}: new[c, r, k] = old[c, k, w - 1 - r]. */
  static FloatImage rotateCounterClockwise(FloatImage img) {
    int h = img.height();
    int w = img.width();
    float[] out = new float[img.channels() * w * h];
    float[] src = img.raw();
    for (int c = 0; c < img.channels(); c++) {
      for (int r = 0; r < w; r++) {
        for (int k = 0; k < h; k++) {
          out[(c * w + r) * h + k] = src[(c * h + k) * w + (w - 1 - r)];
        }
      }
    }
    return new FloatImage(img.channels(), w, h, out);
  }

  // torch upsample_bilinear2d, align_corners=True, float32 arithmetic (height outer, width inner).
  private static double bilinear32(float[] src, int c, int h, int w, int y, int x, int rw) {
    float sh = HEIGHT > 1 ? (float) (h - 1) / (HEIGHT - 1) : 0f;
    float sw = rw > 1 ? (float) (w - 1) / (rw - 1) : 0f;
    float ry = sh * y;
    float rx = sw * x;
    int y0 = (int) ry;
    int x0 = (int) rx;
    float ly1 = Math.min(Math.max(ry - y0, 0f), 1f);
    float lx1 = Math.min(Math.max(rx - x0, 0f), 1f);
    float ly0 = 1f - ly1;
    float lx0 = 1f - lx1;
    int y1 = y0 + (y0 < h - 1 ? 1 : 0);
    int x1 = x0 + (x0 < w - 1 ? 1 : 0);
    int p = c * h * w;
    float top = src[p + y0 * w + x0] * lx0 + src[p + y0 * w + x1] * lx1;
    float bottom = src[p + y1 * w + x0] * lx0 + src[p + y1 * w + x1] * lx1;
    return top * ly0 + bottom * ly1;
  }

  private static double bilinear64(float[] src, int c, int h, int w, int y, int x, int rw) {
    double sh = HEIGHT > 1 ? (double) (h - 1) / (HEIGHT - 1) : 0;
    double sw = rw > 1 ? (double) (w - 1) / (rw - 1) : 0;
    double ry = sh * y;
    double rx = sw * x;
    int y0 = (int) ry;
    int x0 = (int) rx;
    double ly1 = Math.min(Math.max(ry - y0, 0), 1);
    double lx1 = Math.min(Math.max(rx - x0, 0), 1);
    int y1 = y0 + (y0 < h - 1 ? 1 : 0);
    int x1 = x0 + (x0 < w - 1 ? 1 : 0);
    int p = c * h * w;
    double top = src[p + y0 * w + x0] * (1 - lx1) + src[p + y0 * w + x1] * lx1;
    double bottom = src[p + y1 * w + x0] * (1 - lx1) + src[p + y1 * w + x1] * lx1;
    return top * (1 - ly1) + bottom * ly1;
  }
}
