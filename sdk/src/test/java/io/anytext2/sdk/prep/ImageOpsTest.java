package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Colours, masked image, edit sizing, filters and the font-hint canvas (MODEL.md §2.3-§2.9). */
class ImageOpsTest {

  @Test
  void pythonRandomMatchesCPython() {
    // values printed by CPython 3.11: random.seed(s); [random.random() for _ in range(3)]
    PythonRandom r = new PythonRandom(4321);
    assertEquals(0.25428096246579857, r.random());
    assertEquals(0.40751778929407423, r.random());
    assertEquals(0.06353729922052387, r.random());
    assertEquals(0.8444218515250481, new PythonRandom(0).random());
    PythonRandom big = new PythonRandom((1L << 40) + 5);
    assertEquals(0.5043802970418443, big.random());
    assertEquals(0.2686044399723282, big.random());
    assertEquals(0.007491470058587191, skip(new PythonRandom(1234), 2).random());
  }

  private static PythonRandom skip(PythonRandom r, int n) {
    for (int i = 0; i < n; i++) {
      r.random();
    }
    return r;
  }

  @Test
  void coloursFollowTheWrapperAndDemoRules() {
    assertEquals(
        List.of(new TextColor(200, 30, 40), TextColor.UNSPECIFIED, TextColor.UNSPECIFIED),
        TextColor.parseList("200,30,40 500,500,500", 3));
    assertEquals(TextColor.UNSPECIFIED, TextColor.fromWidget(null));
    assertEquals(TextColor.UNSPECIFIED, TextColor.fromWidget("rgba(0, 0, 0, 1)"));
    assertEquals(TextColor.UNSPECIFIED, TextColor.fromWidget("rgba(255, 255, 255, 1)"));
    assertEquals(new TextColor(255, 255, 255), TextColor.fromWidget("#ffffff"));
    assertEquals(TextColor.UNSPECIFIED, TextColor.fromWidget("#000"));
    assertEquals(new TextColor(152, 58, 16), TextColor.fromWidget("rgba(152.7, 58, 16, 1)"));
    assertEquals(new TextColor(18, 49, 91), TextColor.fromWidget("rgb(18, 49, 91)"));
    assertThrows(IllegalArgumentException.class, () -> TextColor.fromWidget("teal-ish"));
    assertThrows(IllegalArgumentException.class, () -> TextColor.parseToken("1,2"));
    assertArrayEquals(new int[] {255, 255, 255}, TextColor.UNSPECIFIED.renderColor());
    assertArrayEquals(new int[] {10, 30, 255}, new TextColor(0, 30, 300).renderColor());
    assertArrayEquals(
        new float[] {500 / 255f, 500 / 255f, 500 / 255f}, TextColor.UNSPECIFIED.tensorValues());
  }

  @Test
  void maskedImageIsMinusOneInsidePositions() {
    Mask hint = GeometryTest.rect(4, 2, 1, 0, 2, 1);
    byte[] px = new byte[4 * 2 * 3];
    java.util.Arrays.fill(px, (byte) 255);
    FloatImage m = MaskedImage.of(new RgbImage(4, 2, px), hint);
    assertEquals(1f, m.get(0, 0, 0));
    assertEquals(-1f, m.get(2, 1, 1));
    FloatImage gen = MaskedImage.of(null, hint);
    for (float v : gen.data()) {
      assertEquals(-1f, v);
    }
  }

  @Test
  void editPicturesAreClippedAndSizedToMultiplesOf64() {
    byte[] px = new byte[130 * 70 * 3];
    RgbImage prepared = EditImage.prepare(new RgbImage(130, 70, px));
    assertEquals(128, prepared.width());
    assertEquals(64, prepared.height());
    assertEquals(1, prepared.get(5, 5, 0), "black is lifted to 1");
    RgbImage big = EditImage.prepare(new RgbImage(2100, 700, new byte[2100 * 700 * 3]));
    assertEquals(1024 - 1024 % 64, big.width());
    assertEquals(341 - 341 % 64, big.height());
    byte[] gray = new byte[10 * 10 * 3];
    java.util.Arrays.fill(gray, (byte) 77);
    RgbImage scaled = EditImage.resize(new RgbImage(10, 10, gray), 7, 13);
    for (byte b : scaled.pixels()) {
      assertEquals(77, b & 255);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> EditImage.prepare(new RgbImage(60, 60, new byte[60 * 60 * 3])));
  }

  @Test
  void filtersFollowOpenCvIntegerRules() {
    int[] k = ImageFilters.gaussianKernelFixed(11);
    assertEquals(256, java.util.Arrays.stream(k).sum());
    for (int i = 0; i < 5; i++) {
      assertEquals(k[i], k[10 - i]);
      assertTrue(k[i] <= k[i + 1]);
    }
    byte[] v = new byte[20 * 20];
    java.util.Arrays.fill(v, (byte) 180);
    GrayImage flat = new GrayImage(20, 20, v);
    assertEquals(flat, ImageFilters.gaussianMean(flat));
    v[10 * 20 + 10] = 0; // one dark pixel: text, thresholded to 0
    GrayImage t = ImageFilters.adaptiveThreshold(new GrayImage(20, 20, v));
    assertEquals(0, t.get(10, 10));
    assertEquals(255, t.get(3, 3));
    byte[] dot = new byte[5 * 5];
    dot[2 * 5 + 2] = (byte) 200;
    GrayImage d2 = ImageFilters.dilate(new GrayImage(5, 5, dot), 2);
    assertEquals(200, d2.get(3, 3)); // 2x2 kernel, anchor (1, 1): offsets {-1, 0}
    assertEquals(0, d2.get(1, 1));
    assertEquals(200, ImageFilters.dilate(new GrayImage(5, 5, dot), 3).get(1, 1));
    assertEquals(
        76, ImageFilters.rgbToGray(new RgbImage(1, 1, new byte[] {(byte) 255, 0, 0})).get(0, 0));
  }

  @Test
  void fontHintCanvasClipsAndHollowsTheText() {
    float[] a = new float[3 * 4 * 4];
    a[0] = 0.6f;
    a[5] = 1f;
    float[] b = new float[3 * 4 * 4];
    b[0] = 0.6f;
    FloatImage canvas =
        FontHint.canvas(
            4,
            4,
            List.of(new FloatImage(3, 4, 4, a), new FloatImage(3, 4, 4, b)),
            Optional.empty());
    assertEquals(1f, canvas.get(0, 0, 0));
    assertEquals(1f, canvas.get(0, 1, 1));
    assertEquals(0f, canvas.get(0, 3, 3));
    // hollow with a flat noise texture (thresholds to all 255): the glyph becomes dark on white,
    // and the ring just outside it (3x3 minus 2x2 dilation) stays white
    int n = 16;
    float[] solid = new float[3 * n * n];
    for (int y = 5; y <= 10; y++) {
      for (int x = 5; x <= 10; x++) {
        solid[y * n + x] = 1f;
      }
    }
    byte[] white = new byte[n * n];
    java.util.Arrays.fill(white, (byte) 255);
    FloatImage hollow =
        FontHint.canvas(
            n,
            n,
            List.of(new FloatImage(3, n, n, solid)),
            Optional.of(ImageFilters.adaptiveThreshold(new GrayImage(n, n, white))));
    assertEquals(0f, hollow.get(0, 8, 8));
    assertEquals(0f, hollow.get(0, 5, 5));
    assertEquals(1f, hollow.get(0, 4, 4), "ring pixel");
    assertEquals(1f, hollow.get(0, 0, 0), "background");
  }
}
