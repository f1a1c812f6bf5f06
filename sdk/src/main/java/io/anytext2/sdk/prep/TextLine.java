package io.anytext2.sdk.prep;

import java.util.Optional;

/**
 * One line of text to draw and its attributes (MODEL.md §2.1, §2.4): the font that drives the style
 * hint (the glyphs themselves always use the rendering face), or a picture to mimic the style from,
 * and the colour.
 */
public record TextLine(
    String text, Optional<FontFace> font, Optional<MimicReference> mimic, TextColor color) {

  /** Characters of a line that are rendered (longer lines are cut, §2.1 max_chars). */
  public static final int MAX_CHARS = 20;

  /** A picture and a brush mask over example text whose style a line should copy. */
  public record MimicReference(RgbImage image, GrayImage brush) {
    public MimicReference {
      if (image.width() != brush.width() || image.height() != brush.height()) {
        throw new IllegalArgumentException(
            "expected a brush mask of the picture's size "
                + image.width()
                + "x"
                + image.height()
                + ", found "
                + brush.width()
                + "x"
                + brush.height());
      }
    }
  }

  public TextLine {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("expected line text, found an empty string");
    }
    if (font.isPresent() && mimic.isPresent()) {
      throw new IllegalArgumentException("expected a font or a mimic picture, found both");
    }
  }

  /** A line with no style hint and no colour. */
  public static TextLine of(String text) {
    return new TextLine(text, Optional.empty(), Optional.empty(), TextColor.UNSPECIFIED);
  }

  public TextLine withFont(FontFace face) {
    return new TextLine(text, Optional.of(face), Optional.empty(), color);
  }

  public TextLine withMimic(MimicReference reference) {
    return new TextLine(text, Optional.empty(), Optional.of(reference), color);
  }

  public TextLine withColor(TextColor c) {
    return new TextLine(text, font, mimic, c);
  }

  /** The text as rendered: its first {@value #MAX_CHARS} code points. */
  public String renderedText() {
    int n = text.codePointCount(0, text.length());
    return n <= MAX_CHARS ? text : text.substring(0, text.offsetByCodePoints(0, MAX_CHARS));
  }
}
