package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.layout.AutoLayout;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.PositionLayout;
import io.anytext2.sdk.prep.PositionMasks;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.StyleInput;
import io.anytext2.sdk.prompt.Captions;
import io.anytext2.sdk.prompt.PromptParser;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request into the model's inputs as the original demo does (MODEL.md §2): captions,
 * positions, glyph renders, font hints, colours and the masked image. Thread-safe (no mutable state).
 */
public final class Preprocessor {
  /** Colour code the model learned for "no colour given" (MODEL.md §2.3). */
  static final float UNSET_COLOR = 500f;

  private final FontLibrary fonts;
  private final GlyphRenderer renderer;
  private final int downFactor;
  private final PromptParser parser = PromptParser.withoutTranslator();

  public Preprocessor(FontLibrary fonts, int downFactor) {
    this.fonts = fonts;
    this.renderer = new GlyphRenderer(fonts);
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

  public Prepared prepare(AnyText2Request r) {
    List<TextLine> lines = linesOf(r);
    String textPrompt = textPrompt(r, lines);
    Captions captions = parser.captions(r.prompt(), textPrompt, r.addedPrompt(), r.negativePrompt());
    if (captions.lines().size() != lines.size() && !(lines.isEmpty() && captions.lines().equals(List.of(PromptParser.NO_TEXT_LINE)))) {
      throw new IllegalArgumentException("the text prompt quotes " + captions.lines().size() + " line(s) but " + lines.size() + " were given");
    }
    for (TextLine l : lines) requireCoverage(l.text());

    RgbImage picture = r.mode() == AnyText2Request.Mode.EDIT ? EditImages.workingCopy(r.image()) : null;
    int width = picture != null ? picture.width() : r.width();
    int height = picture != null ? picture.height() : r.height();
    PositionLayout layout = positions(r, lines, width, height);
    int n = lines.size();

    FontFace face = fonts.renderingFace();
    List<FloatTensor> recog = new ArrayList<>();
    List<FloatTensor> style = new ArrayList<>();
    List<FloatTensor> pos = new ArrayList<>();
    float[] colors = new float[3 * n];
    float[] glyphMask = new float[width * height];
    float[] positionSum = new float[width * height];
    float[] fontHint = new float[width * height];
    List<Polygon> polygons = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      TextLine line = lines.get(j);
      Mask m = layout.positionMask(j);
      Polygon poly = layout.line(j).map(p -> p.polygon()).orElse(null);
      polygons.add(poly);
      Rgb c = line.color();
      colors[3 * j] = c == null ? UNSET_COLOR : c.r();
      colors[3 * j + 1] = c == null ? UNSET_COLOR : c.g();
      colors[3 * j + 2] = c == null ? UNSET_COLOR : c.b();
      float[] mf = m.toFloats();
      pos.add(new FloatTensor(mf, new long[] {1, height, width}));
      for (int i = 0; i < mf.length; i++) positionSum[i] += mf[i];
      if (poly != null) {
        int[] rgb = c == null ? new int[] {500, 500, 500} : new int[] {c.r(), c.g(), c.b()};
        FloatImage g = renderer.glyphImage(face, line.text(), poly, rgb, width, height);
        float[] gd = g.data();
        int plane = width * height;
        for (int i = 0; i < plane; i++) {
          if (gd[i] + gd[plane + i] + gd[2 * plane + i] != 0) glyphMask[i] = 1f; // MODEL.md §3.6 binarisation
        }
        FontFace hintFace = hintFace(line.font());
        if (hintFace != null) {
          FloatImage hint = renderer.glyphImage(hintFace, line.text(), poly, new int[] {255, 255, 255}, width, height);
          float[] hd = hint.data();
          for (int i = 0; i < plane; i++) fontHint[i] = Math.min(1f, fontHint[i] + hd[i]);
        }
      }
      FloatImage gl = poly == null ? FloatImage.zeros(1, GlyphRenderer.LINE_HEIGHT, GlyphRenderer.LINE_WIDTH)
          : renderer.glyphLine(face, line.text());
      recog.add(tensor(RecognizerInput.fromGlyphLine(gl)));
    }
    FloatImage hintImage = new FloatImage(1, height, width, fontHint);
    for (int j = 0; j < n; j++) {
      FontChoice f = lines.get(j).font();
      FloatImage crop = f instanceof FontChoice.Mimic mimic
          ? MimicStyle.crop(mimic.image(), mimic.region())
          : StyleInput.fromFontHint(hintImage, layout.positionMask(j));
      style.add(tensor(RecognizerInput.prepare(crop, f instanceof FontChoice.Mimic)));
    }
    Mask hint = layout.hint();
    FloatTensor masked = maskedImage(picture, hint, width, height);
    long[] lineShape = {n, 3, RecognizerInput.HEIGHT, RecognizerInput.WIDTH};
    PreparedInputs inputs = new PreparedInputs(
        n == 0 ? FloatTensor.zeros(lineShape) : FloatTensor.stack(recog),
        n == 0 ? FloatTensor.zeros(lineShape) : FloatTensor.stack(style),
        n == 0 ? FloatTensor.zeros(0, 1, height, width) : FloatTensor.stack(pos),
        new FloatTensor(colors, new long[] {n, 3}),
        new FloatTensor(glyphMask, new long[] {1, 1, height, width}),
        new FloatTensor(positionSum, new long[] {1, 1, height, width}),
        masked);
    return new Prepared(inputs, captions, polygons, hint);
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
      RgbImage map = r.mode() == AnyText2Request.Mode.EDIT ? EditImages.resizeMask(r.positionImage(), width, height) : r.positionImage();
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

  /** {@code clip(E/127.5 − 1 − 10·hint, −1, 1)}; all −1 when generating (MODEL.md §2.9). [1,3,H,W]. */
  static FloatTensor maskedImage(RgbImage picture, Mask hint, int width, int height) {
    int plane = width * height;
    float[] out = new float[3 * plane];
    byte[] hints = hint.data(); // data() and pixels() return copies: take them once, not once per pixel
    byte[] pixels = picture == null ? null : picture.pixels();
    for (int i = 0; i < plane; i++) {
      float h = hints[i] != 0 ? 1f : 0f;
      for (int c = 0; c < 3; c++) {
        float e = pixels == null ? 0f : (pixels[3 * i + c] & 0xff);
        float v = e / 127.5f - 1f - h * 10f;
        out[c * plane + i] = Math.max(-1f, Math.min(1f, v));
      }
    }
    return new FloatTensor(out, new long[] {1, 3, height, width});
  }

  private static FloatTensor tensor(FloatImage img) {
    return new FloatTensor(img.data(), new long[] {img.channels(), img.height(), img.width()});
  }
}
