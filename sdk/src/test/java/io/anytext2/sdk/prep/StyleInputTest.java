package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link StyleInput#fromFontHint} crops the font-hint plane once (and not at all when it is blank):
 * the same values, bit for bit, as the original's three-channel path, for upright and turned lines.
 */
class StyleInputTest {

  private static final Polygon[] LINES = {
    Polygon.of(40, 60, 300, 60, 300, 120, 40, 120), // upright
    Polygon.of(100, 200, 380, 150, 392, 214, 112, 264), // turned about 10 degrees
    Polygon.of(400, 40, 460, 40, 460, 400, 400, 400), // tall: a vertical line
  };

  @Test
  void croppingThePlaneOnceGivesTheThreeChannelPathsValues() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] hint = new float[512 * 512];
    for (int y = 30; y < 420; y++) for (int x = 30; x < 470; x++) hint[y * 512 + x] = rng.nextInt(4) == 0 ? 1f : rng.nextFloat();
    FloatImage withHint = new FloatImage(1, 512, 512, hint);
    FloatImage blank = new FloatImage(1, 512, 512, new float[512 * 512]);
    for (Polygon line : LINES) {
      Mask position = PolygonRasterizer.fill(512, 512, line);
      for (FloatImage canvas : new FloatImage[] {withHint, blank}) {
        FloatImage expected = StyleInput.fromFontHintThreeChannels(canvas, position);
        FloatImage actual = StyleInput.fromFontHint(canvas, position);
        assertEquals(3, actual.channels());
        assertEquals(expected.height(), actual.height());
        assertEquals(expected.width(), actual.width());
        assertArrayEquals(expected.data(), actual.data(), line + (canvas == blank ? " (blank canvas)" : ""));
      }
    }
  }
}
