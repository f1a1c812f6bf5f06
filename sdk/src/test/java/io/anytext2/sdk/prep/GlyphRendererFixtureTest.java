package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Glyph renderings against the original's (Pillow + FreeType, DejaVu Sans). Rasterisers differ, so
 * the comparison is by IoU of the inked pixels (parity README: "re-rendered glyphs need not match
 * the stored ones pixel for pixel").
 */
class GlyphRendererFixtureTest {

  private static FontLibrary library;

  @BeforeAll
  static void fonts() {
    library =
        FontLibrary.fromDirectory(Path.of(System.getProperty("user.dir")).resolve("../fonts"));
  }

  @Test
  void glyphLinesOverlapTheOriginal() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      GlyphRenderer r = new GlyphRenderer(library);
      FontFace face = library.renderingFace();
      check(fx, "gen/cond/gly_line_0", r.glyphLine(face, "HELLO"), 0.97);
      check(fx, "gen/cond/gly_line_1", r.glyphLine(face, "Java2"), 0.97);
      check(fx, "edit/cond/gly_line_0", r.glyphLine(face, "NEW"), 0.97);
    }
  }

  @Test
  void glyphImagesOverlapTheOriginal() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      GlyphRenderer r = new GlyphRenderer(library);
      FontFace face = library.renderingFace();
      JsonNode gen = fx.json().get("gen").get("polygons_found");
      JsonNode edit = fx.json().get("edit").get("polygons_found");
      Polygon p0 = PositionMasksFixtureTest.polygon(gen.get(0));
      Polygon p1 = PositionMasksFixtureTest.polygon(gen.get(1));
      check(
          fx,
          "gen/cond/glyphs_0",
          r.glyphImage(face, "HELLO", p0, new int[] {200, 30, 40}, 128, 128),
          0.8);
      check(
          fx,
          "gen/cond/glyphs_1",
          r.glyphImage(face, "Java2", p1, new int[] {500, 500, 500}, 128, 128),
          0.8);
      check(
          fx,
          "edit/cond/glyphs_0",
          r.glyphImage(
              face,
              "NEW",
              PositionMasksFixtureTest.polygon(edit.get(0)),
              new int[] {500, 500, 500},
              128,
              128),
          0.8);
      FloatImage hint = r.glyphImage(face, "HELLO", p0, new int[] {255, 255, 255}, 128, 128);
      float[] ch0 = new float[128 * 128];
      System.arraycopy(hint.data(), 0, ch0, 0, ch0.length);
      check(fx, "gen/cond/font_hint", new FloatImage(1, 128, 128, ch0), 0.8);
    }
  }

  static void check(Fixtures fx, String key, FloatImage actual, double minIou) {
    FloatImage expected = fx.image(key);
    double iou = inkIou(expected, actual, 0f);
    double core = inkIou(expected, actual, 0.5f);
    double mad = meanAbsDiff(expected, actual);
    System.out.printf(
        "%-22s ink IoU %.4f, IoU of pixels >= half of full ink %.4f (ink px expected %d, actual %d),"
            + " mean |diff| %.5f, max |diff| %.4f%n",
        key, iou, core, ink(expected), ink(actual), mad, expected.maxAbsDiff(actual));
    assertTrue(iou >= minIou, key + ": ink IoU " + iou + " < " + minIou);
  }

  /** IoU of the pixels with any channel above {@code fraction} of that image's maximum. */
  static double inkIou(FloatImage a, FloatImage b, float fraction) {
    float ta = fraction * max(a);
    float tb = fraction * max(b);
    int inter = 0;
    int union = 0;
    int plane = a.height() * a.width();
    for (int i = 0; i < plane; i++) {
      boolean ia = false;
      boolean ib = false;
      for (int c = 0; c < a.channels(); c++) {
        ia |= a.raw()[c * plane + i] > ta;
        ib |= b.raw()[c * plane + i] > tb;
      }
      inter += ia && ib ? 1 : 0;
      union += ia || ib ? 1 : 0;
    }
    return union == 0 ? 1 : (double) inter / union;
  }

  static float max(FloatImage a) {
    float m = 0;
    for (float v : a.raw()) {
      m = Math.max(m, v);
    }
    return m;
  }

  static int ink(FloatImage a) {
    int n = 0;
    int plane = a.height() * a.width();
    for (int i = 0; i < plane; i++) {
      boolean on = false;
      for (int c = 0; c < a.channels(); c++) {
        on |= a.raw()[c * plane + i] > 0;
      }
      n += on ? 1 : 0;
    }
    return n;
  }

  static double meanAbsDiff(FloatImage a, FloatImage b) {
    double s = 0;
    for (int i = 0; i < a.raw().length; i++) {
      s += Math.abs(a.raw()[i] - b.raw()[i]);
    }
    return s / a.raw().length;
  }
}
