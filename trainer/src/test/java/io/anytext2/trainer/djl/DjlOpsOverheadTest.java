package io.anytext2.trainer.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What keeps the host overhead of {@link DjlOps} down: GroupNorm in one fused layer norm (same
 * values as the mean / biased-variance composition it replaced), constants made once per scope or
 * once per run, and the {@link OpCounter} that measures it.
 */
class DjlOpsOverheadTest {

  private static ParameterStore store(NDManager root) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("g", new long[] {6});
    shapes.put("b", new long[] {6});
    float[] g = {1f, 0.5f, -2f, 1.5f, 0.25f, 3f};
    float[] b = {0f, 0.1f, -0.3f, 2f, -1f, 0.5f};
    return ParameterStore.create(root, shapes, k -> k.equals("g") ? g : b, k -> false, Map.of());
  }

  @Test
  void groupNormEqualsTheMeanAndBiasedVarianceComposition() {
    Random r = new Random(4);
    float[] x = new float[2 * 6 * 5 * 7];
    for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3 + 1);
    try (NDManager root = NDManager.newBaseManager(); ParameterStore store = store(root); NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      float[] got = HostArrays.read(op.groupNorm(op.create(x, 2, 6, 5, 7), 3, 1e-5f, op.weight("g", 6), op.weight("b", 6)));
      float[] gamma = store.read("g");
      float[] beta = store.read("b");
      int per = 2 * 35; // 2 channels of 5×7 per group
      for (int n = 0; n < 2; n++) {
        for (int grp = 0; grp < 3; grp++) {
          int from = (n * 6 + grp * 2) * 35;
          double mean = 0;
          for (int i = 0; i < per; i++) mean += x[from + i];
          mean /= per;
          double var = 0;
          for (int i = 0; i < per; i++) var += (x[from + i] - mean) * (x[from + i] - mean);
          var /= per;
          for (int i = 0; i < per; i++) {
            int c = grp * 2 + i / 35;
            double want = (x[from + i] - mean) / Math.sqrt(var + 1e-5) * gamma[c] + beta[c];
            assertEquals(want, got[from + i], 1e-5 * Math.max(1, Math.abs(want)), "element " + (from + i));
          }
        }
      }
    }
  }

  @Test
  void constantsAreMadeOncePerScopeOrOncePerRun() {
    try (NDManager root = NDManager.newBaseManager(); ParameterStore store = store(root)) {
      DjlOps op = new DjlOps(store, null);
      float[] mask = {0f, -1f, 0f, 0f};
      try (NDManager m = root.newSubManager()) {
        op.scope(m);
        assertSame(op.scalar(0.5f), op.scalar(0.5f), "one scalar per value and scope");
        assertNotSame(op.scalar(0.5f), op.scalar(0.25f));
        assertSame(op.constant(mask.clone(), 2, 2), op.constant(mask.clone(), 2, 2), "constants by content");
        assertNotSame(op.constant(mask, 2, 2), op.constant(mask, 4));
        assertEquals(0.5f, op.scalar(0.5f).getFloat());
      }
      op.scope(null);
      try (NDManager kept = root.newSubManager()) {
        op.keepConstantsIn(kept);
        NDArray first;
        try (NDManager m = root.newSubManager()) {
          op.scope(m);
          first = op.constant(mask, 2, 2);
        }
        try (NDManager m = root.newSubManager()) {
          op.scope(m);
          assertSame(first, op.constant(mask, 2, 2), "kept across scopes");
          assertEquals(-1f, HostArrays.read(first)[1]);
        }
      }
    }
  }

  @Test
  void opCounterCountsOperationsUploadsAndReadsByPart() {
    boolean was = OpCounter.enabled();
    OpCounter.setEnabled(true);
    try (NDManager root = NDManager.newBaseManager(); ParameterStore store = store(root); NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      OpCounter.take();
      NDArray x = op.create(new float[] {1f, 2f}, 2); // 1 upload (an operation too)
      NDArray y = OpCounter.part("math", () -> op.add(op.mul(x, x), x)); // 2
      float[] v = HostArrays.read(y); // 1 read
      OpCounter.Tally t = OpCounter.take();
      assertEquals(3, t.ops());
      assertEquals(1, t.uploads());
      assertEquals(1, t.reads());
      assertEquals(2, t.ops("math"));
      assertTrue(t.describe().contains("math 2/0/0"), t.describe());
      assertEquals(6f, v[1]);
      assertEquals(0, OpCounter.take().ops(), "take starts afresh");
    } finally {
      OpCounter.setEnabled(was);
    }
  }
}
