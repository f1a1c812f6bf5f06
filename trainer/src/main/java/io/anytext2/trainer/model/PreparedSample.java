package io.anytext2.trainer.model;

import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.sdk.prep.StyleInput;
import io.anytext2.sdk.prompt.PlaceholderAssignment;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.loss.RecognizerCrop;
import java.util.ArrayList;
import java.util.List;

/**
 * Host-side preparation of one {@link TrainingSample} for the model (TRAINING.md §3.2–§3.4): the
 * WriteNet's glyph union and position sum, the latent loss mask, per line the two recognizer
 * inputs (glyph line for {@code text_predictor}, font-hint crop for the style recognizer, both as
 * MODEL.md §3.4.2 prepares them), colour, CTC target, and the tokenized captions with the line
 * placed at every placeholder. Everything that can fail on bad data fails here, with an
 * {@link IllegalArgumentException}, so the loop can drop the sample before any tensor work.
 */
public final class PreparedSample {
  /** One text line. */
  public record Line(float[] recog, float[] style, float styleAspect, float[] position, Mask positionMask, float[] color,
      String text, String language, int[] target, RecognizerCrop crop) {}

  final int size;
  final float[] image;
  final float[] masked;
  final float[] glyphMask;
  final float[] positionSum;
  final float[] keep;
  final List<Line> lines;
  final long[] textIds;
  final int[] textLineAt;
  final long[][] imageChunks;
  final int[][] imageLineAt;
  /** For the image log: captions and per-line glyph images [3,S,S]. */
  final String imageCaption;
  final String textCaption;
  final List<float[]> glyphs;

  private PreparedSample(int size, float[] image, float[] masked, float[] glyphMask, float[] positionSum, float[] keep,
      List<Line> lines, long[] textIds, int[] textLineAt, long[][] imageChunks, int[][] imageLineAt, TrainingSample source) {
    this.size = size;
    this.image = image;
    this.masked = masked;
    this.glyphMask = glyphMask;
    this.positionSum = positionSum;
    this.keep = keep;
    this.lines = lines;
    this.textIds = textIds;
    this.textLineAt = textLineAt;
    this.imageChunks = imageChunks;
    this.imageLineAt = imageLineAt;
    this.imageCaption = source.imageCaption();
    this.textCaption = source.textCaption();
    this.glyphs = source.glyphs();
  }

  /**
   * @param downFactor image → latent factor (8)
   * @param dictionary CTC classes, or null when the CTC loss is off
   * @param ocrCrops whether to plan the differentiable crops of the OCR losses
   */
  public static PreparedSample of(TrainingSample s, ClipTokenizer tokenizer, int placeholderId, int downFactor,
      OcrDictionary dictionary, boolean ocrCrops) {
    return of(s, tokenizer, placeholderId, downFactor, dictionary, ocrCrops, 0);
  }

  /**
   * @param cropMargin with {@code ocrCrops}: each line's crop is taken from its position mask widened by
   *     0..{@code cropMargin} px on every side (drawn per line from the mask itself, so a sample always gets
   *     the same margins). For the recognizer stage: one trained on tight crops alone reads lines with
   *     margins poorly (a generated line that does not fill its box, a word in a loose box); the OCR
   *     losses of the AnyText2 stage keep exact crops (0)
   */
  public static PreparedSample of(TrainingSample s, ClipTokenizer tokenizer, int placeholderId, int downFactor,
      OcrDictionary dictionary, boolean ocrCrops, int cropMargin) {
    return of(s, tokenizer, placeholderId, downFactor, dictionary, ocrCrops, cropMargin, 1f);
  }

  /**
   * @param textRegionWeight weight of loss_simple's squared error in latent cells covered by the lines' positions
   *     ({@code loss.text_region_weight}): a cell's keep value is multiplied by {@code 1 + (w − 1)·coverage}, coverage
   *     being the fraction of its downFactor² pixels inside any position mask; 1 = the original (P-7)
   */
  public static PreparedSample of(TrainingSample s, ClipTokenizer tokenizer, int placeholderId, int downFactor,
      OcrDictionary dictionary, boolean ocrCrops, int cropMargin, float textRegionWeight) {
    if (!(textRegionWeight > 0) || !Float.isFinite(textRegionWeight)) {
      throw new IllegalArgumentException("expected a positive text_region_weight, found " + textRegionWeight);
    }
    int size = s.size();
    if (size % downFactor != 0) {
      throw new IllegalArgumentException("sample size " + size + " is not a multiple of the latent factor " + downFactor);
    }
    int plane = size * size;
    requireFinite("image", s.image());
    requireFinite("masked image", s.maskedImage());
    float[] glyphMask = new float[plane];
    float[] positionSum = new float[plane];
    List<Line> lines = new ArrayList<>();
    FloatImage fontHint = new FloatImage(1, size, size, finite("font hint", s.fontHint()));
    for (int j = 0; j < s.lineCount(); j++) {
      float[] glyph = finite("glyph " + j, s.glyphs().get(j));
      float[] pos = finite("position " + j, s.positions().get(j));
      if (glyph.length != 3 * plane || pos.length != plane) {
        throw new IllegalArgumentException("line " + j + ": expected glyph [3," + size + "," + size + "] and position [1," + size
            + "," + size + "], found " + glyph.length + " and " + pos.length + " values");
      }
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) if (glyph[c * plane + i] != 0) glyphMask[i] = 1f; // §3.4 step 4: Σ slots, channels ≠ 0
      }
      for (int i = 0; i < plane; i++) positionSum[i] += pos[i]; // not clipped (P-12)
      float[] glyphLine = finite("glyph line " + j, s.glyphLines().get(j));
      FloatImage recog = RecognizerInput.fromGlyphLine(new FloatImage(1, 80, 512, glyphLine));
      Mask mask = Mask.fromThreshold(size, size, pos, 0.5f);
      FloatImage styleCrop = StyleInput.fromFontHint(fontHint, mask);
      FloatImage style = RecognizerInput.prepare(styleCrop, false);
      int[] rgb = s.colors().get(j);
      if (rgb.length != 3) throw new IllegalArgumentException("line " + j + ": expected an RGB colour, found " + rgb.length + " values");
      float[] color = new float[3];
      for (int c = 0; c < 3; c++) color[c] = (rgb[c] / 255f) * 255f; // the original's /255 … ·255 round trip (§3.2)
      String text = s.texts().get(j);
      int[] target = dictionary == null ? null : dictionary.encode(text);
      lines.add(new Line(recog.data(), style.data(), styleCrop.width() / (float) styleCrop.height(), pos, mask, color, text,
          s.languages().get(j), target, ocrCrops ? RecognizerCrop.plan(widened(mask, cropMargin, j)) : null));
    }
    int lat = size / downFactor;
    float[] inv = finite("inv mask", s.invMask());
    float[] keep = new float[lat * lat];
    for (int u = 0; u < lat; u++) {
      for (int v = 0; v < lat; v++) keep[u * lat + v] = 1f - inv[(u * downFactor) * size + v * downFactor]; // nearest: pixel (8u, 8v), P-7
    }
    if (textRegionWeight != 1f) weightTextCells(keep, positionSum, size, downFactor, textRegionWeight);
    long[] textIds = tokenizer.encodePadded(s.textCaption(), ClipTokenizer.CONTEXT_LENGTH);
    PlaceholderAssignment text = PlaceholderAssignment.assign(new long[][] {textIds}, placeholderId, lines.size());
    long[][] chunks = tokenizer.encodeChunks(s.imageCaption());
    // the same hook runs on the image caption with its own cursor (MODEL.md §3.3); training captions have no '*' left
    PlaceholderAssignment img = PlaceholderAssignment.assign(chunks, placeholderId, lines.size());
    int[][] imgLineAt = new int[chunks.length][];
    for (int r = 0; r < chunks.length; r++) imgLineAt[r] = lineAt(img, r, chunks[r].length);
    return new PreparedSample(size, s.image().clone(), s.maskedImage().clone(), glyphMask, positionSum, keep, List.copyOf(lines),
        textIds, lineAt(text, 0, textIds.length), chunks, imgLineAt, s);
  }

  /** keep[cell] ·= 1 + (weight − 1)·(share of the cell's pixels inside a position); see {@code textRegionWeight}. */
  static void weightTextCells(float[] keep, float[] positionSum, int size, int downFactor, float weight) {
    int lat = size / downFactor;
    float perPixel = 1f / (downFactor * downFactor);
    for (int u = 0; u < lat; u++) {
      for (int v = 0; v < lat; v++) {
        int inside = 0;
        for (int y = u * downFactor; y < (u + 1) * downFactor; y++) {
          for (int x = v * downFactor; x < (v + 1) * downFactor; x++) if (positionSum[y * size + x] > 0.5f) inside++;
        }
        keep[u * lat + v] *= 1f + (weight - 1f) * inside * perPixel;
      }
    }
  }

  /** {@code mask} grown by a margin of 0..{@code max} px (a square dilation), drawn from the mask's bits and the line index. */
  static Mask widened(Mask mask, int max, int line) {
    if (max <= 0) return mask;
    int k = new java.util.Random(java.util.Arrays.hashCode(mask.data()) * 31L + line).nextInt(max + 1);
    return k == 0 ? mask : io.anytext2.sdk.prep.ImageFilters.dilate(io.anytext2.sdk.prep.GrayImage.of(mask), 2 * k + 1).above(0);
  }

  private static int[] lineAt(PlaceholderAssignment a, int row, int length) {
    int[] out = new int[length];
    for (int p = 0; p < length; p++) out[p] = a.lineAt(row, p);
    return out;
  }

  public int size() {
    return size;
  }

  public int lineCount() {
    return lines.size();
  }

  public List<Line> lines() {
    return lines;
  }

  private static float[] finite(String what, float[] v) {
    requireFinite(what, v);
    return v;
  }

  private static void requireFinite(String what, float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) throw new IllegalArgumentException("sample " + what + ": expected finite values, found " + x);
    }
  }
}
