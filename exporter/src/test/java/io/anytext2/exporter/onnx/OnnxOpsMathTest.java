package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.OrtHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arithmetic, activations, reductions, softmax and an attention chain against naive references. */
class OnnxOpsMathTest {
  private static final double TOL = 1e-5;

  @TempDir Path dir;
  private final Random random = new Random(3);

  @Test
  void elementwiseArithmeticBroadcasts() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("arith", new RandomWeights(1))) {
      OnnxOps.Value a = op.input("a", ElemType.FLOAT, "batch", 3L, 4L);
      OnnxOps.Value b = op.input("b", ElemType.FLOAT, 1L, 3L, 1L);
      OnnxOps.Value row = op.constant(new float[] {1f, -2f, 0.5f, 4f}, 4);
      op.output("add", op.add(a, b));
      op.output("sub", op.sub(b, a));
      op.output("mul", op.mul(a, row));
      op.output("div", op.div(a, b));
      OnnxOps.Value scaled = op.scale(a, 0.125f);
      assertArrayEquals(new long[] {-1, 3, 4}, op.shape(scaled));
      op.output("scale", scaled);
      model = OrtHarness.save(op, dir, "arith");
    }
    Tensor a = Tensor.normal(random, 2, 3, 4), b = Tensor.uniform(random, 0.5f, 2f, 1, 3, 1);
    Tensor row = Tensor.of(new float[] {1f, -2f, 0.5f, 4f}, 4);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("a", a, "b", b));
    // float32 arithmetic is exactly rounded, so these must match bit for bit
    assertClose(Naive.zip(a, b, (x, y) -> (float) x + (float) y), out.get("add"), 0, "add");
    assertClose(Naive.zip(b, a, (x, y) -> (float) x - (float) y), out.get("sub"), 0, "sub");
    assertClose(Naive.zip(a, row, (x, y) -> (float) x * (float) y), out.get("mul"), 0, "mul");
    assertClose(Naive.zip(a, b, (x, y) -> (float) x / (float) y), out.get("div"), 0, "div");
    assertClose(Naive.map(a, x -> (float) x * 0.125f), out.get("scale"), 0, "scale");
  }

  @Test
  void matmulBroadcastsBatchDimensions() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("matmul", new RandomWeights(1))) {
      OnnxOps.Value a = op.input("a", ElemType.FLOAT, "batch", 2L, 3L, 4L);
      OnnxOps.Value b = op.input("b", ElemType.FLOAT, "batch", 1L, 4L, 5L);
      OnnxOps.Value c = op.input("c", ElemType.FLOAT, 4L, 2L);
      OnnxOps.Value ab = op.matmul(a, b);
      assertArrayEquals(new long[] {-1, 2, 3, 5}, op.shape(ab));
      op.output("ab", ab);
      op.output("ac", op.matmul(a, c));
      model = OrtHarness.save(op, dir, "matmul");
    }
    Tensor a = Tensor.normal(random, 2, 2, 3, 4),
        b = Tensor.normal(random, 2, 1, 4, 5),
        c = Tensor.normal(random, 4, 2);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("a", a, "b", b, "c", c));
    assertClose(Naive.matmul(a, b), out.get("ab"), TOL, "batched matmul");
    assertClose(Naive.matmul(a, c), out.get("ac"), TOL, "matmul with a rank-2 operand");
  }

  @Test
  void softmaxOverLastAndInnerAxes() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("softmax", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 5L, 6L);
      op.output("last", op.softmax(x, -1));
      op.output("middle", op.softmax(x, 1));
      model = OrtHarness.save(op, dir, "softmax");
    }
    Tensor x = Naive.map(Tensor.normal(random, 3, 5, 6), v -> 4 * v);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
    assertClose(Naive.softmax(x, -1), out.get("last"), TOL, "softmax axis -1");
    assertClose(Naive.softmax(x, 1), out.get("middle"), TOL, "softmax axis 1");
  }

  @Test
  void activationsMatchTheirDefinitions() throws Exception {
    Map<String, Function<OnnxOps.Value, OnnxOps.Value>> graphs = new LinkedHashMap<>();
    Map<String, DoubleUnaryOperator> refs = new LinkedHashMap<>();
    Path model;
    try (OnnxOps op = new OnnxOps("activations", new RandomWeights(1))) {
      graphs.put("relu", op::relu);
      refs.put("relu", v -> Math.max(v, 0));
      graphs.put("sigmoid", op::sigmoid);
      refs.put("sigmoid", v -> 1 / (1 + Math.exp(-v)));
      graphs.put("silu", op::silu);
      refs.put("silu", v -> v / (1 + Math.exp(-v)));
      graphs.put("gelu", op::geluErf);
      refs.put("gelu", v -> 0.5 * v * (1 + Naive.erf(v / Math.sqrt(2))));
      graphs.put("quickgelu", op::quickGelu);
      refs.put("quickgelu", v -> v / (1 + Math.exp(-1.702 * v)));
      graphs.put("hardswish", op::hardSwish);
      refs.put("hardswish", v -> v * Math.min(Math.max(v + 3, 0), 6) / 6);
      graphs.put("exp", op::exp);
      refs.put("exp", Math::exp);
      graphs.put("cos", op::cos);
      refs.put("cos", Math::cos);
      graphs.put("sin", op::sin);
      refs.put("sin", Math::sin);
      graphs.put("clip", x -> op.clip(x, -1.5f, 2.25f));
      refs.put("clip", v -> Math.min(Math.max(v, -1.5), 2.25));
      graphs.put("sqrt", x -> op.sqrt(op.clip(x, 0f, 100f)));
      refs.put("sqrt", v -> Math.sqrt(Math.max(v, 0)));
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "n");
      graphs.forEach((name, f) -> op.output(name, f.apply(x)));
      model = OrtHarness.save(op, dir, "activations");
    }
    float[] xs = new float[401];
    for (int i = 0; i < xs.length; i++) xs[i] = -6f + 12f * i / 400; // includes -3, 0 and 3 exactly
    Tensor x = Tensor.of(xs, xs.length);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
    for (String name : graphs.keySet()) {
      assertClose(Naive.map(x, refs.get(name)), out.get(name), TOL, name);
    }
  }

  @Test
  void hardSigmoidIsBitExactWithTorchFormula() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("hardsigmoid", new RandomWeights(1))) {
      op.output("y", op.hardSigmoid(op.input("x", ElemType.FLOAT, "n")));
      model = OrtHarness.save(op, dir, "hardsigmoid");
    }
    Tensor x = Naive.map(Tensor.uniform(random, -4f, 4f, 10_000), v -> v);
    // torch: min(max(x + 3, 0), 6) / 6 in float32
    Tensor expected = Naive.map(x, v -> Math.min(Math.max((float) v + 3f, 0f), 6f) / 6f);
    assertClose(expected, OrtHarness.run(model, Map.of("x", x)).get("y"), 0, "hardSigmoid");
  }

  @Test
  void meanAndSumKeepDimensions() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("reduce", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, "height", 5L);
      OnnxOps.Value spatial = op.meanKeepDims(x, 2, 3);
      assertArrayEquals(new long[] {-1, 3, 1, 1}, op.shape(spatial));
      op.output("mean23", spatial);
      op.output("meanLast", op.meanKeepDims(x, -1));
      op.output("sum23", op.sumKeepDims(x, 2, 3));
      op.output("sum1", op.sumKeepDims(x, 1));
      model = OrtHarness.save(op, dir, "reduce");
    }
    Tensor x = Tensor.normal(random, 2, 3, 4, 5);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
    assertClose(Naive.reduce(x, new int[] {2, 3}, true), out.get("mean23"), TOL, "mean over H, W");
    assertClose(Naive.reduce(x, new int[] {-1}, true), out.get("meanLast"), TOL, "mean over last");
    assertClose(Naive.reduce(x, new int[] {2, 3}, false), out.get("sum23"), TOL, "sum over H, W");
    assertClose(Naive.reduce(x, new int[] {1}, false), out.get("sum1"), TOL, "sum over C");
  }

  /**
   * Multi-head self-attention with dynamic batch and token count, as the transformer blocks use it.
   */
  @Test
  void attentionChainWithDynamicTokens() throws Exception {
    int heads = 4, dh = 8, c = heads * dh;
    RandomWeights weights = new RandomWeights(31);
    Path model;
    try (OnnxOps op = new OnnxOps("attention", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", "tokens", (long) c);
      Function<String, OnnxOps.Value> headsOf =
          key ->
              op.permute(
                  op.reshape(op.linear(x, op.weight(key + ".weight", c, c), null), 0, 0, heads, dh),
                  0,
                  2,
                  1,
                  3);
      OnnxOps.Value q = headsOf.apply("attn.to_q"),
          k = headsOf.apply("attn.to_k"),
          v = headsOf.apply("attn.to_v");
      assertArrayEquals(new long[] {-1, heads, -1, dh}, op.shape(q));
      OnnxOps.Value scores =
          op.scale(op.matmul(q, op.permute(k, 0, 1, 3, 2)), (float) Math.pow(dh, -0.5));
      OnnxOps.Value attended = op.matmul(op.softmax(scores, -1), v);
      OnnxOps.Value merged = op.reshape(op.permute(attended, 0, 2, 1, 3), 0, 0, c);
      assertArrayEquals(new long[] {-1, -1, c}, op.shape(merged));
      op.output("y", merged);
      model = OrtHarness.save(op, dir, "attention");
    }
    for (int t : new int[] {5, 9}) {
      Tensor x = Tensor.normal(random, 2, t, c);
      Tensor expected = naiveAttention(x, weights, heads, dh);
      Tensor actual = OrtHarness.run(model, Map.of("x", x)).get("y");
      assertClose(expected, actual, TOL, "attention T=" + t);
      assertEquals(2 * t * c, actual.size());
    }
  }

  /** softmax(q·kᵀ/√dh)·v per head, straight from the definition. */
  private static Tensor naiveAttention(Tensor x, RandomWeights w, int heads, int dh) {
    Tensor q = Naive.linear(x, w.get("attn.to_q.weight"), null);
    Tensor k = Naive.linear(x, w.get("attn.to_k.weight"), null);
    Tensor v = Naive.linear(x, w.get("attn.to_v.weight"), null);
    int b = x.dim(0), t = x.dim(1), c = heads * dh;
    float[] out = new float[b * t * c];
    for (int n = 0; n < b; n++)
      for (int h = 0; h < heads; h++)
        for (int i = 0; i < t; i++) {
          double[] s = new double[t];
          double max = Double.NEGATIVE_INFINITY, sum = 0;
          for (int j = 0; j < t; j++) {
            for (int d = 0; d < dh; d++) {
              s[j] +=
                  (double) q.data()[(n * t + i) * c + h * dh + d]
                      * k.data()[(n * t + j) * c + h * dh + d];
            }
            s[j] /= Math.sqrt(dh);
            max = Math.max(max, s[j]);
          }
          for (int j = 0; j < t; j++) sum += s[j] = Math.exp(s[j] - max);
          for (int d = 0; d < dh; d++) {
            double acc = 0;
            for (int j = 0; j < t; j++) acc += s[j] / sum * v.data()[(n * t + j) * c + h * dh + d];
            out[(n * t + i) * c + h * dh + d] = (float) acc;
          }
        }
    return Tensor.of(out, b, t, c);
  }
}
