package io.anytext2.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleProcessorTest {

  private static final SampleProcessor P128 = new SampleProcessor(SampleConfig.official().withSize(128));

  /** A light picture with dark words drawn inside each box {x, y, w, h}. */
  static RgbImage picture(int size, int[][] boxes, String[] words) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(225, 220, 200));
    g.fillRect(0, 0, size, size);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(new Color(20, 30, 60));
    for (int i = 0; i < boxes.length; i++) {
      int[] b = boxes[i];
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (b[3] * 0.8)));
      g.drawString(words[i], b[0] + 2, b[1] + (int) (b[3] * 0.8));
    }
    g.dispose();
    return RgbImage.fromBufferedImage(img);
  }

  static Polygon box(int[] b) {
    return Polygon.of(b[0], b[1], b[0] + b[2], b[1], b[0] + b[2], b[1] + b[3], b[0], b[1] + b[3]);
  }

  static AnyWordEntry entry(int[][] boxes, String[] words, String language, String caption) {
    List<TextAnnotation> lines = new ArrayList<>();
    for (int i = 0; i < boxes.length; i++) {
      lines.add(new TextAnnotation(box(boxes[i]), words[i], language, new int[] {20, 30, 60}));
    }
    return new AnyWordEntry(Path.of("mem.png"), caption, lines, List.of(), Path.of("mem.json"), 0);
  }

  private static final int[][] BOXES = {{10, 10, 100, 24}, {20, 60, 80, 20}};
  private static final String[] WORDS = {"HELLO", "World"};

  private static void assertValues(float[] a, float lo, float hi, boolean binary, String what) {
    for (float v : a) {
      assertTrue(v >= lo && v <= hi, what + " value " + v + " outside [" + lo + ", " + hi + "]");
      if (binary) {
        assertTrue(v == 0 || v == 1, what + " value " + v + " is not 0/1");
      }
    }
  }

  private static int count(float[] a) {
    int n = 0;
    for (float v : a) {
      n += v != 0 ? 1 : 0;
    }
    return n;
  }

  private static void assertShapes(TrainingSample t, int s) {
    int plane = s * s;
    assertEquals(s, t.size());
    assertEquals(3 * plane, t.image().length);
    assertValues(t.image(), -1, 1, false, "image");
    assertValues(t.maskedImage(), -1, 1, false, "masked image");
    assertValues(t.fontHint(), 0, 1, true, "font hint");
    assertValues(t.invMask(), 0, 1, true, "inv mask");
    for (int j = 0; j < t.lineCount(); j++) {
      assertEquals(3 * plane, t.glyphs().get(j).length);
      assertValues(t.glyphs().get(j), 0, 1, false, "glyph");
      assertEquals(80 * 512, t.glyphLines().get(j).length);
      assertValues(t.glyphLines().get(j), 0, 1, true, "glyph line");
      assertEquals(plane, t.positions().get(j).length);
      assertValues(t.positions().get(j), 0, 1, true, "position");
      assertTrue(t.texts().get(j).codePointCount(0, t.texts().get(j).length()) <= 20);
      assertEquals(3, t.colors().get(j).length);
    }
    assertEquals(t.lineCount(), t.textCaption().chars().filter(c -> c == '*').count());
    assertTrue(Captions.PHRASES.stream().anyMatch(t.textCaption()::startsWith), t.textCaption());
    assertTrue(t.textCaption().endsWith(" . "), t.textCaption());
  }

  @Test
  void producesTheSampleLayoutAt128() {
    RgbImage pic = picture(128, BOXES, WORDS);
    TrainingSample t = P128.process(entry(BOXES, WORDS, Languages.LATIN, "Two words"), pic, new Random(1));
    assertShapes(t, 128);
    assertEquals(List.of("HELLO", "World"), t.texts());
    assertEquals(List.of(Languages.LATIN, Languages.LATIN), t.languages());
    assertEquals("Two words. ", t.imageCaption());
    assertFalse(t.edit());
    assertValues(t.maskedImage(), -1, -1, false, "generation masked image");
    assertEquals(0, count(t.invMask()));
    assertEquals(-1 + 225 / 127.5f, t.image()[0], 1e-6f, "pixel/127.5 - 1, CHW");
    for (int j = 0; j < 2; j++) {
      Polygon poly = box(BOXES[j]);
      float[] region = PolygonRasterizer.fill(128, 128, poly).toFloats();
      int inside = 0;
      float[] g = t.glyphs().get(j);
      int ink = 0;
      for (int i = 0; i < 128 * 128; i++) {
        if (g[i] + g[128 * 128 + i] + g[2 * 128 * 128 + i] > 0) {
          ink++;
          inside += region[i] > 0 ? 1 : 0;
        }
      }
      assertTrue(ink > 20, "glyph " + j + " has ink");
      assertTrue(inside > 0.9 * ink, "glyph ink lies in its polygon: " + inside + " of " + ink);
      assertTrue(count(t.glyphLines().get(j)) > 200, "the glyph line shows the text");
      // the position is the polygon, possibly dilated/eroded by at most 2 px
      float[] pos = t.positions().get(j);
      int overlap = 0;
      for (int i = 0; i < pos.length; i++) {
        overlap += pos[i] > 0 && region[i] > 0 ? 1 : 0;
      }
      assertTrue(overlap > 0.6 * count(region) && count(pos) < 1.6 * count(region), "position " + j);
    }
  }

  @Test
  void producesTheOfficialLayoutAt512() {
    SampleProcessor p = new SampleProcessor(SampleConfig.official());
    int[][] boxes = {{40, 40, 400, 96}};
    RgbImage pic = picture(512, boxes, new String[] {"BAKERY"});
    TrainingSample t = p.process(entry(boxes, new String[] {"BAKERY"}, Languages.LATIN, "A sign"), pic, new Random(3));
    assertShapes(t, 512);
  }

  @Test
  void isDeterministicForASeed() {
    RgbImage pic = picture(128, BOXES, WORDS);
    AnyWordEntry e = entry(BOXES, WORDS, Languages.LATIN, "Two words");
    SampleProcessor p = new SampleProcessor(SampleConfig.official().withSize(128).withMaskRatio(0.5));
    boolean anyDifference = false;
    for (long seed = 0; seed < 6; seed++) {
      TrainingSample a = p.process(e, pic, new Random(seed));
      TrainingSample b = p.process(e, pic, new Random(seed));
      assertSame(a, b);
      TrainingSample c = p.process(e, pic, new Random(seed + 100));
      anyDifference |= !Arrays.equals(a.fontHint(), c.fontHint()) || !a.textCaption().equals(c.textCaption())
          || !Arrays.equals(a.positions().get(0), c.positions().get(0));
    }
    assertTrue(anyDifference, "different seeds give different augmentations");
  }

  /**
   * Caption dropout (from-scratch models): about the asked share of samples read the unconditional
   * captions (negative prompt, ""), and everything else of a sample is what it is without dropout.
   */
  @Test
  void captionDropoutSwapsOnlyTheCaptions() {
    RgbImage pic = picture(128, BOXES, WORDS);
    AnyWordEntry e = entry(BOXES, WORDS, Languages.LATIN, "Two words");
    SampleProcessor plain = new SampleProcessor(SampleConfig.official().withSize(128).withMaskRatio(0.5));
    SampleProcessor dropping = new SampleProcessor(SampleConfig.official().withSize(128).withMaskRatio(0.5).withCaptionDropout(0.3));
    int dropped = 0, n = 200;
    for (long seed = 0; seed < n; seed++) {
      TrainingSample a = plain.process(e, pic, new Random(seed));
      TrainingSample b = dropping.process(e, pic, new Random(seed));
      if (b.textCaption().isEmpty()) {
        dropped++;
        assertEquals(io.anytext2.sdk.prompt.PromptParser.DEFAULT_N_PROMPT, b.imageCaption());
        b = new TrainingSample(b.size(), b.image(), b.maskedImage(), a.imageCaption(), a.textCaption(), b.glyphs(), b.glyphLines(),
            b.positions(), b.fontHint(), b.invMask(), b.colors(), b.texts(), b.languages(), b.edit());
      }
      assertSame(a, b);
    }
    assertTrue(dropped > 0.2 * n && dropped < 0.4 * n, dropped + " of " + n + " samples dropped at p = 0.3");
    assertThrows(IllegalArgumentException.class, () -> SampleConfig.official().withCaptionDropout(1.5));
  }

  private static void assertSame(TrainingSample a, TrainingSample b) {
    assertArrayEquals(a.image(), b.image());
    assertArrayEquals(a.maskedImage(), b.maskedImage());
    assertArrayEquals(a.fontHint(), b.fontHint());
    assertArrayEquals(a.invMask(), b.invMask());
    assertEquals(a.imageCaption(), b.imageCaption());
    assertEquals(a.textCaption(), b.textCaption());
    assertEquals(a.texts(), b.texts());
    assertEquals(a.edit(), b.edit());
    for (int j = 0; j < a.lineCount(); j++) {
      assertArrayEquals(a.glyphs().get(j), b.glyphs().get(j));
      assertArrayEquals(a.glyphLines().get(j), b.glyphLines().get(j));
      assertArrayEquals(a.positions().get(j), b.positions().get(j));
      assertArrayEquals(a.colors().get(j), b.colors().get(j));
    }
  }

  @Test
  void selectsFiveLinesAndMasksTheRest() {
    int[][] boxes = new int[7][];
    String[] words = new String[7];
    for (int i = 0; i < 7; i++) {
      boxes[i] = new int[] {4, 4 + 17 * i, 60, 14};
      words[i] = "L" + i;
    }
    RgbImage pic = picture(128, boxes, words);
    AnyWordEntry e = entry(boxes, words, Languages.LATIN, "");
    TrainingSample t = P128.process(e, pic, new Random(7));
    assertShapes(t, 128);
    assertEquals(5, t.lineCount());
    assertEquals(5, t.texts().stream().distinct().count());
    for (int i = 0; i < 7; i++) {
      float[] region = PolygonRasterizer.fill(128, 128, box(boxes[i])).toFloats();
      int masked = 0;
      for (int k = 0; k < region.length; k++) {
        masked += region[k] > 0 && t.invMask()[k] > 0 ? 1 : 0;
      }
      boolean selected = t.texts().contains(words[i]);
      assertEquals(selected ? 0 : count(region), masked, "line " + i + " selected=" + selected);
    }
  }

  @Test
  void editSamplesBlackOutTheTextAndHaveNoLossMask() {
    int[][] boxes = {{10, 10, 100, 24}};
    String[] words = {"EDIT"};
    RgbImage pic = picture(128, boxes, words);
    AnyWordEntry e = new AnyWordEntry(Path.of("m.png"), "c", entry(boxes, words, Languages.LATIN, "c").lines(),
        List.of(Polygon.of(90, 90, 120, 90, 120, 120, 90, 120)), Path.of("m.json"), 0);
    SampleProcessor edit = new SampleProcessor(SampleConfig.official().withSize(128).withMaskRatio(1.0));
    TrainingSample t = edit.process(e, pic, new Random(5));
    assertTrue(t.edit());
    assertEquals(0, count(t.invMask()), "editing samples are not loss-masked (§2.10)");
    float[] pos = t.positions().get(0);
    int plane = 128 * 128;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float expected = pos[i] > 0 ? -1f : t.image()[c * plane + i];
        assertEquals(expected, t.maskedImage()[c * plane + i], 0f);
      }
    }
    TrainingSample g = P128.process(e, pic, new Random(5));
    assertEquals(31 * 31, count(g.invMask()), "the invalid polygon is loss-masked in generation");
  }

  @Test
  void textFreeImagesGetTheDummyLine() {
    RgbImage pic = picture(256, new int[0][], new String[0]);
    AnyWordEntry e = new AnyWordEntry(Path.of("m.png"), "sky", List.of(), List.of(), Path.of("m.json"), 0);
    TrainingSample t = P128.process(e, pic, new Random(2));
    assertShapes(t, 128);
    assertEquals(List.of(" "), t.texts());
    assertArrayEquals(new int[] {500, 500, 500}, t.colors().get(0));
    assertEquals(0, count(t.glyphLines().get(0)));
    // the 512-frame square (10,10)-(100,100) at 128 px: (3,3)-(25,25), ±2 px of morphology
    int n = count(t.positions().get(0));
    assertTrue(n >= 19 * 19 && n <= 27 * 27, "dummy square area " + n);
    assertEquals(1, t.positions().get(0)[14 * 128 + 14]);
  }

  @Test
  void rescalesPolygonsWithTheImage() {
    int[][] boxes = {{40, 40, 160, 48}};
    RgbImage pic = picture(256, boxes, new String[] {"HALF"});
    TrainingSample t = P128.process(entry(boxes, new String[] {"HALF"}, Languages.LATIN, ""), pic, new Random(4));
    float[] region = PolygonRasterizer.fill(128, 128, Polygon.of(20, 20, 100, 20, 100, 44, 20, 44)).toFloats();
    float[] pos = t.positions().get(0);
    int overlap = 0;
    for (int i = 0; i < pos.length; i++) {
      overlap += pos[i] > 0 && region[i] > 0 ? 1 : 0;
    }
    assertTrue(overlap > 0.7 * count(region) && count(pos) < 1.4 * count(region));
  }

  @Test
  void undrawableLinesAreLossMasked() {
    int[][] boxes = {{10, 10, 100, 24}, {10, 60, 100, 24}};
    SampleProcessor p = new SampleProcessor(SampleConfig.official().withSize(128));
    List<TextAnnotation> lines = List.of(
        new TextAnnotation(box(boxes[0]), "नमस्ते", Languages.HINDI, TextAnnotation.noColor()),
        new TextAnnotation(box(boxes[1]), "안녕하세요", Languages.KOREAN, TextAnnotation.noColor()));
    AnyWordEntry e = new AnyWordEntry(Path.of("m.png"), "", lines, List.of(), Path.of("m.json"), 0);
    TrainingSample t = p.process(e, picture(128, new int[0][], new String[0]), new Random(1));
    assertEquals(List.of("안녕하세요"), t.texts());
    assertEquals(1, p.undrawableLines());
    assertEquals(count(PolygonRasterizer.fill(128, 128, box(boxes[0])).toFloats()), count(t.invMask()));
  }

  @Test
  void fontHintsFollowTheInkAndTheProbability() {
    int[][] boxes = {{8, 30, 112, 40}};
    String[] words = {"INK"};
    RgbImage pic = picture(128, boxes, words);
    AnyWordEntry e = entry(boxes, words, Languages.LATIN, "");
    SampleConfig always = SampleConfig.official().withSize(128).withFontHintProb(1.0);
    SampleProcessor p = new SampleProcessor(always);
    float[] region = PolygonRasterizer.fill(128, 128, box(boxes[0])).toFloats();
    for (long seed = 0; seed < 5; seed++) {
      TrainingSample t = p.process(e, pic, new Random(seed));
      int n = count(t.fontHint());
      assertTrue(n > 50, "hint has ink strokes: " + n);
      assertTrue(n < 0.6 * count(region), "hint is strokes, not the whole box: " + n);
      for (int i = 0; i < region.length; i++) {
        assertTrue(t.fontHint()[i] == 0 || region[i] > 0, "hint pixel outside its polygon");
      }
    }
    SampleProcessor never = new SampleProcessor(always.withFontHintProb(0));
    assertEquals(0, count(never.process(e, pic, new Random(1)).fontHint()));
    SampleProcessor noColour = new SampleProcessor(always.withColorProb(0));
    assertArrayEquals(new int[] {500, 500, 500}, noColour.process(e, pic, new Random(1)).colors().get(0));
  }

  @Test
  void truncatesTextsByCodePoints() {
    String longText = "𝒜".repeat(3) + "abcdefghijklmnopqrstuvwxyz";
    assertEquals("𝒜𝒜𝒜abcdefghijklmnopq", SampleProcessor.firstCodePoints(longText, 20));
    assertEquals("short", SampleProcessor.firstCodePoints("short", 20));
  }

  @Test
  void missingImagesAreAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleProcessor.readImage(Path.of("/nonexistent/x.png")));
    assertTrue(e.getMessage().contains("/nonexistent/x.png"), e.getMessage());
  }
}
