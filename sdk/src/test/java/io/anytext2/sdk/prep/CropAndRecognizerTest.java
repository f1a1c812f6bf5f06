package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Similarity estimate, crop_image, recognizer input, mimic and the whole preprocessor (§3.4). */
class CropAndRecognizerTest {

  @Test
  void svdAndSimilarityRecoverKnownTransforms() {
    double[] m = {3, -1.5, 0.25, 2};
    double[][] usv = Similarity2d.svd2(m);
    double[] back =
        Similarity2d.mul(
            Similarity2d.mul(usv[0], new double[] {usv[1][0], 0, 0, usv[1][1]}), usv[2]);
    assertArrayEquals(m, back, 1e-12);
    assertTrue(usv[1][0] >= usv[1][1] && usv[1][1] >= 0);
    double a = Math.toRadians(30);
    float[] src = {10, 10, 50, 10, 50, 30, 10, 30};
    float[] dst = new float[8];
    for (int i = 0; i < 4; i++) {
      dst[2 * i] = (float) (2 * (Math.cos(a) * src[2 * i] - Math.sin(a) * src[2 * i + 1]) + 5);
      dst[2 * i + 1] = (float) (2 * (Math.sin(a) * src[2 * i] + Math.cos(a) * src[2 * i + 1]) - 7);
    }
    double[] t = Similarity2d.estimate(src, dst);
    assertArrayEquals(
        new double[] {2 * Math.cos(a), -2 * Math.sin(a), 5, 2 * Math.sin(a), 2 * Math.cos(a), -7},
        java.util.Arrays.copyOf(t, 6),
        1e-4);
  }

  @Test
  void cropOfAnUprightBoxHasTheBoxSizeAndContent() {
    int w = 64;
    int h = 48;
    float[] src = new float[3 * w * h];
    for (int y = 10; y <= 20; y++) {
      for (int x = 8; x <= 40; x++) {
        for (int c = 0; c < 3; c++) {
          src[(c * h + y) * w + x] = 200;
        }
      }
    }
    Mask box = GeometryTest.rect(w, h, 8, 10, 40, 20);
    FloatImage crop =
        CropRectifier.crop(new FloatImage(3, h, w, src), box, CropRectifier.Precision.FLOAT32);
    assertArrayEquals(new long[] {3, 10, 32}, crop.shape());
    assertEquals(200, crop.get(1, 5, 16), 40, "inside the text box");
    assertArrayEquals(
        new int[] {0, 0, 100, 0, 100, 100, 0, 100}, CropRectifier.orderedBox(Mask.empty(8, 8)));
    assertArrayEquals(new int[] {8, 10, 40, 10, 40, 20, 8, 20}, CropRectifier.orderedBox(box));
  }

  @Test
  void recognizerInputRotatesTallImagesResizesAndPadsWithZero() {
    FloatImage wide = constant(3, 20, 100, 255f);
    FloatImage in = RecognizerInput.prepare(wide, false);
    assertArrayEquals(new long[] {3, 48, 320}, in.shape());
    assertEquals(1f, in.get(0, 10, 239)); // ceil(48 * 5) = 240 columns of data
    assertEquals(0f, in.get(0, 10, 240)); // zero padding, not -1
    FloatImage tall = RecognizerInput.rotateCounterClockwise(constant(1, 3, 2, 0f));
    assertArrayEquals(new long[] {1, 2, 3}, tall.shape());
    float[] ramp = {1, 2, 3, 4, 5, 6}; // 3 rows x 2 cols
    FloatImage r = RecognizerInput.rotateCounterClockwise(new FloatImage(1, 3, 2, ramp));
    assertArrayEquals(new float[] {2, 4, 6, 1, 3, 5}, r.data());
    FloatImage veryWide = RecognizerInput.prepare(constant(3, 10, 1000, 0f), true);
    assertEquals(-1f, veryWide.get(2, 47, 319)); // capped at 320 columns
    assertThrows(
        IllegalArgumentException.class,
        () -> RecognizerInput.prepare(constant(1, 4, 4, 0f), false));
  }

  static FloatImage constant(int c, int h, int w, float v) {
    float[] d = new float[c * h * w];
    java.util.Arrays.fill(d, v);
    return new FloatImage(c, h, w, d);
  }

  @Test
  void mimicFindsDarkTextInTheBrushedBoxAndDrawsThreeRandomNumbers() {
    int w = 96;
    int h = 64;
    byte[] px = new byte[w * h * 3];
    java.util.Arrays.fill(px, (byte) 230);
    for (int y = 25; y <= 38; y++) {
      for (int x = 20; x <= 70; x += 6) {
        for (int c = 0; c < 3; c++) {
          px[(y * w + x) * 3 + c] = 20; // vertical dark strokes
        }
      }
    }
    GrayImage brush = GrayImage.of(GeometryTest.rect(w, h, 12, 18, 80, 45));
    AtomicInteger draws = new AtomicInteger();
    FloatImage crop =
        MimicStyle.crop(
            new RgbImage(w, h, px),
            brush,
            () -> {
              draws.incrementAndGet();
              return 0.5;
            });
    assertEquals(3, draws.get());
    assertArrayEquals(new long[] {3, 27, 68}, crop.shape());
    assertTrue(FontAndGlyphTest.max(crop, 0) > 200, "text pixels present");
  }

  @Test
  void preprocessorPreparesEveryLineWithBundledFonts() {
    FontLibrary lib = FontLibrary.bundled();
    Polygon a = Polygon.of(10, 10, 118, 10, 118, 50, 10, 50);
    Polygon b = Polygon.of(10, 70, 118, 70, 118, 110, 10, 110);
    PositionLayout layout = PositionMasks.fromPolygons(128, 128, List.of(a, b));
    List<TextLine> lines =
        List.of(
            TextLine.of("Hello there, this line is long")
                .withFont(lib.faces().get(1))
                .withColor(new TextColor(9, 9, 9)),
            TextLine.of("세계"));
    PreparedText p =
        TextPreprocessor.withBundledFonts()
            .prepare(lines, layout, Optional.empty(), new PythonRandom(1), false);
    assertEquals(20, p.lines().get(0).text().length());
    assertTrue(FontAndGlyphTest.max(p.fontHint(), 0) > 0.9f, "font hint drawn for line 0");
    assertArrayEquals(new long[] {3, 40, 108}, p.lines().get(0).styleImage().shape());
    assertArrayEquals(new long[] {3, 48, 320}, p.lines().get(1).styleInput().shape());
    assertArrayEquals(new long[] {3, 48, 320}, p.lines().get(1).recognizerInput().shape());
    assertEquals(0f, FontAndGlyphTest.max(p.lines().get(1).styleImage(), 0), "no font: empty crop");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TextPreprocessor.withBundledFonts()
                .prepare(
                    List.of(TextLine.of("a"), TextLine.of("b"), TextLine.of("c")),
                    layout,
                    Optional.empty(),
                    new PythonRandom(1),
                    false));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TextPreprocessor.withBundledFonts()
                .prepare(lines, layout, Optional.empty(), new PythonRandom(1), true));
  }
}
