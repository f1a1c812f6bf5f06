package io.anytext2.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import org.junit.jupiter.api.Test;

class AnyText2RequestTest {
  @Test
  void defaultsAreTheOriginals() {
    AnyText2Request r = AnyText2Request.generate("a sign").line("OPEN").build();
    assertEquals(512, r.width());
    assertEquals(20, r.sampling().steps());
    assertEquals(9f, r.sampling().cfgScale());
    assertTrue(r.negativePrompt().startsWith("low-res, bad anatomy"));
    assertTrue(r.blend());
  }

  @Test
  void validatesOnConstruction() {
    assertThrows(IllegalArgumentException.class, () -> AnyText2Request.generate("").build());
    assertThrows(IllegalArgumentException.class, () -> AnyText2Request.generate("x").size(500, 512).build());
    assertThrows(IllegalArgumentException.class, () -> AnyText2Request.generate("x").count(0).build());
    assertThrows(IllegalArgumentException.class, () -> TextLine.of("a\"b"));
    assertThrows(IllegalArgumentException.class, () -> new Rgb(0, 256, 0));
    RgbImage img = RgbImage.black(128, 128);
    IllegalArgumentException noMask = assertThrows(IllegalArgumentException.class,
        () -> AnyText2Request.edit(img, "x").line("NEW").build());
    assertTrue(noMask.getMessage().contains("mask"));
    AnyText2Request ok = AnyText2Request.edit(img, "x").line(TextLine.of("NEW").at(Polygon.of(1, 1, 50, 1, 50, 30, 1, 30))).build();
    assertEquals(AnyText2Request.Mode.EDIT, ok.mode());
    assertThrows(IllegalArgumentException.class,
        () -> AnyText2Request.edit(img, "x").positionImage(RgbImage.black(64, 64)).line("NEW").build());
  }

  @Test
  void colorsAndFontsParse() {
    assertEquals(new Rgb(255, 136, 0), Rgb.parse("#ff8800"));
    assertEquals(new Rgb(1, 2, 3), Rgb.parse(" 1, 2 ,3"));
    assertTrue(FontChoice.parse("DejaVu Sans") instanceof FontChoice.Bundled);
    assertTrue(FontChoice.parse("fonts/x.ttf") instanceof FontChoice.File);
    assertTrue(FontChoice.parse("none") instanceof FontChoice.Unspecified);
  }
}
