package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with 2.4 GB of weights (beyond protobuf's 2 GB message limit) is written and run. Opt-in
 * because it writes 2.4 GB: {@code -Danytext2.largeModelTest=true}.
 */
class OnnxLargeModelTest {
  private static final int N = 200_000_000; // 800 MB per weight

  @TempDir Path dir;

  @Test
  void weightsBeyondTwoGigabytesAreStreamedAndRun() throws Exception {
    assumeTrue(
        Boolean.getBoolean("anytext2.largeModelTest"),
        "opt-in: -Danytext2.largeModelTest=true (writes 2.4 GB)");
    // weight k holds the index pattern (i % 1000) + 1000 k, so any misplaced byte range shows up
    WeightSource source =
        (key, shape) -> {
          int k = key.charAt(1) - '0';
          float[] v = new float[N];
          for (int i = 0; i < N; i++) v[i] = i % 1000 + 1000 * k;
          return v;
        };
    Path model = dir.resolve("large.onnx");
    try (OnnxOps op = new OnnxOps("large", source, WeightStorage.auto().withScratchDir(dir))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, 3L);
      for (int k = 0; k < 3; k++) {
        OnnxOps.Value w = op.weight("w" + k + ".weight", N);
        op.output("tail" + k, op.add(x, op.slice(w, 0, N - 3, N)));
      }
      op.save(model);
    }
    assertTrue(Files.size(model) < 1 << 20, "the model proto holds no weight bytes");
    assertTrue(Files.size(dir.resolve("large.onnx.data")) >= 3L * 4 * N);
    Map<String, Tensor> out =
        OrtHarness.run(model, Map.of("x", Tensor.of(new float[] {0.5f, 0.25f, 0.125f}, 3)));
    for (int k = 0; k < 3; k++) {
      float base = 1000 * k + (N - 3) % 1000;
      assertArrayEquals(
          new float[] {base + 0.5f, base + 1.25f, base + 2.125f},
          out.get("tail" + k).data(),
          "w" + k);
    }
    assertEquals(3, out.size());
  }
}
