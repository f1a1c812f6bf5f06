package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.prep.Mask;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recognizer stage's loose crops: the position mask widened by a margin drawn per line. */
class CropMarginTest {

  private static Mask box(int x0, int y0, int x1, int y1) {
    float[] v = new float[128 * 128];
    for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) v[y * 128 + x] = 1f;
    return Mask.fromThreshold(128, 128, v, 0.5f);
  }

  /** [x0, y0, x1, y1) of the mask's ones. */
  private static int[] bounds(Mask m) {
    int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        if (m.get(x, y) == 0) continue;
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x + 1);
        b[3] = Math.max(b[3], y + 1);
      }
    }
    return b;
  }

  @Test
  void widensEverySideByTheSameDrawnMarginWithinTheLimit() {
    Mask line = box(30, 50, 90, 70);
    assertSame(line, PreparedSample.widened(line, 0, 0), "no margin: the mask itself");
    Set<Integer> margins = new HashSet<>();
    for (int index = 0; index < 12; index++) {
      Mask wide = PreparedSample.widened(line, 6, index);
      int[] b = bounds(wide);
      int k = 30 - b[0];
      assertTrue(k >= 0 && k <= 6, "margin " + k);
      assertEquals(k, 50 - b[1]);
      assertEquals(k, b[2] - 90);
      assertEquals(k, b[3] - 70);
      assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString(bounds(PreparedSample.widened(line, 6, index))),
          "the same line gets the same margin");
      margins.add(k);
    }
    assertTrue(margins.size() >= 3, "margins vary between lines: " + margins);
  }
}
