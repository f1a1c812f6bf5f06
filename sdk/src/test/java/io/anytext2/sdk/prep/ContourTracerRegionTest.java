package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ContourTracer#external} traces only the bounding box of the set pixels (plus a background
 * margin); it must give the contours of tracing the whole frame, point for point and in the same
 * order, whatever the shapes: several components, holes with islands, pixels on the picture's edge.
 */
class ContourTracerRegionTest {

  @Test
  void tracingTheBoundingBoxGivesTheContoursOfTheWholeFrame() {
    Random rng = new Random(42);
    int compared = 0;
    for (int trial = 0; trial < 300; trial++) {
      int w = 8 + rng.nextInt(60), h = 8 + rng.nextInt(60);
      byte[] bits = new byte[w * h];
      int shapes = 1 + rng.nextInt(5);
      for (int s = 0; s < shapes; s++) {
        int bw = 1 + rng.nextInt(Math.max(1, w / 2)), bh = 1 + rng.nextInt(Math.max(1, h / 2));
        int bx = rng.nextInt(w - bw + 1), by = rng.nextInt(h - bh + 1);
        boolean ring = rng.nextBoolean() && bw > 4 && bh > 4; // a hole, sometimes with an island inside
        for (int y = by; y < by + bh; y++) {
          for (int x = bx; x < bx + bw; x++) {
            boolean edge = x == bx || y == by || x == bx + bw - 1 || y == by + bh - 1;
            if (!ring || edge) bits[y * w + x] = 1;
          }
        }
        if (ring && rng.nextBoolean()) bits[(by + bh / 2) * w + bx + bw / 2] = 1;
      }
      for (int k = rng.nextInt(20); k > 0; k--) bits[rng.nextInt(bits.length)] ^= 1; // speckle
      Mask m = Mask.wrap(w, h, bits);
      for (ContourTracer.Approximation a : ContourTracer.Approximation.values()) {
        List<Polygon> region = ContourTracer.external(m, a);
        List<Polygon> frame = ContourTracer.externalInFrame(m, a);
        assertEquals(frame, region, "trial " + trial + " " + a + " " + w + "x" + h);
        compared += frame.size();
      }
    }
    assertTrue(compared > 300, "contours compared: " + compared);
    assertEquals(List.of(), ContourTracer.external(Mask.empty(20, 10), ContourTracer.Approximation.SIMPLE));
  }
}
