package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anytext2.trainer.djl.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against a hand-written double-precision reference of torch.optim.AdamW. */
class AdamWTest {

  @Test
  void matchesTheReferenceUpdateOverThreeStepsAndSkipsUnusedParameters() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("a", new long[] {3});
    shapes.put("b", new long[] {2});
    float[] a0 = {0.5f, -1f, 2f};
    float[] b0 = {1f, 1f};
    Map<String, float[]> values = Map.of("a", a0, "b", b0);
    float[][] grads = {{0.1f, -0.2f, 0.3f}, {1f, 0f, -1f}, {0.05f, 0.05f, 0.05f}};
    AdamW.Settings set = new AdamW.Settings(0.1f, 0.9f, 0.999f, 1e-8f, 0.01f);
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = ParameterStore.create(root, shapes, values::get, k -> true, Map.of());
        AdamW opt = new AdamW(store, set)) {
      double[] p = {0.5, -1, 2};
      double[] m = new double[3];
      double[] v = new double[3];
      long managed = store.manager().getManagedArrays().size();
      for (int step = 1; step <= 3; step++) {
        float[] g = grads[step - 1];
        try (NDManager s = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray prod = store.get("a").mul(s.create(g));
          prod.attach(s);
          NDArray loss = prod.sum();
          loss.attach(s);
          gc.backward(loss); // d/da = g
        }
        opt.step(List.of("a"));
        for (int i = 0; i < 3; i++) {
          p[i] *= 1 - 0.1 * 0.01;
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, step)) + 1e-8;
          p[i] -= 0.1 / (1 - Math.pow(0.9, step)) * m[i] / denom;
        }
        float[] got = store.get("a").toFloatArray();
        for (int i = 0; i < 3; i++) assertEquals(p[i], got[i], 1e-5, "step " + step + " element " + i);
        try (NDArray grad = store.get("a").getGradient()) {
          assertArrayEquals(new float[3], grad.toFloatArray(), "gradient zeroed after the step");
        }
      }
      assertArrayEquals(b0, store.get("b").toFloatArray(), "a parameter without gradient is not touched (no weight decay)");
      assertEquals(3, opt.state().get("a").step());
      assertEquals(managed + 2, store.manager().getManagedArrays().size(), "nothing but the two moment arrays of a is left behind");
    }
  }
}
