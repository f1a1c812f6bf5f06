package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.IntPoint;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonGeometry;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.RotatedRect;
import io.anytext2.sdk.prompt.PromptParser;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * T3DataSet's {@code __getitem__} (TRAINING.md §2.2-§2.10): one annotated image → one {@link
 * TrainingSample} at {@link SampleConfig#size()} pixels. All randomness comes from the {@link
 * Random} passed in, in the order of §2.2. Thread-safe.
 *
 * <p>Deliberate differences from the original (P-15): nothing of the entry is mutated, so a revisit
 * of an image neither grows its caption nor its loss mask. Lines whose characters no bundled font
 * can draw are treated like {@code valid: false} lines (loss-masked, not conditioned) and counted by
 * {@link #undrawableLines()}; the original would draw them as missing-glyph boxes. The pixel sizes
 * of the spec (the 20 px "small line" rule, the text-free square, the font-hint shift) are scaled by
 * S/512; the 3×3 morphology kernels are not.
 */
public final class SampleProcessor {

  /** §2.2 step 5: the dummy line of a text-free image, in the 512 frame. */
  private static final int[] DUMMY_SQUARE_512 = {10, 10, 100, 10, 100, 100, 10, 100};
  /** §2.7: lines whose min-area rectangle has a side below this (512 frame) are never eroded. */
  private static final double SMALL_LINE_PX_512 = 20;
  /** §2.10: masked image = clip(img − 10·m, −1, 1). */
  private static final float EDIT_MASK_STRENGTH = 10f;

  private final SampleConfig config;
  private final LanguageFonts fonts;
  private final GlyphRenderer renderer;
  private final AtomicLong undrawable = new AtomicLong();

  public SampleProcessor(SampleConfig config, LanguageFonts fonts) {
    this.config = config;
    this.fonts = fonts;
    this.renderer = new GlyphRenderer(fonts.library());
  }

  /** With the bundled fonts. */
  public SampleProcessor(SampleConfig config) {
    this(config, LanguageFonts.bundled());
  }

  public SampleConfig config() {
    return config;
  }

  /** Lines so far that were loss-masked because no bundled font has their characters. */
  public long undrawableLines() {
    return undrawable.get();
  }

  /** The samples of a dataset, processed by this processor. */
  public SampleSource source(AnyWordDataset dataset) {
    return new SampleSource() {
      @Override
      public int size() {
        return dataset.size();
      }

      @Override
      public TrainingSample load(int index, Random rng) {
        return process(dataset.get(index), rng);
      }

      @Override
      public String describe(int index) {
        return dataset.get(index).describe();
      }
    };
  }

  /** Reads the entry's image and processes it. */
  public TrainingSample process(AnyWordEntry entry, Random rng) {
    return process(entry, readImage(entry.imagePath()), rng);
  }

  /**
   * Reads an RGB image (PNG, JPEG, WebP, …).
   *
   * @throws IllegalArgumentException with one line naming the file when it is missing or unreadable
   */
  public static RgbImage readImage(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("expected an image file at " + file + ", found none");
    }
    try {
      return RgbImage.read(file);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("cannot decode image " + file + ": " + e.getCause().getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot decode image " + file + ": " + e.getMessage(), e);
    }
  }

  /** One line as it is conditioned: polygon in the S frame, text cut to maxChars. */
  private record Line(Polygon polygon, String text, String language, int[] color) {}

  /** Processes an entry whose image is already decoded. */
  public TrainingSample process(AnyWordEntry entry, RgbImage picture, Random rng) {
    int s = config.size();
    boolean edit = rng.nextDouble() < config.maskRatio();
    double sx = config.rescalePolygons() ? (double) s / picture.width() : 1;
    double sy = config.rescalePolygons() ? (double) s / picture.height() : 1;
    RgbImage pic = ImageOps.resize(picture, s, s);
    float[] image = ImageOps.toSignedChw(pic);
    String imageCaption = Captions.truncate(entry.caption() + ". ", config.truncCap(), rng);

    List<Polygon> lossPolygons = new ArrayList<>();
    for (Polygon p : entry.invalidPolygons()) {
      lossPolygons.add(scale(p, sx, sy));
    }
    List<Line> lines = new ArrayList<>();
    for (TextAnnotation a : entry.lines()) {
      Polygon p = scale(a.polygon(), sx, sy);
      String text = firstCodePoints(a.text(), config.maxChars());
      if (!fonts.canDraw(text)) {
        undrawable.incrementAndGet();
        lossPolygons.add(p);
        continue;
      }
      lines.add(new Line(p, text, a.language(), a.color()));
    }
    if (lines.isEmpty()) {
      lines.add(new Line(scale(Polygon.of(DUMMY_SQUARE_512), s / 512.0, s / 512.0), " ", Languages.LATIN,
          TextAnnotation.noColor()));
    }
    List<Line> selected = select(lines, lossPolygons, rng);
    List<int[]> colors = new ArrayList<>();
    for (Line line : selected) {
      boolean keep = config.colorProb() >= 1 || rng.nextDouble() < config.colorProb();
      colors.add(keep ? line.color() : TextAnnotation.noColor());
    }
    String textCaption = Captions.textCaption(selected.size(), rng);

    List<float[]> glyphs = new ArrayList<>();
    List<float[]> glyphLines = new ArrayList<>();
    for (int j = 0; j < selected.size(); j++) {
      Line line = selected.get(j);
      FontFace face = config.randFont() ? fonts.pick(line.language(), rng) : fonts.defaultFace();
      glyphLines.add(renderer.glyphLine(face, line.text()).data());
      glyphs.add(glyphImage(face, line, colors.get(j), s));
    }
    List<float[]> positions = new ArrayList<>();
    byte[] positionUnion = new byte[s * s];
    byte[] hintUnion = new byte[s * s];
    for (Line line : selected) {
      byte[] pos = position(line.polygon(), s, rng);
      positions.add(ImageOps.toFloats(pos));
      orInto(positionUnion, pos);
      if (config.fontHintProb() > 0) {
        orInto(hintUnion, FontHints.hint(pic, line.polygon(), config, rng));
      }
    }
    float[] masked = new float[image.length];
    if (edit) {
      int plane = s * s;
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          masked[c * plane + i] = Math.max(-1f, Math.min(1f, image[c * plane + i] - EDIT_MASK_STRENGTH * positionUnion[i]));
        }
      }
      lossPolygons.clear(); // §2.10: editing samples have no loss mask
    } else {
      Arrays.fill(masked, -1f);
    }
    byte[] inv = new byte[s * s];
    for (Polygon p : lossPolygons) {
      orInto(inv, PolygonRasterizer.fill(s, s, p).data());
    }
    if (config.captionDropout() > 0 && rng.nextDouble() < config.captionDropout()) {
      imageCaption = PromptParser.DEFAULT_N_PROMPT; // what the unconditional branch reads at inference
      textCaption = "";
    }
    return new TrainingSample(s, image, masked, imageCaption, textCaption, glyphs, glyphLines, positions,
        ImageOps.toFloats(hintUnion), ImageOps.toFloats(inv), colors,
        selected.stream().map(Line::text).toList(), selected.stream().map(Line::language).toList(), edit);
  }

  /**
   * §2.2 step 6: all lines in order when at most maxLines, else {@code random.sample} (sampling
   * order); the unselected lines' polygons join the loss mask (§2.4).
   */
  private List<Line> select(List<Line> lines, List<Polygon> lossPolygons, Random rng) {
    int n = lines.size();
    if (n <= config.maxLines()) {
      return lines;
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int k = 0; k < config.maxLines(); k++) {
      int j = k + rng.nextInt(n - k);
      int t = idx[k];
      idx[k] = idx[j];
      idx[j] = t;
    }
    List<Line> selected = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Line line = lines.get(idx[k]);
      if (k < config.maxLines()) {
        selected.add(line);
      } else {
        lossPolygons.add(line.polygon());
      }
    }
    return selected;
  }

  /** §2.6; any failure gives an all-zero image, as the original's try/except. */
  private float[] glyphImage(FontFace face, Line line, int[] color, int s) {
    try {
      return renderer.glyphImage(face, line.text(), line.polygon(), color, s, s).data();
    } catch (RuntimeException e) {
      return new float[3 * s * s];
    }
  }

  /** §2.7: the filled polygon, then r = U(0,1) picks none / dilate ×1 / erode ×1 / dilate ×2 / erode ×2. */
  private byte[] position(Polygon polygon, int s, Random rng) {
    boolean draw = config.maskPosProb() >= 1 || rng.nextDouble() < config.maskPosProb();
    byte[] mask = draw ? PolygonRasterizer.fill(s, s, polygon).data() : new byte[s * s];
    double r = rng.nextDouble();
    RotatedRect rect = PolygonGeometry.minAreaRect(polygon);
    boolean small = Math.min(rect.width(), rect.height()) < SMALL_LINE_PX_512 * s / 512.0;
    if (r < 0.7) {
      return mask;
    } else if (r < 0.8) {
      return ImageOps.morph3x3(mask, s, s, true);
    } else if (r < 0.9) {
      return small ? mask : ImageOps.morph3x3(mask, s, s, false);
    } else if (r < 0.95) {
      return ImageOps.morph3x3(ImageOps.morph3x3(mask, s, s, true), s, s, true);
    } else {
      return small ? mask : ImageOps.morph3x3(ImageOps.morph3x3(mask, s, s, false), s, s, false);
    }
  }

  private static void orInto(byte[] acc, byte[] m) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] |= m[i];
    }
  }

  private static Polygon scale(Polygon p, double sx, double sy) {
    if (sx == 1 && sy == 1) {
      return p;
    }
    List<IntPoint> pts = new ArrayList<>(p.size());
    for (IntPoint q : p.points()) {
      pts.add(new IntPoint((int) Math.round(q.x() * sx), (int) Math.round(q.y() * sy)));
    }
    return new Polygon(pts);
  }

  /** Python's {@code text[:n]}: the first n code points (P-25). */
  static String firstCodePoints(String text, int n) {
    int count = text.codePointCount(0, text.length());
    return count <= n ? text : text.substring(0, text.offsetByCodePoints(0, n));
  }
}
