package io.anytext2.sdk.prep;

import java.util.List;

/**
 * Everything the conditioning needs from the host side (MODEL.md §2.10, one batch item): per line
 * the glyph image, glyph line, position, colour and style crop; the hint, font-hint canvas and
 * masked image of the whole request.
 */
public record PreparedText(
    int width,
    int height,
    List<Line> lines,
    Mask hint,
    FloatImage fontHint,
    FloatImage maskedImage) {

  public PreparedText {
    lines = List.copyOf(lines);
  }

  /**
   * One prepared line.
   *
   * @param glyphs {@code [3, H, W]} in 0..1 ({@code glyphs_j})
   * @param glyphLine {@code [1, 80, 512]} of 0/1 ({@code gly_line_j})
   * @param position the position mask ({@code positions_j}; all zero when the line has none)
   * @param styleImage the style recognizer's crop {@code [3, h, w]} in 0..255
   * @param styleInFloat64 whether the original handles this crop in float64 (mimic crops)
   */
  public record Line(
      String text,
      FloatImage glyphs,
      FloatImage glyphLine,
      Mask position,
      TextColor color,
      FloatImage styleImage,
      boolean styleInFloat64) {

    /** The OCR input of the glyph line, {@code [3, 48, 320]}. */
    public FloatImage recognizerInput() {
      return RecognizerInput.fromGlyphLine(glyphLine);
    }

    /** The style recognizer's input, {@code [3, 48, 320]}. */
    public FloatImage styleInput() {
      return RecognizerInput.prepare(styleImage, styleInFloat64);
    }
  }
}
