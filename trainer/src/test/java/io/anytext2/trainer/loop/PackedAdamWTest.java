package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The packed optimizer (one flat parameter tensor and flat moments after the first step) against
 * the per-parameter one: bit-identical parameters and moments after every step, including steps
 * that leave a parameter out (it is skipped, as torch skips parameters without a gradient) and the
 * steps after, when the step counts differ.
 */
class PackedAdamWTest {
  /** Odd sizes, so that the packed layout has padding between parameters. */
  private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("conv.weight", new long[] {3, 2, 3, 3});
    SHAPES.put("conv.bias", new long[] {3});
    SHAPES.put("linear.weight", new long[] {5, 7});
    SHAPES.put("norm.weight", new long[] {5});
    SHAPES.put("frozen", new long[] {2, 2});
  }

  private static Map<String, float[]> initial() {
    Random r = new Random(1);
    Map<String, float[]> v = new LinkedHashMap<>();
    SHAPES.forEach((k, s) -> {
      float[] a = new float[(int) java.util.Arrays.stream(s).reduce(1, (x, y) -> x * y)];
      for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
      v.put(k, a);
    });
    return v;
  }

  /** loss = Σ_key Σ (c ⊙ p + p²/2) over the keys used this step: gradient c + p. */
  private static List<String> forwardBackward(ParameterStore store, NDManager root, List<String> keys, Random r) {
    try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      DjlOps op = new DjlOps(store, m);
      NDArray loss = op.scalar(0f);
      for (String key : keys) {
        NDArray p = op.weight(key, SHAPES.get(key));
        float[] c = new float[(int) p.size()];
        for (int i = 0; i < c.length; i++) c[i] = (float) r.nextGaussian();
        NDArray term = op.add(op.mul(op.create(c, SHAPES.get(key)), p), op.scale(op.mul(p, p), 0.5f));
        loss = op.add(loss, op.own(term.sum()));
      }
      gc.backward(loss);
      return new ArrayList<>(op.used());
    }
  }

  @Test
  void packedStepsEqualPerParameterStepsBitForBit() {
    AdamW.Settings set = new AdamW.Settings(0.05f, 0.9f, 0.999f, 1e-8f, 0.01f);
    Map<String, float[]> values = initial();
    List<String> all = List.of("conv.weight", "conv.bias", "linear.weight", "norm.weight", "frozen");
    List<List<String>> used = List.of(all, all, List.of("conv.weight", "linear.weight", "norm.weight", "frozen"), all, all);
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore plain = ParameterStore.create(root, SHAPES, values::get, k -> !k.equals("frozen"), Map.of());
        ParameterStore packedStore = ParameterStore.create(root, SHAPES, values::get, k -> !k.equals("frozen"), Map.of());
        AdamW reference = new AdamW(plain, set);
        AdamW packed = new AdamW(packedStore, set, true)) {
      for (int step = 0; step < used.size(); step++) {
        reference.step(forwardBackward(plain, root, used.get(step), new Random(100 + step)));
        packed.step(forwardBackward(packedStore, root, used.get(step), new Random(100 + step)));
        assertNotNull(packedStore.packed(), "packed after the first step");
        for (String key : all) {
          assertArrayEquals(plain.read(key), packedStore.read(key), "step " + step + ": " + key);
        }
        for (String key : reference.state().keySet()) {
          AdamW.State want = reference.state().get(key);
          AdamW.State got = packed.state().get(key);
          assertEquals(want.step(), got.step(), key + " step count");
          assertArrayEquals(want.expAvg().getShape().getShape(), got.expAvg().getShape().getShape(), key + " moment shape");
          assertArrayEquals(HostArrays.read(want.expAvg()), HostArrays.read(got.expAvg()), "step " + step + ": exp_avg of " + key);
          assertArrayEquals(HostArrays.read(want.expAvgSq()), HostArrays.read(got.expAvgSq()), "step " + step + ": exp_avg_sq of " + key);
        }
        assertEquals(reference.state().keySet(), packed.state().keySet());
      }
      assertEquals(4, reference.state().get("conv.bias").step(), "the left-out parameter skipped one step");
      assertEquals(List.of("conv.weight", "conv.bias", "linear.weight", "norm.weight"), packedStore.packed().keys());
    }
  }

  @Test
  void packedParametersReadWriteAndRestoreInPlace() {
    AdamW.Settings set = new AdamW.Settings(0.05f, 0.9f, 0.999f, 1e-8f, 0f);
    Map<String, float[]> values = initial();
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = ParameterStore.create(root, SHAPES, values::get, k -> !k.equals("frozen"), Map.of());
        AdamW opt = new AdamW(store, set, true)) {
      assertNull(store.packed());
      opt.step(forwardBackward(store, root, List.of("conv.weight", "linear.weight"), new Random(7)));
      assertEquals(List.of("conv.weight", "linear.weight"), store.packed().keys());
      NDArray view = store.get("linear.weight", 5, 7);
      assertEquals("linear.weight", store.keyOf(view), "a view is known by its key");
      float[] w = new float[35];
      for (int i = 0; i < w.length; i++) w[i] = i * 0.5f;
      store.set("linear.weight", w);
      assertArrayEquals(w, store.read("linear.weight"));
      assertArrayEquals(w, HostArrays.read(store.get("linear.weight")), "views share the flat tensor");
      assertArrayEquals(values.get("conv.bias"), store.read("conv.bias"), "unpacked parameters stay as they were");
      float[] m = new float[54];
      float[] v = new float[54];
      java.util.Arrays.fill(m, 0.25f);
      java.util.Arrays.fill(v, 4f);
      opt.restore("conv.weight", m, v, 9);
      assertArrayEquals(m, HostArrays.read(opt.state().get("conv.weight").expAvg()));
      assertArrayEquals(v, HostArrays.read(opt.state().get("conv.weight").expAvgSq()));
      assertEquals(9, opt.state().get("conv.weight").step());
      assertTrue(store.trainableCount() > 0);
    }
  }
}
