package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.OrtHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TensorOps.attention} written as MatMul → Softmax → MatMul (default) and as one {@code
 * com.microsoft.MultiHeadAttention} node (fused): both agree with attention computed from its
 * definition in double precision, for self- and cross-attention, one and several heads, the
 * default and a custom scale, and the fused graph holds the contrib node and nothing of the chain.
 */
class FusedAttentionTest {
  @TempDir Path dir;

  private record Case(String name, int heads, int dimHead, int queries, int keys, float scale) {
    int width() {
      return heads * dimHead;
    }
  }

  private static final List<Case> CASES = List.of(
      // UNet self-attention (MODEL.md §3.1 scale dim_head^-0.5, the operator's default)
      new Case("self", 2, 16, 12, 12, (float) Math.pow(16, -0.5)),
      // cross-attention on a text context of another length
      new Case("cross", 4, 8, 10, 7, (float) Math.pow(8, -0.5)),
      // the VAE's single head over C channels
      new Case("vae", 1, 32, 9, 9, (float) Math.pow(32, -0.5)),
      // (float) 24^-0.5 in double is one float ulp above ONNX Runtime's 1.f / sqrtf(24.f): written out
      new Case("ulp", 1, 24, 9, 9, (float) Math.pow(24, -0.5)),
      // a scale that is not 1/sqrt(head size) must be written out
      new Case("custom", 2, 8, 5, 6, 0.2f));

  private static Path build(Path dir, Case c, boolean fused) throws Exception {
    String name = c.name() + (fused ? "_fused" : "_plain");
    try (OnnxOps op = new OnnxOps(name, new RandomWeights(1), WeightStorage.auto(), Precision.FP32, fused)) {
      long w = c.width();
      OnnxOps.Value q = op.input("q", ElemType.FLOAT, "batch", "queries", w);
      OnnxOps.Value k = op.input("k", ElemType.FLOAT, "batch", "keys", w);
      OnnxOps.Value v = op.input("v", ElemType.FLOAT, "batch", "keys", w);
      op.output("y", op.attention(q, k, v, c.heads(), c.scale()));
      return OrtHarness.save(op, dir, name);
    }
  }

  @Test
  void fusedAndComposedAttentionMatchTheDefinition() throws Exception {
    Random random = new Random(11);
    for (Case c : CASES) {
      Path plain = build(dir, c, false), fused = build(dir, c, true);
      Map<String, Tensor> feeds = Map.of(
          "q", Tensor.normal(random, 2, c.queries(), c.width()),
          "k", Tensor.normal(random, 2, c.keys(), c.width()),
          "v", Tensor.normal(random, 2, c.keys(), c.width()));
      Tensor expected = reference(feeds.get("q"), feeds.get("k"), feeds.get("v"), c.heads(), c.scale());
      Tensor a = OrtHarness.run(plain, feeds).get("y");
      Tensor b = OrtHarness.run(fused, feeds).get("y");
      assertClose(expected, a, 1e-5, c.name() + " composed");
      assertClose(expected, b, 1e-5, c.name() + " fused");
      assertClose(a, b, 1e-5, c.name() + " fused vs composed");
    }
  }

  @Test
  void fusedGraphHoldsOneContribNodeAndNoSoftmax() throws Exception {
    for (Case c : CASES) {
      ModelProto fused = ModelProto.parseFrom(Files.readAllBytes(build(dir, c, true)));
      List<NodeProto> mha = fused.getGraph().getNodeList().stream()
          .filter(n -> n.getOpType().equals("MultiHeadAttention")).toList();
      assertEquals(1, mha.size(), c.name());
      NodeProto node = mha.get(0);
      assertEquals("com.microsoft", node.getDomain());
      assertEquals(List.of("q", "k", "v"), node.getInputList());
      assertEquals(c.heads(), attribute(node, "num_heads").getI(), c.name());
      AttributeProto scale = attribute(node, "scale");
      boolean implicit = List.of("self", "cross", "vae").contains(c.name());
      assertEquals(implicit, Float.floatToIntBits(c.scale()) == Float.floatToIntBits(1f / (float) Math.sqrt(c.dimHead())));
      if (implicit) assertEquals(null, scale, c.name() + ": the default 1/sqrt(head size) is left implicit");
      else assertEquals(c.scale(), scale.getF(), c.name());
      assertTrue(fused.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Softmax")
          || n.getOpType().equals("MatMul")), c.name());
      assertTrue(fused.getOpsetImportList().stream()
          .anyMatch(o -> o.getDomain().equals("com.microsoft") && o.getVersion() == 1), c.name());

      ModelProto plain = ModelProto.parseFrom(Files.readAllBytes(build(dir, c, false)));
      assertTrue(plain.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Softmax")));
      assertTrue(plain.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()));
      assertEquals(1, plain.getOpsetImportCount(), "standard graphs import ai.onnx only");
    }
  }

  /** Self-attention after a linear layer, in {@code precision}, fused or not. */
  private static Path selfAttention(Path dir, String name, Precision precision, boolean fused) throws Exception {
    Case c = CASES.get(0);
    try (OnnxOps op = new OnnxOps(name, new RandomWeights(1), WeightStorage.auto(), precision, fused)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", "queries", (long) c.width());
      OnnxOps.Value q = op.linear(x, op.weight("to_q.weight", c.width(), c.width()), null);
      OnnxOps.Value y = op.attention(q, q, q, c.heads(), c.scale());
      assertEquals(precision.compute(), y.type(), "the attention runs in the compute type");
      op.output("y", y);
      return OrtHarness.save(op, dir, name);
    }
  }

  @Test
  void halfPrecisionFusedNodeReadsFloat16WithoutCasts() throws Exception {
    // float32 softmax asked for: the fused kernels keep softmax statistics in float32 anyway, so no Cast
    Path half = selfAttention(dir, "half", Precision.FP16_FP32_NORMS, true);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(half));
    NodeProto mha = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MultiHeadAttention"))
        .findFirst().orElseThrow();
    assertFalse(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Cast")
        && n.getOutputList().contains(mha.getInput(0))), "no Cast feeds the fused node");
    // ONNX Runtime's CPU provider runs the float16 node too (float16 package opened on a machine without CUDA)
    Map<String, Tensor> feeds = Map.of("x", Tensor.normal(new Random(4), 2, 9, CASES.get(0).width()));
    Tensor exact = OrtHarness.run(selfAttention(dir, "full", Precision.FP32, false), feeds).get("y");
    Tensor approx = OrtHarness.run(half, feeds).get("y");
    double err = OrtHarness.maxError(exact, approx);
    assertTrue(err < 1e-2 && err > 0, "float16 fused vs float32 composed: max scaled error " + err);
  }

  @Test
  void badShapesAreRejectedWithOneLine() throws Exception {
    try (OnnxOps op = new OnnxOps("bad", new RandomWeights(1), WeightStorage.auto(), Precision.FP32, true)) {
      OnnxOps.Value q = op.input("q", ElemType.FLOAT, "batch", "queries", 12L);
      OnnxOps.Value k = op.input("k", ElemType.FLOAT, "batch", "keys", 8L);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.attention(q, k, k, 2, 0.3f));
      assertTrue(e.getMessage().startsWith("attention: expected"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> op.attention(q, q, q, 5, 0.3f));
    }
  }

  private static AttributeProto attribute(NodeProto n, String name) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
  }

  /** softmax(q_h·k_hᵀ·scale)·v_h per batch and head, in double precision. */
  private static Tensor reference(Tensor q, Tensor k, Tensor v, int heads, float scale) {
    int b = q.dim(0), s = q.dim(1), l = k.dim(1), w = q.dim(2), d = w / heads;
    float[] out = new float[b * s * w];
    for (int n = 0; n < b; n++)
      for (int h = 0; h < heads; h++)
        for (int i = 0; i < s; i++) {
          double[] p = new double[l];
          double max = Double.NEGATIVE_INFINITY, sum = 0;
          for (int j = 0; j < l; j++) {
            for (int t = 0; t < d; t++) {
              p[j] += (double) q.data()[(n * s + i) * w + h * d + t] * k.data()[(n * l + j) * w + h * d + t];
            }
            p[j] *= scale;
            max = Math.max(max, p[j]);
          }
          for (int j = 0; j < l; j++) sum += p[j] = Math.exp(p[j] - max);
          for (int t = 0; t < d; t++) {
            double acc = 0;
            for (int j = 0; j < l; j++) acc += p[j] / sum * v.data()[(n * l + j) * w + h * d + t];
            out[(n * s + i) * w + h * d + t] = (float) acc;
          }
        }
    return Tensor.of(out, q.shape());
  }
}
