package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bundled fonts, coverage/fallback and the glyph renderings on synthetic layouts (§2.4, §2.7). */
class FontAndGlyphTest {

  private static final FontLibrary LIB = FontLibrary.bundled();

  @Test
  void bundledFontsLoadFromTheJarResourcesAndFromTheRepositoryFolder() {
    assertEquals(2, LIB.faces().size());
    assertEquals("DejaVu Sans", LIB.renderingFace().name());
    FontFace cjk = LIB.faces().get(1);
    assertTrue(cjk.covers('你') && cjk.covers('한') && cjk.covers('カ') && cjk.covers('A'));
    assertFalse(LIB.renderingFace().covers('你'));
    Path repoFonts = Path.of(System.getProperty("user.dir")).resolve("../fonts");
    FontLibrary dir = FontLibrary.fromDirectory(repoFonts);
    assertEquals(LIB.renderingFace().name(), dir.renderingFace().name());
    assertEquals(2, FontLibrary.loadAll(repoFonts.resolve(FontLibrary.CJK_FONT)).size());
    // FreeType's ascender for DejaVu Sans at 60 px: round(1901 * 60 / 2048) = 56
    assertEquals(56, LIB.renderingFace().ascenderPixels(60));
    assertThrows(
        IllegalArgumentException.class,
        () -> FontLibrary.fromDirectory(repoFonts.resolve("missing")));
  }

  @Test
  void textSplitsIntoRunsWithFallbackAndNamesUncoveredCharacters() {
    List<FontLibrary.Run> runs = LIB.split("AB 你好 C", LIB.renderingFace());
    assertEquals(3, runs.size());
    assertEquals(LIB.faces().get(1), runs.get(1).face());
    assertEquals("你好 ", "AB 你好 C".substring(runs.get(1).start(), runs.get(1).end()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LIB.split("A\uD80C\uDC00", LIB.renderingFace()));
    assertTrue(e.getMessage().contains("U+13000"), e.getMessage());
  }

  @Test
  void glyphLineIsBinaryCentredAndFillsMostOfTheHeight() {
    GlyphRenderer r = new GlyphRenderer(LIB);
    FloatImage line = r.glyphLine(LIB.renderingFace(), "Hello 世界");
    int minX = 512, maxX = -1, minY = 80, maxY = -1;
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 512; x++) {
        float v = line.get(0, y, x);
        assertTrue(v == 0f || v == 1f);
        if (v > 0) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    assertTrue(maxY - minY + 1 >= 60, "height " + (maxY - minY + 1));
    assertTrue(Math.abs((minX + maxX) / 2.0 - 256) < 12, "centred: " + minX + ".." + maxX);
  }

  @Test
  void glyphImageFollowsTheBoxAngleColourAndOrientation() {
    GlyphRenderer r = new GlyphRenderer(LIB);
    FontFace f = LIB.renderingFace();
    Polygon wide = Polygon.of(20, 40, 230, 40, 230, 90, 20, 90);
    int[] box = inkBox(r.glyphImage(f, "WIDE", wide, new int[] {0, 128, 255}, 256, 256));
    assertTrue(box[2] - box[0] > 3 * (box[3] - box[1]), "horizontal text");
    assertTrue(box[0] >= 20 && box[2] <= 230 && box[1] >= 40 && box[3] <= 90, "inside the box");
    FloatImage colored = r.glyphImage(f, "WIDE", wide, new int[] {0, 128, 255}, 256, 256);
    assertEquals(10 / 255f, max(colored, 0), 1e-6, "red clipped to 10");
    assertEquals(1f, max(colored, 2), 1e-6);
    Polygon tall = Polygon.of(100, 20, 140, 20, 140, 230, 100, 230);
    int[] v = inkBox(r.glyphImage(f, "TALL", tall, new int[] {255, 255, 255}, 256, 256));
    assertTrue(v[3] - v[1] > 2 * (v[2] - v[0]), "vertical text in a tall box");
    double a = Math.toRadians(30);
    Polygon tilted =
        Polygon.of(
            (int) (128 - 90 * Math.cos(a) + 20 * Math.sin(a)),
                (int) (128 - 90 * Math.sin(a) - 20 * Math.cos(a)),
            (int) (128 + 90 * Math.cos(a) + 20 * Math.sin(a)),
                (int) (128 + 90 * Math.sin(a) - 20 * Math.cos(a)),
            (int) (128 + 90 * Math.cos(a) - 20 * Math.sin(a)),
                (int) (128 + 90 * Math.sin(a) + 20 * Math.cos(a)),
            (int) (128 - 90 * Math.cos(a) - 20 * Math.sin(a)),
                (int) (128 - 90 * Math.sin(a) + 20 * Math.cos(a)));
    FloatImage t = r.glyphImage(f, "TILTED", tilted, new int[] {255, 255, 255}, 256, 256);
    Mask region = PolygonRasterizer.fill(256, 256, tilted);
    int inside = 0, outside = 0;
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        if (t.get(0, y, x) > 0.5f) {
          if (region.get(x, y) == 1) {
            inside++;
          } else {
            outside++;
          }
        }
      }
    }
    assertTrue(
        inside > 500 && outside < inside / 50,
        "tilted ink inside: " + inside + " / outside " + outside);
    assertEquals(
        0f,
        max(
            r.glyphImage(
                f, "X", Polygon.of(5, 5, 6, 5, 6, 6, 5, 6), new int[] {255, 255, 255}, 64, 64),
            0),
        "a box too small for any font size draws nothing");
    assertTrue(
        max(r.glyphImage(f, "中文", wide, new int[] {255, 255, 255}, 256, 256), 0) > 0.9f,
        "CJK via fallback");
  }

  static int[] inkBox(FloatImage img) {
    int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        boolean on = false;
        for (int c = 0; c < img.channels(); c++) {
          on |= img.get(c, y, x) > 0;
        }
        if (on) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return new int[] {minX, minY, maxX, maxY};
  }

  static float max(FloatImage img, int channel) {
    float m = 0;
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        m = Math.max(m, img.get(channel, y, x));
      }
    }
    return m;
  }
}
