package io.anytext2.sdk;

import io.anytext2.sdk.prep.Polygon;

/**
 * One line of text to render.
 *
 * @param text the characters (1 to {@link #MAX_CHARS})
 * @param position where: a polygon in output pixels, or null to take it from the request's position
 *     image or, without one, from the automatic layout
 * @param font style of the line (null = unspecified)
 * @param color text colour (null = let the model choose, the original's 500,500,500)
 */
public record TextLine(String text, Polygon position, FontChoice font, Rgb color) {
  /** The original renders at most 20 characters per line (MODEL.md §2.1 max_chars). */
  public static final int MAX_CHARS = 20;

  public TextLine {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("a text line is empty");
    int n = text.codePointCount(0, text.length());
    if (n > MAX_CHARS) {
      throw new IllegalArgumentException("text line '" + text + "' has " + n + " characters; AnyText2 renders at most "
          + MAX_CHARS + " per line (split it into several lines)");
    }
    if (text.indexOf('"') >= 0) throw new IllegalArgumentException("text line '" + text + "' contains a double quote, which the prompt syntax reserves");
    if (font == null) font = FontChoice.unspecified();
  }

  public static TextLine of(String text) {
    return new TextLine(text, null, null, null);
  }

  public TextLine at(Polygon p) {
    return new TextLine(text, p, font, color);
  }

  public TextLine withFont(FontChoice f) {
    return new TextLine(text, position, f, color);
  }

  public TextLine withColor(Rgb c) {
    return new TextLine(text, position, font, c);
  }
}
