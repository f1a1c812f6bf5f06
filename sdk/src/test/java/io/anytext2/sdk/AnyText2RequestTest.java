package io.anytext2.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.io.RequestJson;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyText2RequestTest {
  @Test
  void defaultsAreTheOriginals() {
    AnyText2Request r = AnyText2Request.generate("a sign").line("OPEN").build();
    assertEquals(0, r.width(), "no size: the model's native size, filled in by the pipeline");
    assertTrue(r.needsNativeSize());
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
  void anOpenSizeTakesTheNativeSizeAndAGivenOneWins() {
    AnyText2Request open = AnyText2Request.generate("a sign").line("OPEN").build();
    AnyText2Request at128 = open.withNativeSize(128);
    assertEquals(128, at128.width());
    assertEquals(128, at128.height());
    assertFalse(at128.needsNativeSize());
    assertEquals(open.lines(), at128.lines());
    AnyText2Request given = AnyText2Request.generate("a sign").size(256, 192).build();
    assertSame(given, given.withNativeSize(128), "an explicit size wins");
    AnyText2Request half = AnyText2Request.generate("a sign").size(256, 0).build().withNativeSize(128);
    assertEquals(256, half.width());
    assertEquals(128, half.height());
    AnyText2Request edit = AnyText2Request.edit(RgbImage.black(200, 100), "x")
        .line(TextLine.of("NEW").at(Polygon.of(1, 1, 50, 1, 50, 30, 1, 30))).build();
    assertSame(edit, edit.withNativeSize(128), "edit keeps the picture's size");
    assertEquals(0, edit.width());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> open.withNativeSize(100));
    assertTrue(odd.getMessage().contains("native size 100"), odd.getMessage());
    // a position image is checked against the size once it is known
    AnyText2Request mask = AnyText2Request.generate("a sign").line("OPEN").positionImage(RgbImage.black(512, 512)).build();
    assertEquals(512, mask.withNativeSize(512).width());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> mask.withNativeSize(128));
    assertTrue(wrong.getMessage().contains("position image is 512x512 but the output size is 128x128"), wrong.getMessage());
  }

  @Test
  void requestJsonLeavesAMissingSideToTheNativeSize() {
    AnyText2Request none = new RequestJson("generate", "a sign", null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null).toRequest(Path.of("."));
    assertTrue(none.needsNativeSize());
    AnyText2Request wide = new RequestJson("generate", "a sign", null, null, null, null, null, null, 256, null, null, null, null, null,
        null, null, null, null, null, null).toRequest(Path.of(".")).withNativeSize(128);
    assertEquals(256, wide.width());
    assertEquals(128, wide.height());
    GenerationResult res = new GenerationResult(List.of(RgbImage.black(128, 128)), 1, List.of(), List.of(), 20, 1, "CPU");
    RequestJson open = RequestJson.sidecar(none, res, null, null, null);
    assertNull(open.width(), "an unresolved size is left out, so the file replays at the native size");
    assertEquals(128, RequestJson.sidecar(none.withNativeSize(128), res, null, null, null).width());
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
