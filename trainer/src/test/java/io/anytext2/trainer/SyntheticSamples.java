package io.anytext2.trainer;

import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.trainer.data.TrainingSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small training samples built in the test with the SDK's renderers (TRAINING.md §2 in spirit):
 * one or two words drawn into a plain picture, their glyph images, glyph lines, position masks, a
 * font hint from the drawn ink, generation mode (masked image all −1).
 */
public final class SyntheticSamples {
  private static final String[] WORDS = {"OPEN", "Java", "CAFE", "sale", "HELLO", "tea", "BOOK", "Hi", "ZOO", "art"};
  private static final String[] PHRASES = {"Text says ", "Image with words ", "Texts are "};

  private SyntheticSamples() {}

  public static List<TrainingSample> make(long seed, int count, int size) {
    Random r = new Random(seed);
    FontLibrary fonts = FontLibrary.bundled();
    FontFace face = fonts.renderingFace();
    GlyphRenderer renderer = new GlyphRenderer(fonts);
    List<TrainingSample> out = new ArrayList<>();
    for (int k = 0; k < count; k++) out.add(one(r, renderer, face, size));
    return out;
  }

  private static TrainingSample one(Random r, GlyphRenderer renderer, FontFace face, int size) {
    int plane = size * size;
    int n = 1 + r.nextInt(2);
    float[] bg = {r.nextFloat() * 0.6f - 0.8f, r.nextFloat() * 0.6f - 0.8f, r.nextFloat() * 0.6f - 0.8f};
    float[] image = new float[3 * plane];
    for (int c = 0; c < 3; c++) for (int i = 0; i < plane; i++) image[c * plane + i] = bg[c] + 0.1f * (i % size) / size;
    List<float[]> glyphs = new ArrayList<>();
    List<float[]> lines = new ArrayList<>();
    List<float[]> positions = new ArrayList<>();
    List<int[]> colors = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    float[] fontHint = new float[plane];
    StringBuilder caption = new StringBuilder(PHRASES[r.nextInt(PHRASES.length)]);
    for (int j = 0; j < n; j++) {
      String word = WORDS[r.nextInt(WORDS.length)];
      int h = size / 6 + r.nextInt(size / 10);
      int w = Math.min(size - 8, h * word.length() * 3 / 4 + r.nextInt(size / 8));
      int x = 4 + r.nextInt(Math.max(1, size - w - 8));
      int y = j * size / 2 + 4 + r.nextInt(Math.max(1, size / 2 - h - 8));
      int tilt = r.nextInt(7) - 3;
      Polygon poly = Polygon.of(x, y + tilt, x + w, y - tilt, x + w, y + h - tilt, x, y + h + tilt);
      int[] rgb = r.nextInt(4) == 0 ? new int[] {500, 500, 500} : new int[] {150 + r.nextInt(100), 150 + r.nextInt(100), 150 + r.nextInt(100)};
      FloatImage glyph = renderer.glyphImage(face, word, poly, rgb, size, size);
      float[] g = glyph.data();
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          float a = Math.min(1f, (g[i] + g[plane + i] + g[2 * plane + i]) * 2f);
          image[c * plane + i] = image[c * plane + i] * (1 - a) + a * (2 * g[c * plane + i] - 1);
          if (j == 0 && a > 0.5f) fontHint[i] = 1f;
        }
      }
      Mask mask = PolygonRasterizer.fill(size, size, poly);
      glyphs.add(g);
      lines.add(renderer.glyphLine(face, word).data());
      positions.add(mask.toFloats());
      colors.add(rgb);
      texts.add(word);
      caption.append(j == 0 ? "*" : " , *");
    }
    caption.append(" . ");
    float[] masked = new float[3 * plane];
    java.util.Arrays.fill(masked, -1f);
    return new TrainingSample(size, image, masked, "a plain picture with a word on it, photo. ", caption.toString(), glyphs, lines,
        positions, fontHint, new float[plane], colors, texts, java.util.Collections.nCopies(n, "Latin"), false);
  }
}
