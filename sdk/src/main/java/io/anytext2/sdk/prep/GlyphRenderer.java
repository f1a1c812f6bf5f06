package io.anytext2.sdk.prep;

import java.util.Arrays;

/**
 * The original's glyph renderings (MODEL.md §2.7): the 80x512 binary line image the OCR embedding
 * reads ({@code draw_glyph}) and the text drawn into its position's rotated rectangle ({@code
 * draw_glyph2}) for the ControlNet glyph input and the font hint.
 */
public final class GlyphRenderer {

  /** Line image size (MODEL.md §2.7.1). */
  public static final int LINE_WIDTH = 512;

  public static final int LINE_HEIGHT = 80;

  /** Pillow size the line layout is measured at before it is scaled to fit (§2.7.1). */
  private static final int LINE_PROBE_SIZE = 50;

  /** Angles within this many degrees of a multiple of 90 may switch to vertical text (§2.7.2). */
  private static final double VERTICAL_ANGLE = 10;

  private final FontLibrary library;

  public GlyphRenderer(FontLibrary library) {
    this.library = library;
  }

  /**
   * {@code draw_glyph(font, text)}: the text in white on a black 512x80 1-bit canvas, scaled to
   * fill 90% of it and centred. Returns a {@code [1, 80, 512]} image of 0/1.
   */
  public FloatImage glyphLine(FontFace face, String text) {
    ShapedText probe = ShapedText.shape(library, face, LINE_PROBE_SIZE, text);
    int[] b = probe.bbox();
    int tw = Math.max(b[2] - b[0], 5);
    int th = Math.max(b[3] - b[1], 5);
    double ratio = Math.min(LINE_WIDTH * 0.9 / tw, LINE_HEIGHT * 0.9 / th);
    int size = (int) (LINE_PROBE_SIZE * ratio);
    float[] out = new float[LINE_WIDTH * LINE_HEIGHT];
    if (size < 1) {
      return new FloatImage(1, LINE_HEIGHT, LINE_WIDTH, out);
    }
    ShapedText shaped = ShapedText.shape(library, face, size, text);
    int[] box = shaped.bbox();
    // Pillow 9.5 getsize() = (right, bottom) and getoffset() = (left, top) of the "la" box.
    int x = Math.floorDiv(LINE_WIDTH - box[2], 2);
    int y = Math.floorDiv(LINE_HEIGHT - box[3], 2) - Math.floorDiv(box[1], 2);
    shaped.draw(
        x,
        y,
        false,
        (img, col, row) -> {
          for (int gy = 0; gy < img.height(); gy++) {
            for (int gx = 0; gx < img.width(); gx++) {
              int xx = col + gx;
              int yy = row + gy;
              if (xx >= 0
                  && xx < LINE_WIDTH
                  && yy >= 0
                  && yy < LINE_HEIGHT
                  && img.coverage()[gy * img.width() + gx] != 0) {
                out[yy * LINE_WIDTH + xx] = 1f;
              }
            }
          }
        });
    return new FloatImage(1, LINE_HEIGHT, LINE_WIDTH, out);
  }

  /**
   * {@code draw_glyph2(font, text, polygon, color, scale=1, add_space=True)}: the text fitted into
   * the polygon's minimum-area rectangle (largest size whose box fits, letter-spaced to fill it,
   * vertical for upright boxes), turned to the rectangle's angle and anti-aliased. Returns a {@code
   * [3, H, W]} image of {@code colour * coverage / 255} in 0..1; all zeros when the text cannot be
   * fitted (the original swallows that error).
   *
   * @param rgb colour 0..255 per channel (values are clipped to [10, 255]; a negative mean means
   *     white)
   */
  public FloatImage glyphImage(
      FontFace face, String text, Polygon polygon, int[] rgb, int width, int height) {
    byte[] canvas = drawGlyph2(face, text, polygon, rgb, width, height);
    float[] out = new float[3 * width * height];
    for (int i = 0; i < width * height; i++) {
      for (int c = 0; c < 3; c++) {
        out[c * width * height + i] = (canvas[3 * i + c] & 255) / 255f;
      }
    }
    return new FloatImage(3, height, width, out);
  }

  /** {@link #glyphImage} as the 8-bit RGB canvas before the division by 255. */
  byte[] drawGlyph2(FontFace face, String text, Polygon polygon, int[] rgb, int width, int height) {
    int[] color = inkColor(rgb);
    RotatedRect rect = PolygonGeometry.minAreaRect(polygon);
    int[] box = rect.intBoxPoints().toXy();
    double w = rect.width();
    double h = rect.height();
    double angle = -rect.angle(); // (the "< -45" correction never applies in this convention)
    if (w < h) {
      angle += 90;
    }
    boolean vertical = false;
    int boxW =
        Math.max(Math.max(box[0], box[2]), Math.max(box[4], box[6]))
            - Math.min(Math.min(box[0], box[2]), Math.min(box[4], box[6]));
    int boxH =
        Math.max(Math.max(box[1], box[3]), Math.max(box[5], box[7]))
            - Math.min(Math.min(box[1], box[3]), Math.min(box[5], box[7]));
    double mod = Math.abs(angle) % 90;
    if (mod < VERTICAL_ANGLE || Math.abs(90 - mod) % 90 < VERTICAL_ANGLE) {
      if (boxH >= boxW) {
        vertical = true;
        angle = 0;
      }
    }
    double minDim = Math.min(w, h);
    double maxDim = Math.max(w, h);
    int size = fittingSize(face, text, minDim, maxDim);
    if (size < 1) {
      return new byte[width * height * 3]; // Pillow fails on size 0: the original returns zeros
    }
    double extra = 0;
    if (vertical) {
      int total = 0;
      for (int cp : text.codePoints().toArray()) {
        int[] b = ShapedText.shape(library, face, size, new String(Character.toChars(cp))).bbox();
        total += b[3] - b[1];
      }
      int n = text.codePointCount(0, text.length());
      if (total < maxDim && n > 1) {
        extra = Math.floor((maxDim - total) / (n - 1));
      }
    } else {
      text = letterSpaced(face, text, size, minDim, maxDim);
    }
    ShapedText shaped = ShapedText.shape(library, face, size, text);
    int[] b = shaped.bbox();
    int textWidth = b[2] - b[0];
    int textHeight = b[3] - b[1];
    RgbaLayer layer = new RgbaLayer(width, height);
    double cx = rect.centerX();
    double cy = rect.centerY();
    if (!vertical) {
      layer.drawText(shaped, cx - textWidth / 2.0, cy - textHeight / 2.0 - b[1], color);
    } else {
      int minX = Math.min(Math.min(box[0], box[2]), Math.min(box[4], box[6]));
      int minY = Math.min(Math.min(box[1], box[3]), Math.min(box[5], box[7]));
      int xs = minX + Math.floorDiv(boxW, 2) - Math.floorDiv(textHeight, 2);
      double ys = minY;
      for (int cp : text.codePoints().toArray()) {
        ShapedText one = ShapedText.shape(library, face, size, new String(Character.toChars(cp)));
        layer.drawText(one, xs, ys, color);
        int[] cb = one.bbox();
        ys += cb[3] - cb[1] + extra;
      }
    }
    RgbaLayer rotated = layer.rotateExpand(angle, cx, cy);
    int x0 = (int) ((width - rotated.width) / 2.0);
    int y0 = (int) ((height - rotated.height) / 2.0);
    return rotated.pasteOnBlack(width, height, x0, y0);
  }

  /** The binary search of MODEL.md §2.7.2 step 6: returns {@code int(hi - 1)}. */
  private int fittingSize(FontFace face, String text, double minDim, double maxDim) {
    double lo = 1;
    double hi = minDim;
    while (lo < hi) {
      double mid = Math.floor((lo + hi) / 2);
      int[] b = ShapedText.shape(library, face, (int) mid, text).bbox(); // mid >= 1 here
      if (b[2] - b[0] <= maxDim && b[3] - b[1] <= minDim) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (int) (hi - 1);
  }

  /** Horizontal letter spacing (§2.7.2 step 7): the most spaces between characters that fit. */
  private String letterSpaced(FontFace face, String text, int size, double minDim, double maxDim) {
    for (int k = 1; k < 100; k++) {
      int[] b = ShapedText.shape(library, face, size, insertSpaces(text, k)).bbox();
      if (b[2] - b[0] > maxDim || b[3] - b[1] > minDim) {
        return insertSpaces(text, k - 1);
      }
    }
    return text;
  }

  /** Python's {@code (' ' * k).join(text)}: k spaces between every pair of code points. */
  static String insertSpaces(String text, int k) {
    String gap = " ".repeat(k);
    StringBuilder sb = new StringBuilder();
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      if (i > 0) {
        sb.append(gap);
      }
      sb.appendCodePoint(cps[i]);
    }
    return sb.toString();
  }

  /** §2.7.2 step 1: a negative mean means white; channels clipped to [10, 255]. */
  static int[] inkColor(int[] rgb) {
    if (rgb.length != 3) {
      throw new IllegalArgumentException("expected 3 colour channels, found " + rgb.length);
    }
    int[] c = rgb.clone();
    if ((c[0] + c[1] + c[2]) / 3.0 < 0) {
      Arrays.fill(c, 255);
    }
    for (int i = 0; i < 3; i++) {
      c[i] = Math.max(10, Math.min(255, c[i]));
    }
    return c;
  }
}
