package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The edit request's mimic crop, from the reference picture and brush mask (README (c)). */
class MimicStyleFixtureTest {

  @Test
  void mimicCropMatchesWithPythonsRandomStream() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      RgbImage bgr = fx.rgb("edit/in/font_hint_image_bgr_0");
      RgbImage rgb = bgr.reversedChannels();
      long[] ms = fx.shape("edit/in/font_hint_mask_0");
      GrayImage brush =
          new GrayImage((int) ms[1], (int) ms[0], fx.bytes("edit/in/font_hint_mask_0"));
      long seed = fx.json().get("edit").get("input_tensor").get("seed").asLong();
      FloatImage crop = MimicStyle.crop(rgb, brush, new PythonRandom(seed));
      double[] expected = fx.doubles("edit/in/mimic_img_0");
      long[] es = fx.shape("edit/in/mimic_img_0");
      assertArrayEquals(es, crop.shape(), "mimic crop shape");
      double max = 0;
      int differ = 0;
      for (int i = 0; i < expected.length; i++) {
        double d = Math.abs(expected[i] - crop.raw()[i]);
        max = Math.max(max, d);
        differ += d > 1e-3 ? 1 : 0;
      }
      double normErr =
          RecognizerInput.prepare(crop, true)
              .maxAbsDiff(RecognizerInputFixtureTest.item(fx, "edit/em/style_norm_batch", 0));
      System.out.printf(
          "edit mimic_img_0 %s: max |diff| %.3g (0..255), %d of %d values differ by > 1e-3;"
              + " style_norm_batch[0]: %.3g%n",
          Arrays.toString(crop.shape()), max, differ, expected.length, normErr);
      assertTrue(max <= 1e-3, "mimic crop max |diff| " + max);
    }
  }
}
