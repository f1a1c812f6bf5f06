package io.anytext2.eval.gen;

import io.anytext2.eval.bench.BenchmarkEntry;
import io.anytext2.eval.bench.BenchmarkLine;
import io.anytext2.sdk.pipeline.PreparedInputs;
import io.anytext2.sdk.prep.EditImage;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PositionLayout;
import io.anytext2.sdk.prep.PositionMasks;
import io.anytext2.sdk.prep.PreparedText;
import io.anytext2.sdk.prep.PythonRandom;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.TextLine;
import io.anytext2.sdk.prep.TextPreprocessor;
import io.anytext2.sdk.prompt.Captions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model inputs of one benchmark entry as the evaluation script builds them (TRAINING.md §5.2,
 * {@code get_item} + {@code process} of {@code anytext2_singleGPU.py}), through the SDK's
 * parity-checked {@link TextPreprocessor}: every line (up to 20) drawn with the rendering face, no
 * colour (500 → white glyphs), positions = the plain polygon fills, font hint = clip(Σ glyph
 * renders, 0, 1) (the face's own strokes as the style cue: every line "has" the rendering font),
 * and the masked image all −1 (generation) or the source picture with the line areas at −1 (edit).
 * Captions are taken verbatim: no quote parsing, no translation, no 5-line limit.
 */
public final class ProtocolInputs {
  private final FontLibrary fonts;
  private final FontFace face;
  private final TextPreprocessor text;

  /** @param face the face glyphs are drawn with (the original: Arial Unicode); fallback faces from {@code fonts} */
  public ProtocolInputs(FontLibrary fonts, FontFace face) {
    this.fonts = fonts;
    this.face = face;
    this.text = new TextPreprocessor(fonts, face, Optional.empty());
  }

  public FontLibrary fonts() {
    return fonts;
  }

  /**
   * Inputs and captions of one entry.
   *
   * @param editMask union of the line areas (what edit blending replaces)
   * @param source the prepared edit picture (null when generating)
   */
  public record Prepared(PreparedInputs inputs, Captions captions, Mask editMask, RgbImage source) {}

  /** @param source the picture to edit, already {@code size}×{@code size}; null to generate */
  public Prepared prepare(BenchmarkEntry entry, int size, RgbImage source) {
    List<BenchmarkLine> lines = entry.generationLines();
    int n = lines.size();
    List<Polygon> polygons = new ArrayList<>();
    List<TextLine> textLines = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (BenchmarkLine l : lines) {
      polygons.add(l.polygon());
      textLines.add(TextLine.of(l.text()).withFont(face));
      texts.add(l.text());
    }
    PositionLayout layout = PositionMasks.fromPolygons(size, size, polygons);
    RgbImage picture = source == null ? null : EditImage.prepare(source);
    // no mimic line draws from Python's random; the stream is the one seed_everything(seed) would give
    PreparedText prepared = text.prepare(textLines, layout, Optional.ofNullable(picture), new PythonRandom(GenerationProtocol.benchmark().seed()),
        false);
    PreparedInputs inputs = PreparedInputs.from(prepared);
    Captions captions = new Captions(entry.imageCaption() + ", " + GenerationProtocol.ADDED_PROMPT, GenerationProtocol.textCaption(n),
        GenerationProtocol.NEGATIVE_PROMPT, "", texts);
    return new Prepared(inputs, captions, layout.hint(), picture);
  }
}
