package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two shortcuts of {@link RgbaLayer} that keep Pillow's results: an upright rotation returns the
 * layer (the identity map), and pasting skips transparent pixels (they blend to black).
 */
class RgbaLayerShortcutTest {

  private static RgbaLayer randomLayer(Random rng, int w, int h) {
    RgbaLayer l = new RgbaLayer(w, h);
    rng.nextBytes(l.rgba);
    for (int i = 3; i < l.rgba.length; i += 4) if (rng.nextInt(3) == 0) l.rgba[i] = 0; // a third transparent
    return l;
  }

  @Test
  void pastingGivesPillowsBlendForEveryPixel() {
    Random rng = new Random(3);
    RgbaLayer l = randomLayer(rng, 37, 23);
    int cw = 50, ch = 30, x0 = 5, y0 = -4;
    byte[] want = new byte[cw * ch * 3];
    for (int y = 0; y < l.height; y++) {
      for (int x = 0; x < l.width; x++) {
        int cx = x + x0, cy = y + y0;
        if (cx < 0 || cy < 0 || cx >= cw || cy >= ch) continue;
        int o = (y * l.width + x) * 4;
        for (int c = 0; c < 3; c++) want[(cy * cw + cx) * 3 + c] = (byte) RgbaLayer.blend(l.rgba[o + 3] & 255, 0, l.rgba[o + c] & 255);
      }
    }
    assertArrayEquals(want, l.pasteOnBlack(cw, ch, x0, y0));
  }

  @Test
  void onlyTheUprightRotationReturnsTheLayerItself() {
    Random rng = new Random(4);
    RgbaLayer l = randomLayer(rng, 40, 20);
    byte[] before = l.rgba.clone();
    assertSame(l, l.rotateExpand(0, 17.5, 9.25));
    assertSame(l, l.rotateExpand(360, 3, 4));
    assertArrayEquals(before, l.rgba);
    RgbaLayer turned = l.rotateExpand(90, 20, 10);
    assertNotSame(l, turned);
    RgbaLayer back = turned.rotateExpand(-90, turned.width / 2.0, turned.height / 2.0);
    // a quarter turn there and back is exact for nearest sampling
    assertArrayEquals(before, back.rgba);
  }
}
