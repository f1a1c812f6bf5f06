package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;
import static io.anytext2.exporter.onnx.GraphBuilder.scopeOf;
import static io.anytext2.exporter.onnx.StaticShapes.bad;
import static io.anytext2.exporter.onnx.ValueChecks.checkPerChannel;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The normalisation layers of {@link OnnxOps}: GroupNorm, LayerNorm and BatchNorm. They run in
 * {@link Precision#norms()}, which may be float32 inside a float16 graph, so every input (the
 * activations and the affine parameters alike) is cast to that type first; the result stays in it
 * and the next operation casts it back as it needs.
 */
final class NormalizationOps {
  private final GraphBuilder g;
  private final TypeCasts casts;
  private final ElemType normType;
  /**
   * Nodes made once per value and then reused: "S:" + name → Shape(value), "C" + rank + ":" +
   * name → an affine parameter reshaped to broadcast over channels.
   */
  private final Map<String, String> shared = new HashMap<>();

  NormalizationOps(GraphBuilder g, TypeCasts casts, ElemType normType) {
    this.g = g;
    this.casts = casts;
    this.normType = normType;
  }

  /**
   * The nodes shared so far, to {@link #restore} when leaving a subgraph (its nodes are invisible
   * outside it).
   */
  Map<String, String> saveCache() {
    return new HashMap<>(shared);
  }

  void restore(Map<String, String> saved) {
    shared.clear();
    shared.putAll(saved);
  }

  /**
   * GroupNorm as torch exports it: Reshape to [N, G, -1], InstanceNormalization with unit scale and
   * zero bias, Reshape back to Shape(x), then the per-channel affine. Works for dynamic H/W.
   */
  Value groupNorm(Value x, int groups, float eps, Value gamma, Value beta) {
    x = casts.as(x, normType);
    long[] xs = x.shape();
    if (xs.length < 3 || xs[1] < 0 || groups < 1 || xs[1] % groups != 0) {
      throw bad(
          "groupNorm: expected [N, C, ...] with static C divisible by %d, found %s",
          groups, Arrays.toString(xs));
    }
    checkPerChannel("groupNorm", xs[1], gamma, beta);
    String scope = scopeOf(gamma.name());
    String grouped = g.node("Reshape", scope, List.of(x.name(), g.int64Vector(0, groups, -1)));
    float[] ones = new float[groups];
    Arrays.fill(ones, 1f);
    String normed =
        g.node(
            "InstanceNormalization",
            scope,
            List.of(
                grouped,
                g.floatConstant(ones, new long[] {groups}, normType),
                g.floatConstant(new float[groups], new long[] {groups}, normType)),
            attr("epsilon", eps));
    String back = g.node("Reshape", scope, List.of(normed, shapeOf(x, scope)));
    String scale = perChannel(casts.as(gamma, normType), xs.length, scope);
    String scaled = g.node("Mul", scope, List.of(back, scale));
    String shift = perChannel(casts.as(beta, normType), xs.length, scope);
    return new Value(g.node("Add", scope, List.of(scaled, shift)), normType, xs);
  }

  /**
   * GroupNorm (and, with {@code silu}, the SiLU after it) as one ONNX Runtime {@code com.microsoft.GroupNorm}
   * node, which takes channels-last input: Transpose to NHWC, GroupNorm, Transpose back. With the CUDA
   * provider's {@code prefer_nhwc} the neighbouring convolutions run channels-last too and ONNX Runtime's
   * transpose optimiser cancels the Transpose pairs between them. gamma/beta go in as float32 (the
   * kernel's statistics are float32 in any case). CUDA only: the node has no CPU kernel.
   */
  Value groupNormNhwc(Value x, int groups, float eps, Value gamma, Value beta, boolean silu) {
    x = casts.as(x, normType);
    long[] xs = x.shape();
    if (xs.length != 4 || xs[1] < 0 || groups < 1 || xs[1] % groups != 0) {
      throw bad("groupNorm (fused): expected [N, C, H, W] with static C divisible by %d, found %s", groups, Arrays.toString(xs));
    }
    checkPerChannel("groupNorm", xs[1], gamma, beta);
    String scope = scopeOf(gamma.name());
    String nhwc = g.node("Transpose", scope, List.of(x.name()), GraphBuilder.attrInts("perm", 0, 2, 3, 1));
    String y = g.node(Opset.MICROSOFT_DOMAIN, "GroupNorm", scope,
        List.of(nhwc, casts.as(gamma, ElemType.FLOAT).name(), casts.as(beta, ElemType.FLOAT).name()),
        attr("epsilon", eps), attr("groups", (long) groups), attr("activation", silu ? 1L : 0L), attr("channels_last", 1L));
    return new Value(g.node("Transpose", scope, List.of(y), GraphBuilder.attrInts("perm", 0, 3, 1, 2)), normType, xs);
  }

  Value layerNorm(Value x, float eps, Value gamma, Value beta) {
    checkPerChannel("layerNorm", x.shape()[x.rank() - 1], gamma, beta);
    x = casts.as(x, normType);
    String y =
        g.node(
            "LayerNormalization",
            scopeOf(gamma.name()),
            List.of(x.name(), casts.as(gamma, normType).name(), casts.as(beta, normType).name()),
            attr("axis", -1L),
            attr("epsilon", eps));
    return new Value(y, normType, x.shape());
  }

  Value batchNorm(
      Value x, float eps, Value gamma, Value beta, Value runningMean, Value runningVar) {
    if (x.rank() < 2)
      throw new IllegalArgumentException(
          "batchNorm: expected [N, C, ...], found " + Arrays.toString(x.shape()));
    checkPerChannel("batchNorm", x.shape()[1], gamma, beta);
    checkPerChannel("batchNorm statistics", x.shape()[1], runningMean, runningVar);
    List<String> in = new ArrayList<>();
    for (Value v : List.of(x, gamma, beta, runningMean, runningVar)) {
      in.add(casts.as(v, normType).name());
    }
    String y = g.node("BatchNormalization", scopeOf(gamma.name()), in, attr("epsilon", eps));
    return new Value(y, normType, x.shape());
  }

  /** Shape(x), or a constant when x is fully static. */
  private String shapeOf(Value x, String scope) {
    long[] xs = x.shape();
    if (Arrays.stream(xs).allMatch(d -> d >= 0)) return g.int64Vector(xs);
    return shared.computeIfAbsent("S:" + x.name(), k -> g.node("Shape", scope, List.of(x.name())));
  }

  /**
   * v [C] reshaped to [C, 1, ..., 1] so that it broadcasts over axis 1 of a rank-{@code rank}
   * tensor.
   */
  private String perChannel(Value v, int rank, String scope) {
    long[] dims = new long[rank - 1];
    Arrays.fill(dims, 1);
    dims[0] = -1;
    return shared.computeIfAbsent(
        "C" + rank + ":" + v.name(),
        k -> g.node("Reshape", scope, List.of(v.name(), g.int64Vector(dims))));
  }
}
