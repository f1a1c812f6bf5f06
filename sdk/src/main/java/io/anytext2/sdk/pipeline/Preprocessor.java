package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.layout.AutoLayout;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.EditImage;
import io.anytext2.sdk.prep.GrayImage;
import io.anytext2.sdk.prep.PreparedText;
import io.anytext2.sdk.prep.PythonRandom;
import io.anytext2.sdk.prep.TextColor;
import io.anytext2.sdk.prep.TextPreprocessor;
import java.util.Optional;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.PositionLayout;
import io.anytext2.sdk.prep.PositionMasks;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prompt.Captions;
import io.anytext2.sdk.prompt.PromptParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request into the model's inputs as the original demo does (MODEL.md §2): captions,
 * positions, glyph renders, font hints, colours and the masked image. Thread-safe (no mutable state).
 */
public final class Preprocessor {
  private final FontLibrary fonts;
  private final TextPreprocessor textPrep;
  private final int downFactor;
  private final PromptParser parser = PromptParser.withoutTranslator();

  public Preprocessor(FontLibrary fonts, int downFactor) {
    this.fonts = fonts;
    this.textPrep = new TextPreprocessor(fonts, fonts.renderingFace(), Optional.empty());
    this.downFactor = downFactor;
  }

  public int downFactor() {
    return downFactor;
  }

  /**
   * The prepared request.
   *
   * @param editMask union of all text areas at model size (what edit compositing replaces)
   */
  public record Prepared(PreparedInputs inputs, Captions captions, List<Polygon> positions, Mask editMask) {}

  public Prepared prepare(AnyText2Request r, long seed) {
    List<TextLine> lines = linesOf(r);
    String textPrompt = textPrompt(r, lines);
    Captions captions = parser.captions(r.prompt(), textPrompt, r.addedPrompt(), r.negativePrompt());
    if (captions.lines().size() != lines.size() && !(lines.isEmpty() && captions.lines().equals(List.of(PromptParser.NO_TEXT_LINE)))) {
      throw new IllegalArgumentException("the text prompt quotes " + captions.lines().size() + " line(s) but " + lines.size() + " were given");
    }
    for (TextLine l : lines) requireCoverage(l.text());

    Optional<RgbImage> picture = r.mode() == AnyText2Request.Mode.EDIT ? Optional.of(EditImage.prepare(r.image())) : Optional.empty();
    int width = picture.map(RgbImage::width).orElse(r.width());
    int height = picture.map(RgbImage::height).orElse(r.height());
    PositionLayout layout = positions(r, lines, width, height);
    List<io.anytext2.sdk.prep.TextLine> prepLines = new ArrayList<>();
    for (TextLine l : lines) prepLines.add(toPrepLine(l));
    // Python's random stream of seed_everything(seed): three draws per mimic line (MODEL.md §2.12)
    PreparedText text = textPrep.prepare(prepLines, layout, picture, new PythonRandom(seed), false);

    List<Polygon> polygons = new ArrayList<>();
    for (int j = 0; j < lines.size(); j++) polygons.add(layout.line(j).map(p -> p.polygon()).orElse(null));
    PreparedInputs inputs = PreparedInputs.from(text);
    return new Prepared(inputs, captions, polygons, layout.hint());
  }

  /** The request line in the form the text preprocessing takes (font file/name → face, mimic → brush). */
  private io.anytext2.sdk.prep.TextLine toPrepLine(TextLine l) {
    io.anytext2.sdk.prep.TextLine p = io.anytext2.sdk.prep.TextLine.of(l.text());
    if (l.color() != null) p = p.withColor(new TextColor(l.color().r(), l.color().g(), l.color().b()));
    if (l.font() instanceof FontChoice.Mimic m) {
      Mask brush = PolygonRasterizer.fill(m.image().width(), m.image().height(), m.region());
      if (brush.isEmpty()) throw new IllegalArgumentException("the mimic region of '" + l.text() + "' covers no pixel of its picture");
      return p.withMimic(new io.anytext2.sdk.prep.TextLine.MimicReference(m.image(), GrayImage.of(brush)));
    }
    FontFace face = hintFace(l.font());
    return face == null ? p : p.withFont(face);
  }

  /** Lines of the request, or the quoted words of the prompt when none are given. */
  private List<TextLine> linesOf(AnyText2Request r) {
    if (!r.lines().isEmpty()) return r.lines();
    List<TextLine> out = new ArrayList<>();
    for (String q : parser.parse(r.prompt()).quoted()) out.add(TextLine.of(q));
    if (out.size() > AnyText2Request.MAX_LINES) {
      throw new IllegalArgumentException("the prompt quotes " + out.size() + " lines; AnyText2 takes at most " + AnyText2Request.MAX_LINES);
    }
    return out;
  }

  /** The request's text prompt, or one in the wording of the training captions ({@code Texts are * , * .}). */
  static String textPrompt(AnyText2Request r, List<TextLine> lines) {
    if (r.textPrompt() != null) return r.textPrompt();
    if (r.lines().isEmpty()) return r.prompt(); // the lines came from the prompt's quotes
    StringBuilder sb = new StringBuilder("Texts are ");
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) sb.append(" , "); // keep '*' a separate token: "*," would not be a placeholder (MODEL.md §3.2)
      sb.append('"').append(lines.get(i).text()).append('"');
    }
    return sb.append(" .").toString();
  }

  private PositionLayout positions(AnyText2Request r, List<TextLine> lines, int width, int height) {
    if (r.positionImage() != null) {
      RgbImage map = r.mode() == AnyText2Request.Mode.EDIT && (r.positionImage().width() != width || r.positionImage().height() != height)
          ? EditImage.resize(r.positionImage(), width, height) : r.positionImage();
      PositionLayout layout = PositionMasks.fromImage(map, r.sortPriority());
      if (layout.placements().isEmpty()) throw new IllegalArgumentException("the mask has no white region (text areas are white on black)");
      if (layout.placements().size() < lines.size()) {
        throw new IllegalArgumentException("the mask has " + layout.placements().size() + " region(s) but there are " + lines.size()
            + " text lines");
      }
      return layout;
    }
    List<Polygon> polys = new ArrayList<>();
    List<String> unplaced = new ArrayList<>();
    Mask taken = Mask.empty(width, height);
    for (TextLine l : lines) {
      if (l.position() != null) {
        checkInside(l, width, height);
        taken = taken.or(PolygonRasterizer.fill(width, height, l.position()));
      } else {
        unplaced.add(l.text());
      }
    }
    List<Polygon> auto = AutoLayout.place(unplaced, width, height, taken);
    int k = 0;
    for (TextLine l : lines) polys.add(l.position() != null ? l.position() : auto.get(k++));
    return PositionMasks.fromPolygons(width, height, polys);
  }

  private static void checkInside(TextLine l, int width, int height) {
    int[] xy = l.position().toXy();
    for (int i = 0; i < xy.length; i += 2) {
      if (xy[i] < 0 || xy[i] > width || xy[i + 1] < 0 || xy[i + 1] > height) {
        throw new IllegalArgumentException("position of '" + l.text() + "' has point (" + xy[i] + "," + xy[i + 1]
            + ") outside the " + width + "x" + height + " picture");
      }
    }
  }

  private FontFace hintFace(FontChoice f) {
    if (f instanceof FontChoice.File file) return FontLibrary.load(file.path());
    if (f instanceof FontChoice.Bundled b) {
      for (FontFace face : fonts.faces()) {
        if (face.name().equalsIgnoreCase(b.name()) || face.name().replace(" ", "").equalsIgnoreCase(b.name().replace(" ", ""))) return face;
      }
      List<String> names = fonts.faces().stream().map(FontFace::name).toList();
      throw new IllegalArgumentException("no bundled font named '" + b.name() + "' (bundled: " + String.join(", ", names) + ")");
    }
    return null;
  }

  private void requireCoverage(String text) {
    StringBuilder missing = new StringBuilder();
    text.codePoints().filter(cp -> !Character.isWhitespace(cp))
        .filter(cp -> fonts.faces().stream().noneMatch(f -> f.covers(cp)))
        .distinct().forEach(missing::appendCodePoint);
    if (missing.length() > 0) {
      throw new IllegalArgumentException("no bundled font has the character(s) '" + missing + "' of line '" + text + "'");
    }
  }

}
