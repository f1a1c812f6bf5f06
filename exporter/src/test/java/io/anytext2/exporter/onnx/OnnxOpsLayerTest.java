package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.OrtHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.anytext2.nn.ops.Pads;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers with parameters (conv, linear, norms, embedding) against the naive references. */
class OnnxOpsLayerTest {
  private static final double TOL = 1e-5;

  @TempDir Path dir;
  private final Random random = new Random(7);

  /** Builds one conv graph with dynamic N/H/W and checks it at the given runtime input shape. */
  private void checkConv(
      String name,
      long[] runtime,
      int cOut,
      int k,
      int sh,
      int sw,
      int[] pads,
      int groups,
      boolean bias)
      throws Exception {
    int cIn = (int) runtime[1];
    RandomWeights weights = new RandomWeights(runtime.length + cOut);
    Path model;
    try (OnnxOps op = new OnnxOps(name, weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", (long) cIn, "height", "width");
      OnnxOps.Value w = op.weight("conv.weight", cOut, cIn / groups, k, k);
      OnnxOps.Value b = bias ? op.weight("conv.bias", cOut) : null;
      OnnxOps.Value y = op.conv2d(x, w, b, sh, sw, pads, groups);
      assertArrayEquals(new long[] {-1, cOut, -1, -1}, op.shape(y), name + ": build-time shape");
      op.output("y", y);
      model = OrtHarness.save(op, dir, name);
    }
    Tensor x = Tensor.normal(random, runtime);
    Tensor expected =
        Naive.conv2d(
            x,
            weights.get("conv.weight"),
            bias ? weights.get("conv.bias") : null,
            sh,
            sw,
            pads,
            groups);
    assertClose(expected, OrtHarness.run(model, Map.of("x", x)).get("y"), TOL, name);
  }

  @Test
  void conv2dStrideTwoSymmetricPads() throws Exception {
    checkConv("conv_s2", new long[] {2, 3, 9, 7}, 8, 3, 2, 2, Pads.same(1), 1, true);
  }

  @Test
  void conv2dAsymmetricPadsBottomRight() throws Exception {
    // the VAE downsampler: pad (0, 1, 0, 1) in F.pad order = bottom/right only, then 3x3 stride 2
    checkConv("conv_br", new long[] {1, 4, 8, 8}, 4, 3, 2, 2, Pads.bottomRight(1), 1, true);
    checkConv("conv_br_odd", new long[] {2, 4, 7, 5}, 4, 3, 2, 2, new int[] {0, 0, 1, 1}, 1, false);
  }

  @Test
  void conv2dDepthwiseAndGrouped() throws Exception {
    checkConv("conv_dw", new long[] {2, 6, 6, 5}, 6, 3, 1, 1, Pads.same(1), 6, true);
    checkConv("conv_g3", new long[] {1, 6, 5, 5}, 9, 3, 1, 1, Pads.same(1), 3, true);
  }

  @Test
  void conv2dStrideTwoByOne() throws Exception {
    checkConv("conv_s21", new long[] {2, 4, 8, 6}, 5, 3, 2, 1, Pads.same(1), 1, true);
    checkConv("conv_1x1", new long[] {1, 4, 3, 3}, 2, 1, 1, 1, Pads.none(), 1, true);
  }

  @Test
  void linearOnRankTwoAndThree() throws Exception {
    RandomWeights weights = new RandomWeights(11);
    Path model;
    try (OnnxOps op = new OnnxOps("linear", weights)) {
      OnnxOps.Value x2 = op.input("x2", ElemType.FLOAT, "batch", 5L);
      OnnxOps.Value x3 = op.input("x3", ElemType.FLOAT, "batch", "tokens", 5L);
      OnnxOps.Value w = op.weight("proj.weight", 3, 5);
      OnnxOps.Value b = op.weight("proj.bias", 3);
      op.output("y2", op.linear(x2, w, b));
      OnnxOps.Value y3 = op.linear(x3, w, b);
      assertArrayEquals(new long[] {-1, -1, 3}, op.shape(y3));
      op.output("y3", y3);
      op.output("y3_nobias", op.linear(x3, op.weight("proj.weight", 3, 5), null));
      model = OrtHarness.save(op, dir, "linear");
    }
    Tensor x2 = Tensor.normal(random, 4, 5), x3 = Tensor.normal(random, 2, 7, 5);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x2", x2, "x3", x3));
    Tensor w = weights.get("proj.weight"), b = weights.get("proj.bias");
    assertClose(Naive.linear(x2, w, b), out.get("y2"), TOL, "rank-2 linear (Gemm)");
    assertClose(Naive.linear(x3, w, b), out.get("y3"), TOL, "rank-3 linear (MatMul)");
    assertClose(Naive.linear(x3, w, null), out.get("y3_nobias"), TOL, "rank-3 linear without bias");
  }

  @Test
  void groupNormWithDynamicSpatialSizes() throws Exception {
    RandomWeights weights = new RandomWeights(13);
    Path model;
    try (OnnxOps op = new OnnxOps("groupnorm", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 64L, "height", "width");
      OnnxOps.Value a =
          op.groupNorm(x, 32, 1e-6f, op.weight("norm_a.weight", 64), op.weight("norm_a.bias", 64));
      OnnxOps.Value b =
          op.groupNorm(x, 32, 1e-5f, op.weight("norm_b.weight", 64), op.weight("norm_b.bias", 64));
      assertArrayEquals(new long[] {-1, 64, -1, -1}, op.shape(a));
      op.output("eps6", a);
      op.output("eps5", b);
      model = OrtHarness.save(op, dir, "groupnorm");
    }
    for (long[] shape : new long[][] {{2, 64, 8, 8}, {1, 64, 5, 7}}) {
      // offset and spread so that mean removal and variance both matter
      Tensor x = Naive.map(Tensor.normal(random, shape), v -> 2 * v + 0.5);
      Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
      assertClose(
          Naive.groupNorm(x, 32, 1e-6, weights.get("norm_a.weight"), weights.get("norm_a.bias")),
          out.get("eps6"),
          TOL,
          "eps 1e-6");
      assertClose(
          Naive.groupNorm(x, 32, 1e-5, weights.get("norm_b.weight"), weights.get("norm_b.bias")),
          out.get("eps5"),
          TOL,
          "eps 1e-5");
    }
  }

  @Test
  void groupNormOnStaticShapeAndSmallVariance() throws Exception {
    RandomWeights weights = new RandomWeights(17);
    Path model;
    try (OnnxOps op = new OnnxOps("groupnorm_static", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, 1L, 32L, 4L, 4L);
      op.output(
          "y", op.groupNorm(x, 8, 1e-6f, op.weight("gn.weight", 32), op.weight("gn.bias", 32)));
      model = OrtHarness.save(op, dir, "groupnorm_static");
    }
    // std 0.01 around 3: eps and the variance are within two orders of magnitude
    Tensor x = Naive.map(Tensor.normal(random, 1, 32, 4, 4), v -> 3 + 0.01 * v);
    Tensor expected = Naive.groupNorm(x, 8, 1e-6, weights.get("gn.weight"), weights.get("gn.bias"));
    assertClose(
        expected, OrtHarness.run(model, Map.of("x", x)).get("y"), 1e-4, "small-variance groupNorm");
  }

  @Test
  void layerNormOverLastAxis() throws Exception {
    RandomWeights weights = new RandomWeights(19);
    Path model;
    try (OnnxOps op = new OnnxOps("layernorm", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", "tokens", 32L);
      op.output("y", op.layerNorm(x, 1e-5f, op.weight("ln.weight", 32), op.weight("ln.bias", 32)));
      model = OrtHarness.save(op, dir, "layernorm");
    }
    Tensor x = Naive.map(Tensor.normal(random, 2, 7, 32), v -> 1.5 * v - 0.7);
    Tensor expected = Naive.layerNorm(x, 1e-5, weights.get("ln.weight"), weights.get("ln.bias"));
    assertClose(expected, OrtHarness.run(model, Map.of("x", x)).get("y"), TOL, "layerNorm");
  }

  @Test
  void batchNormInInferenceMode() throws Exception {
    RandomWeights weights = new RandomWeights(23);
    Path model;
    try (OnnxOps op = new OnnxOps("batchnorm", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 8L, "height", "width");
      OnnxOps.Value y =
          op.batchNorm(
              x,
              1e-5f,
              op.weight("bn.weight", 8),
              op.weight("bn.bias", 8),
              op.weight("bn.running_mean", 8),
              op.weight("bn.running_var", 8));
      op.output("y", y);
      model = OrtHarness.save(op, dir, "batchnorm");
    }
    Tensor x = Tensor.normal(random, 2, 8, 5, 3);
    Tensor expected =
        Naive.batchNorm(
            x,
            1e-5,
            weights.get("bn.weight"),
            weights.get("bn.bias"),
            weights.get("bn.running_mean"),
            weights.get("bn.running_var"));
    assertClose(expected, OrtHarness.run(model, Map.of("x", x)).get("y"), TOL, "batchNorm");
  }

  @Test
  void embeddingGathersRowsByInt64Ids() throws Exception {
    RandomWeights weights = new RandomWeights(29);
    Path model;
    try (OnnxOps op = new OnnxOps("embedding", weights)) {
      OnnxOps.Value ids = op.input("ids", ElemType.INT64, "batch", 3L);
      OnnxOps.Value y = op.embedding(op.weight("tok.weight", 10, 4), ids);
      assertArrayEquals(new long[] {-1, 3, 4}, op.shape(y));
      op.output("y", y);
      model = OrtHarness.save(op, dir, "embedding");
    }
    Tensor ids = Tensor.ids(new long[] {0, 9, 3, 3, 7, 1}, 2, 3);
    Tensor expected = Naive.embedding(weights.get("tok.weight"), ids);
    assertClose(expected, OrtHarness.run(model, Map.of("ids", ids)).get("y"), 0, "embedding");
  }
}
