package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectedComponents#find} against a flood fill: the same 8-connected components, numbered by their
 * first 2x2 block as OpenCV numbers them, with the same areas, on random masks of every density.
 */
class ConnectedComponentsTest {

  @Test
  void labelsMatchAFloodFillOnRandomMasks() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + rng.nextInt(41);
      int h = 1 + rng.nextInt(29);
      double density = rng.nextDouble();
      byte[] bits = new byte[w * h];
      for (int i = 0; i < bits.length; i++) bits[i] = rng.nextDouble() < density ? (byte) 1 : 0;
      ConnectedComponents.Labeling l = ConnectedComponents.find(new Mask(w, h, bits));
      int[] expected = floodFill(bits, w, h);
      assertArrayEquals(expected, l.labelsView(), "trial " + trial + " (" + w + "x" + h + ", density " + density + ")");
      int components = 0;
      for (int v : expected) components = Math.max(components, v + 1);
      assertEquals(components, l.components().size());
    }
  }

  /** Labels by breadth-first flood fill, renumbered by each component's first 2x2 block (row of blocks first). */
  private static int[] floodFill(byte[] bits, int w, int h) {
    int[] raw = new int[w * h];
    java.util.Arrays.fill(raw, -1);
    List<Long> firstBlock = new ArrayList<>();
    int blocksPerRow = (w + 1) / 2;
    for (int start = 0; start < bits.length; start++) {
      if (bits[start] == 0 || raw[start] >= 0) continue;
      int id = firstBlock.size();
      long first = Long.MAX_VALUE;
      ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
      raw[start] = id;
      while (!queue.isEmpty()) {
        int p = queue.poll();
        int x = p % w;
        int y = p / w;
        first = Math.min(first, (long) (y / 2) * blocksPerRow + x / 2);
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            int q = ny * w + nx;
            if (bits[q] != 0 && raw[q] < 0) {
              raw[q] = id;
              queue.add(q);
            }
          }
        }
      }
      firstBlock.add(first);
    }
    Integer[] order = new Integer[firstBlock.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Long.compare(firstBlock.get(a), firstBlock.get(b)));
    int[] rank = new int[order.length];
    for (int k = 0; k < order.length; k++) rank[order[k]] = k;
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) out[i] = raw[i] < 0 ? -1 : rank[raw[i]];
    return out;
  }
}
