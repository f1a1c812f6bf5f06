package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both parity requests end to end through {@link TextPreprocessor} (README (c)). */
class TextPreprocessorFixtureTest {

  private static FontLibrary library;

  @BeforeAll
  static void fonts() {
    library =
        FontLibrary.fromDirectory(Path.of(System.getProperty("user.dir")).resolve("../fonts"));
  }

  @Test
  void genRequest() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      FontFace dejavu = library.renderingFace();
      List<TextColor> colors =
          TextColor.parseList(
              fx.json().get("gen").get("forward_params").get("text_colors").asText(), 2);
      List<TextLine> lines =
          List.of(
              TextLine.of("HELLO").withFont(dejavu).withColor(colors.get(0)),
              TextLine.of("Java2").withColor(colors.get(1)));
      PositionLayout layout =
          PositionMasks.fromImage(
              RgbImage.read(fx.file("gen_draw_pos.png")), SortPriority.TOP_DOWN);
      PreparedText p =
          new TextPreprocessor(library, dejavu, Optional.empty())
              .prepare(lines, layout, Optional.empty(), new PythonRandom(1234), false);
      commonChecks(fx, "gen", p);
      GlyphRendererFixtureTest.check(fx, "gen/cond/font_hint", p.fontHint(), 0.8);
      for (int j = 0; j < 2; j++) {
        PreparedText.Line line = p.lines().get(j);
        GlyphRendererFixtureTest.check(fx, "gen/cond/glyphs_" + j, line.glyphs(), 0.8);
        GlyphRendererFixtureTest.check(fx, "gen/cond/gly_line_" + j, line.glyphLine(), 0.97);
        FloatImage expected = RecognizerInputFixtureTest.item(fx, "gen/em/style_norm_batch", j);
        System.out.printf(
            "gen style_norm_batch[%d] from our font-hint render: max |diff| %.3g, mean |diff|"
                + " %.3g%n",
            j,
            line.styleInput().maxAbsDiff(expected),
            GlyphRendererFixtureTest.meanAbsDiff(line.styleInput(), expected));
      }
    }
  }

  @Test
  void editRequest() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      RgbImage picture = EditImage.prepare(RgbImage.read(fx.file("edit_ori_image.png")));
      assertEquals(fx.rgb("edit/in/ori_image"), RgbImage.read(fx.file("edit_ori_image.png")));
      long[] ms = fx.shape("edit/in/font_hint_mask_0");
      GrayImage brush =
          new GrayImage((int) ms[1], (int) ms[0], fx.bytes("edit/in/font_hint_mask_0"));
      List<TextLine> lines =
          List.of(
              TextLine.of("NEW")
                  .withMimic(
                      new TextLine.MimicReference(
                          RgbImage.read(fx.file("edit_ori_image.png")), brush)));
      PositionLayout layout =
          PositionMasks.fromImage(
              EditImage.resize(RgbImage.read(fx.file("edit_draw_pos.png")), 128, 128),
              SortPriority.TOP_DOWN);
      PreparedText p =
          new TextPreprocessor(library, library.renderingFace(), Optional.empty())
              .prepare(lines, layout, Optional.of(picture), new PythonRandom(4321), false);
      commonChecks(fx, "edit", p);
      assertEquals(0f, p.fontHint().maxAbsDiff(fx.image("edit/cond/font_hint")), "empty font hint");
      PreparedText.Line line = p.lines().get(0);
      GlyphRendererFixtureTest.check(fx, "edit/cond/glyphs_0", line.glyphs(), 0.8);
      GlyphRendererFixtureTest.check(fx, "edit/cond/gly_line_0", line.glyphLine(), 0.97);
      double err =
          line.styleInput()
              .maxAbsDiff(RecognizerInputFixtureTest.item(fx, "edit/em/style_norm_batch", 0));
      System.out.printf("edit style_norm_batch[0] (mimic): max |diff| %.3g%n", err);
      assertTrue(err <= 1e-5, "edit style input " + err);
    }
  }

  private static void commonChecks(Fixtures fx, String mode, PreparedText p) {
    for (int j = 0; j < p.lines().size(); j++) {
      PreparedText.Line line = p.lines().get(j);
      assertEquals(fx.mask(mode + "/cond/positions_" + j), line.position(), "positions_" + j);
      assertArrayEquals(fx.floats(mode + "/cond/colors_" + j), line.color().tensorValues(), 0f);
      float[] projIn = fx.floats(mode + "/em/color_proj_in");
      float[] mine = line.color().projectionInput();
      for (int c = 0; c < 3; c++) {
        assertEquals(projIn[3 * j + c], mine[c], 0f, "color_proj_in");
      }
      assertArrayEquals(
          fx.shape(mode + "/em/style_img_" + j), line.styleImage().shape(), "style crop shape");
    }
    assertEquals(fx.mask(mode + "/cond/hint"), p.hint(), "hint");
    double masked = p.maskedImage().maxAbsDiff(fx.image(mode + "/cond/masked_img"));
    System.out.printf("%s masked_img: max |diff| %.3g%n", mode, masked);
    assertEquals(0.0, masked, mode + " masked_img");
  }
}
