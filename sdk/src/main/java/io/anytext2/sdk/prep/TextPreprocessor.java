package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The host-side preprocessing of one request, in the original wrapper's order (MODEL.md §2.6 -
 * §2.10): glyph renderings, mimic crops (drawing from Python's random stream), the font-hint
 * canvas, the style crops and the masked image.
 */
public final class TextPreprocessor {

  private final GlyphRenderer renderer;
  private final FontFace renderingFace;
  private final Optional<RgbImage> hollowNoise;

  /**
   * @param library fonts for rendering and fallback
   * @param renderingFace the face glyphs and glyph lines are drawn with (the original's {@code
   *     --font_path}; DejaVu Sans by default here)
   * @param hollowNoise the original's {@code font/bg_noise.png} for the hollow font-hint effect, or
   *     empty (the effect is then unavailable)
   */
  public TextPreprocessor(
      FontLibrary library, FontFace renderingFace, Optional<RgbImage> hollowNoise) {
    this.renderer = new GlyphRenderer(library);
    this.renderingFace = renderingFace;
    this.hollowNoise = hollowNoise;
  }

  /** With the bundled fonts, DejaVu Sans for rendering and no hollow effect. */
  public static TextPreprocessor withBundledFonts() {
    FontLibrary lib = FontLibrary.bundled();
    return new TextPreprocessor(lib, lib.renderingFace(), Optional.empty());
  }

  /**
   * Prepares the lines.
   *
   * @param editImage the prepared edit picture ({@link EditImage#prepare}), or empty in gen mode
   * @param random Python's {@code random} stream after {@code seed_everything(seed)} (three draws
   *     per mimic line), e.g. {@code new PythonRandom(seed)}
   * @param fontHollow whether to apply the hollow font-hint effect (needs the noise texture)
   */
  public PreparedText prepare(
      List<TextLine> lines,
      PositionLayout layout,
      Optional<RgbImage> editImage,
      DoubleSupplier random,
      boolean fontHollow) {
    int w = layout.width();
    int h = layout.height();
    List<String> texts = lines.stream().map(TextLine::text).toList();
    layout.requireLinesFor(texts);
    if (fontHollow && hollowNoise.isEmpty()) {
      throw new IllegalArgumentException(
          "expected the bg_noise texture for the hollow font hint, found none");
    }
    List<FloatImage> glyphs = new ArrayList<>();
    List<FloatImage> glyphLines = new ArrayList<>();
    List<Optional<FloatImage>> mimics = new ArrayList<>();
    List<FloatImage> hintRenders = new ArrayList<>();
    for (int j = 0; j < lines.size(); j++) {
      TextLine line = lines.get(j);
      String text = line.renderedText();
      Optional<LinePlacement> place = layout.line(j).filter(p -> !p.mask().isEmpty());
      if (place.isEmpty()) {
        glyphs.add(FloatImage.zeros(3, h, w));
        glyphLines.add(FloatImage.zeros(1, GlyphRenderer.LINE_HEIGHT, GlyphRenderer.LINE_WIDTH));
        mimics.add(Optional.empty());
        continue;
      }
      Polygon poly = place.get().polygon();
      glyphLines.add(renderer.glyphLine(renderingFace, text));
      glyphs.add(renderer.glyphImage(renderingFace, text, poly, line.color().renderColor(), w, h));
      if (line.mimic().isPresent()) {
        TextLine.MimicReference m = line.mimic().get();
        mimics.add(Optional.of(MimicStyle.crop(m.image(), m.brush(), random)));
      } else {
        mimics.add(Optional.empty());
        if (line.font().isPresent()) {
          hintRenders.add(
              renderer.glyphImage(line.font().get(), text, poly, new int[] {255, 255, 255}, w, h));
        }
      }
    }
    Optional<GrayImage> noise =
        fontHollow ? hollowNoise.map(n -> FontHint.hollowNoise(n, w, h)) : Optional.empty();
    FloatImage fontHint = FontHint.canvas(w, h, hintRenders, noise);
    List<PreparedText.Line> out = new ArrayList<>();
    for (int j = 0; j < lines.size(); j++) {
      Mask position = layout.positionMask(j);
      Optional<FloatImage> mimic = mimics.get(j);
      FloatImage style = mimic.orElseGet(() -> StyleInput.fromFontHint(fontHint, position));
      out.add(
          new PreparedText.Line(
              lines.get(j).renderedText(),
              glyphs.get(j),
              glyphLines.get(j),
              position,
              lines.get(j).color(),
              style,
              mimic.isPresent()));
    }
    FloatImage masked = MaskedImage.of(editImage.orElse(null), layout.hint());
    return new PreparedText(w, h, out, layout.hint(), fontHint, masked);
  }
}
