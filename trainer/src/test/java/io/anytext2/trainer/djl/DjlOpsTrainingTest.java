package io.anytext2.trainer.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DjlOps in training: BatchNorm batch statistics per group with running-stat updates, and gradients. */
class DjlOpsTrainingTest {
  private static final String BN = "embedding_manager.font_predictor.bn.";

  private static Map<String, long[]> shapes(long c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) s.put(BN + p, new long[] {c});
    return s;
  }

  @Test
  void trainModeBatchNormUsesGroupStatisticsAndUpdatesRunningStatsWithMomentumPointOne() {
    Random r = new Random(3);
    int n = 4;
    int c = 2;
    int l = 3;
    float[] x = new float[n * c * l];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 2 + 1;
    float[] gamma = {1.5f, 0.5f};
    float[] beta = {0.1f, -0.2f};
    Map<String, float[]> values = Map.of(BN + "weight", gamma, BN + "bias", beta,
        BN + "running_mean", new float[] {0.3f, -0.1f}, BN + "running_var", new float[] {1f, 2f});
    Map<TensorInfo, byte[]> extras = Map.of(new TensorInfo(BN + "num_batches_tracked", DType.I64, new long[0]),
        TensorCodec.encodeLongs(new long[] {7}, DType.I64));
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = ParameterStore.create(root, shapes(c), values::get, k -> k.endsWith("weight") || k.endsWith("bias"), extras);
        NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      op.trainMode("embedding_manager.font_predictor.", true);
      op.batchNormGroups(new int[] {1, 3});
      NDArray y = op.batchNorm(op.create(x, n, c, 1, l), 1e-5f, op.weight(BN + "weight", c), op.weight(BN + "bias", c),
          op.weight(BN + "running_mean", c), op.weight(BN + "running_var", c));
      float[] got = y.toFloatArray();
      double[] rm = {0.3, -0.1};
      double[] rv = {1, 2};
      int[][] groups = {{0, 1}, {1, 4}};
      for (int[] g : groups) {
        for (int ch = 0; ch < c; ch++) {
          double sum = 0;
          int cnt = 0;
          for (int i = g[0]; i < g[1]; i++) for (int k = 0; k < l; k++) { sum += x[(i * c + ch) * l + k]; cnt++; }
          double mean = sum / cnt;
          double ss = 0;
          for (int i = g[0]; i < g[1]; i++) for (int k = 0; k < l; k++) ss += Math.pow(x[(i * c + ch) * l + k] - mean, 2);
          double var = ss / cnt;
          for (int i = g[0]; i < g[1]; i++) {
            for (int k = 0; k < l; k++) {
              double want = (x[(i * c + ch) * l + k] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch];
              assertEquals(want, got[(i * c + ch) * l + k], 1e-5);
            }
          }
          rm[ch] = 0.9 * rm[ch] + 0.1 * mean;
          rv[ch] = 0.9 * rv[ch] + 0.1 * ss / (cnt - 1); // unbiased variance for the running estimate
        }
      }
      float[] runMean = store.get(BN + "running_mean").toFloatArray();
      float[] runVar = store.get(BN + "running_var").toFloatArray();
      for (int ch = 0; ch < c; ch++) {
        assertEquals(rm[ch], runMean[ch], 1e-6);
        assertEquals(rv[ch], runVar[ch], 1e-5);
      }
      assertEquals(9, TensorCodec.decodeLongs(readExtra(store, BN + "num_batches_tracked"), DType.I64)[0]);

      op.trainMode("embedding_manager.font_predictor.", false); // eval: running statistics, nothing updated
      float[] before = store.get(BN + "running_mean").toFloatArray();
      op.batchNorm(op.create(x, n, c, 1, l), 1e-5f, op.weight(BN + "weight", c), op.weight(BN + "bias", c),
          op.weight(BN + "running_mean", c), op.weight(BN + "running_var", c));
      assertArrayEquals(before, store.get(BN + "running_mean").toFloatArray());
    }
  }

  @Test
  void dropoutActsOnlyInTrainModeModules() {
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = ParameterStore.create(root, Map.of(), k -> null, k -> false, Map.of());
        NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      float[] ones = new float[4000];
      java.util.Arrays.fill(ones, 1f);
      String key = "embedding_manager.font_predictor.neck.encoder.svtr_block.0.mlp.drop";
      assertArrayEquals(ones, op.dropout(key, op.create(ones, 4000), 0.5f).toFloatArray(), "eval: identity");
      op.trainMode("embedding_manager.font_predictor.", true);
      assertArrayEquals(ones, op.dropout("text_predictor.neck.encoder.svtr_block.0.mlp.drop", op.create(ones, 4000), 0.5f).toFloatArray(),
          "the glyph recognizer stays in eval mode");
      float[] y = op.dropout(key, op.create(ones, 4000), 0.5f).toFloatArray();
      long zeros = 0;
      for (float v : y) {
        assertTrue(v == 0f || v == 2f, "inverted dropout keeps 1/(1-p)-scaled values, found " + v);
        if (v == 0f) zeros++;
      }
      assertTrue(zeros > 1800 && zeros < 2200, "about half dropped, found " + zeros);
    }
  }

  @Test
  void gradientsThroughGroupNormAndLinearMatchFiniteDifferences() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("w", new long[] {3, 4});
    shapes.put("g", new long[] {4});
    shapes.put("b", new long[] {4});
    Random r = new Random(5);
    Map<String, float[]> values = new LinkedHashMap<>();
    values.put("w", gaussian(r, 12));
    values.put("g", gaussian(r, 4));
    values.put("b", gaussian(r, 4));
    float[] x = gaussian(r, 2 * 4 * 3);
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = ParameterStore.create(root, shapes, values::get, k -> true, Map.of())) {
      float[] grad;
      try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = forward(new DjlOps(store, m), x);
        gc.backward(loss);
        try (NDArray gr = store.get("w").getGradient()) {
          grad = gr.toFloatArray();
        }
      }
      float[] w = values.get("w");
      for (int i = 0; i < w.length; i++) {
        float keep = w[i];
        double h = 1e-2;
        w[i] = (float) (keep + h);
        store.set("w", w);
        double up = scalar(store, root, x);
        w[i] = (float) (keep - h);
        store.set("w", w);
        double down = scalar(store, root, x);
        w[i] = keep;
        store.set("w", w);
        double fd = (up - down) / (2 * h);
        assertTrue(Math.abs(fd - grad[i]) <= 2e-3 + 2e-3 * Math.abs(fd), "d/dw[" + i + "]: autograd " + grad[i] + ", finite difference " + fd);
      }
    }
  }

  private static double scalar(ParameterStore store, NDManager root, float[] x) {
    try (NDManager m = root.newSubManager()) {
      return forward(new DjlOps(store, m), x).getFloat();
    }
  }

  /** sum(linear(groupNorm(x))²) with x [2,4,3] (channels 4, 2 groups) → tokens [2,3,4]. */
  private static NDArray forward(DjlOps op, float[] x) {
    NDArray h = op.groupNorm(op.create(x, 2, 4, 3), 2, 1e-5f, op.weight("g", 4), op.weight("b", 4));
    NDArray y = op.linear(op.permute(h, 0, 2, 1), op.weight("w", 3, 4), null);
    return op.sumKeepDims(op.mul(y, y), 0, 1, 2).reshape(1);
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  private static byte[] readExtra(ParameterStore store, String key) throws RuntimeException {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      TensorInfo info = store.tensors().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
      store.data().write(info, out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
