package io.anytext2.sdk.prep;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A string laid out at one pixel size the way Pillow's {@code ImageFont.FreeTypeFont} does it
 * (MODEL.md §2.7, §6 item 28): glyph pens on whole pixels (hinted advances, kerning), the
 * "left-ascender" anchor, {@link #bbox()} as {@code textbbox((0, 0), text)}, and glyph bitmaps
 * placed with Pillow's rounding of fractional start coordinates. Glyph outlines are hinted and
 * rasterised by Java2D; FreeType builds differ in detail, so renders are close, not identical.
 */
final class ShapedText {

  /** One glyph: its face, glyph code and pen position in 26.6 fixed point. */
  private record Glyph(FontFace face, int code, int pen26) {}

  /** A glyph bitmap (row-major coverage 0..255) and its offset from the pen origin. */
  record GlyphImage(int left, int top, int width, int height, byte[] coverage) {}

  private static final FontRenderContext AA = new FontRenderContext(null, true, false);
  private static final FontRenderContext MONO = new FontRenderContext(null, false, false);
  private static final Map<String, GlyphImage> CACHE = new ConcurrentHashMap<>();
  /**
   * Bound on cached glyph bitmaps: training renders an unbounded variety of (glyph, size) pairs, so
   * the cache is emptied when it reaches this many (about 100 MB); results do not change.
   */
  private static final int MAX_CACHED_GLYPHS = 50_000;

  private final FontFace primary;
  private final int size;
  private final List<Glyph> glyphs;
  private final int advance26;

  private ShapedText(FontFace primary, int size, List<Glyph> glyphs, int advance26) {
    this.primary = primary;
    this.size = size;
    this.glyphs = glyphs;
    this.advance26 = advance26;
  }

  /** Shapes text with the primary face, other bundled faces drawing what it lacks. */
  static ShapedText shape(FontLibrary library, FontFace primary, int size, String text) {
    if (size < 1) {
      throw new IllegalArgumentException("expected a font size >= 1, found " + size);
    }
    List<Glyph> glyphs = new ArrayList<>();
    double pen = 0;
    char[] chars = text.toCharArray();
    for (FontLibrary.Run run : library.split(text, primary)) {
      Font font = run.face().atSize(size);
      GlyphVector gv =
          font.layoutGlyphVector(AA, chars, run.start(), run.end(), Font.LAYOUT_LEFT_TO_RIGHT);
      for (int i = 0; i < gv.getNumGlyphs(); i++) {
        int pen26 = (int) Math.round((pen + gv.getGlyphPosition(i).getX()) * 64);
        glyphs.add(new Glyph(run.face(), gv.getGlyphCode(i), pen26));
      }
      pen += gv.getGlyphPosition(gv.getNumGlyphs()).getX();
    }
    return new ShapedText(primary, size, List.copyOf(glyphs), (int) Math.round(pen * 64));
  }

  int size() {
    return size;
  }

  /** Pillow's {@code PIXEL}: 26.6 to whole pixels, rounding halves up. */
  static int pixel(long v26) {
    return (int) (((v26 + 32) & -64L) >> 6);
  }

  /**
   * {@code font.getbbox(text)} with the default "la" anchor: {left, top, right, bottom} of the ink
   * boxes united with the pen line (so it includes the origin and the advance), y measured down
   * from the ascender line. Uses the anti-aliased hinting, as Pillow's mode "L" metrics.
   */
  int[] bbox() {
    return bbox(true);
  }

  private int[] bbox(boolean antialias) {
    int xMin = 0;
    int xMax = 0;
    int yMin = 0;
    int yMax = 0;
    for (int k = 0; k < glyphs.size(); k++) {
      Glyph g = glyphs.get(k);
      int px = pixel(g.pen26());
      int next = k + 1 < glyphs.size() ? glyphs.get(k + 1).pen26() : advance26;
      xMax = Math.max(xMax, pixel(next));
      GlyphImage img = image(g, antialias);
      // FreeType's cbox in pixels, y up; an empty glyph has the box (0, 0, 0, 0).
      int left = img.width() == 0 ? 0 : img.left();
      int right = img.width() == 0 ? 0 : img.left() + img.width();
      int top = img.height() == 0 ? 0 : -img.top();
      int bottom = img.height() == 0 ? 0 : -(img.top() + img.height());
      xMax = Math.max(xMax, px + right);
      xMin = Math.min(xMin, px + left);
      yMax = Math.max(yMax, top);
      yMin = Math.min(yMin, bottom);
    }
    int asc = primary.ascenderPixels(size);
    return new int[] {xMin, asc - yMax, xMax, asc - yMin};
  }

  /** Receives each glyph bitmap with the image position of its top-left pixel. */
  interface GlyphSink {
    void accept(GlyphImage image, int x, int y);
  }

  /**
   * Draws the text as {@code ImageDraw.text((x, y), text)} does: the integer parts of x and y
   * (truncated) place the text bitmap, the fractional parts shift the glyph pens in 26.6 before
   * they are rounded to whole pixels.
   */
  void draw(double x, double y, boolean antialias, GlyphSink sink) {
    int[] box = bbox(antialias);
    int xMin = box[0];
    int yMaxUp = primary.ascenderPixels(size) - box[1];
    int ix = (int) x;
    int iy = (int) y;
    double xStart = x - ix;
    double yStart = y - iy;
    long penX = cRound((xStart - xMin) * 64);
    long penY = cRound((-yMaxUp - yStart) * 64);
    int py = pixel(penY);
    for (Glyph g : glyphs) {
      GlyphImage img = image(g, antialias);
      if (img.width() == 0 || img.height() == 0) {
        continue;
      }
      int px = pixel(penX + g.pen26());
      int col = ix + xMin + px + img.left();
      int row = iy + box[1] + img.top() - py;
      sink.accept(img, col, row);
    }
  }

  private static long cRound(double v) {
    return (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
  }

  private GlyphImage image(Glyph g, boolean antialias) {
    String key = g.face().name() + '|' + System.identityHashCode(g.face()) + '|' + size + '|'
        + g.code() + '|' + antialias;
    if (CACHE.size() >= MAX_CACHED_GLYPHS) {
      CACHE.clear();
    }
    return CACHE.computeIfAbsent(key, k -> rasterise(g, antialias));
  }

  private GlyphImage rasterise(Glyph g, boolean antialias) {
    FontRenderContext frc = antialias ? AA : MONO;
    Font font = g.face().atSize(size);
    GlyphVector gv = font.createGlyphVector(frc, new int[] {g.code()});
    Rectangle b = gv.getGlyphPixelBounds(0, frc, 0, 0);
    if (b.width <= 0 || b.height <= 0) {
      return new GlyphImage(0, 0, 0, 0, new byte[0]);
    }
    BufferedImage img = new BufferedImage(b.width, b.height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D gr = img.createGraphics();
    gr.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING,
        antialias
            ? RenderingHints.VALUE_TEXT_ANTIALIAS_ON
            : RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
    gr.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
    gr.setColor(java.awt.Color.WHITE);
    gr.drawGlyphVector(gv, -b.x, -b.y);
    gr.dispose();
    byte[] cov = new byte[b.width * b.height];
    img.getRaster().getDataElements(0, 0, b.width, b.height, cov);
    return new GlyphImage(b.x, b.y, b.width, b.height, cov);
  }
}
