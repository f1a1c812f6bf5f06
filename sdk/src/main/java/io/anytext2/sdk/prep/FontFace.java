package io.anytext2.sdk.prep;

import java.awt.Font;
import java.awt.font.TextAttribute;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fontbox.ttf.CmapLookup;

/**
 * One face of a font file: the Java2D font used to rasterise glyphs, the FontBox cmap used to check
 * glyph coverage, and the vertical metrics FreeType (hence Pillow) uses for the "ascender" anchor.
 * Immutable and thread-safe.
 */
public final class FontFace {

  private final String name;
  private final Font awtFont;
  private final CmapLookup cmap;
  private final int unitsPerEm;
  private final int ascender;
  private final boolean integerPpem;
  private final Map<Integer, Font> sized = new ConcurrentHashMap<>();

  FontFace(
      String name,
      Font awtFont,
      CmapLookup cmap,
      int unitsPerEm,
      int ascender,
      boolean integerPpem) {
    this.name = name;
    this.awtFont = awtFont;
    this.cmap = cmap;
    this.unitsPerEm = unitsPerEm;
    this.ascender = ascender;
    this.integerPpem = integerPpem;
  }

  /** The face name as the font states it (e.g. "DejaVu Sans"). */
  public String name() {
    return name;
  }

  /** Whether the face has a glyph for the code point (FontBox cmap lookup, glyph id > 0). */
  public boolean covers(int codePoint) {
    return cmap.getGlyphId(codePoint) > 0;
  }

  /** Code points of the text (in order, repeats kept) that this face has no glyph for. */
  public String uncovered(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints()
        .filter(cp -> !Character.isWhitespace(cp) && !covers(cp))
        .forEach(sb::appendCodePoint);
    return sb.toString();
  }

  /**
   * The ascender in whole pixels at a pixel size, as FreeType reports it for TrueType fonts: the
   * scaled font ascender rounded (fonts asking for integer ppem, head.flags bit 3) or rounded up.
   * This is where Pillow's default "la" anchor puts the text origin (MODEL.md §2.7).
   */
  public int ascenderPixels(int pixelSize) {
    double scaled = (double) ascender * pixelSize / unitsPerEm;
    return integerPpem ? (int) Math.floor(scaled + 0.5) : (int) Math.ceil(scaled);
  }

  /**
   * The Java2D font at a pixel size (a point at the identity transform is one pixel), with kerning
   * and standard ligatures on, as Pillow's default Raqm/HarfBuzz layout applies them.
   */
  public Font atSize(int pixelSize) {
    return sized.computeIfAbsent(
        pixelSize,
        s ->
            awtFont.deriveFont(
                Map.of(
                    TextAttribute.SIZE, (float) s,
                    TextAttribute.KERNING, TextAttribute.KERNING_ON,
                    TextAttribute.LIGATURES, TextAttribute.LIGATURES_ON)));
  }

  @Override
  public String toString() {
    return "FontFace[" + name + "]";
  }
}
