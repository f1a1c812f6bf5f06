package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;
import static io.anytext2.exporter.onnx.GraphBuilder.attrInts;
import static io.anytext2.exporter.onnx.GraphBuilder.scopeOf;
import static io.anytext2.exporter.onnx.StaticShapes.DYNAMIC;
import static io.anytext2.exporter.onnx.StaticShapes.bad;
import static io.anytext2.exporter.onnx.StaticShapes.compatible;
import static io.anytext2.exporter.onnx.StaticShapes.mismatch;
import static io.anytext2.exporter.onnx.ValueChecks.checkBias;
import static io.anytext2.exporter.onnx.ValueChecks.reducedShape;
import static io.anytext2.exporter.onnx.ValueChecks.requireFloat;
import static io.anytext2.exporter.onnx.ValueChecks.toLongs;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.anytext2.nn.ops.TensorOps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX backend of {@link TensorOps}: every call appends nodes to one graph (ai.onnx opset
 * {@value Opset#VERSION}) whose numbers match PyTorch float32 when run in ONNX Runtime. Weights
 * become initializers named by their checkpoint key, written out as they are loaded (see {@link
 * WeightStorage}). A {@link Precision} of FLOAT16 builds the same network in half precision, with
 * float32 graph inputs and outputs.
 *
 * <p>This class writes the parameterised layers and the arithmetic; package-private helpers write
 * the rest: {@link LayoutOps} (reshapes, transposes, selection, resampling), {@link
 * NormalizationOps}, {@link TypeCasts} (the Casts of mixed precision) and the opt-in ONNX Runtime contrib
 * nodes of {@link Fusions}: {@link FusedAttention}, {@link FusedGeglu}, {@link PackedAttention}.
 *
 * <pre>{@code
 * try (OnnxOps op = new OnnxOps("vae_decoder", weights)) {
 *   OnnxOps.Value z = op.input("z", ElemType.FLOAT, "batch", 4L, "height", "width");
 *   op.output("image", decoder.forward(op, z));
 *   op.save(dir.resolve("vae_decoder.onnx"));
 * }
 * }</pre>
 */
public final class OnnxOps implements TensorOps<OnnxOps.Value>, AutoCloseable {

  /** A graph value: its name, element type and shape as known at build time (-1 = dynamic). */
  public record Value(String name, ElemType type, long[] shape) {
    public Value {
      if (name == null || type == null || shape == null) {
        throw new IllegalArgumentException("expected name, type and shape, found a null");
      }
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    public int rank() {
      return shape.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Value v && name.equals(v.name) && type == v.type && Arrays.equals(shape, v.shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + ":" + type + Arrays.toString(shape);
    }
  }

  private final GraphBuilder g;
  private final WeightSource source;
  private final Map<String, Value> weights = new HashMap<>();
  /** Weight name → the weight's Transpose, made once however many times the weight is applied. */
  private final Map<String, String> transposedWeights = new HashMap<>();
  private final LayoutOps layout;
  private final NormalizationOps norms;
  private final Precision precision;
  private final ElemType ct;
  private final TypeCasts casts;
  private final Fusions fusions;
  private final PackedAttention packed;

  /** A float32 graph whose weights are placed by {@link WeightStorage#auto()}. */
  public OnnxOps(String graphName, WeightSource source) {
    this(graphName, source, WeightStorage.auto());
  }

  /** A float32 graph. */
  public OnnxOps(String graphName, WeightSource source, WeightStorage storage) {
    this(graphName, source, storage, Precision.FP32);
  }

  public OnnxOps(String graphName, WeightSource source, WeightStorage storage, Precision precision) {
    this(graphName, source, storage, precision, Fusions.NONE);
  }

  /** @param fusedAttention {@link #attention} as one {@code com.microsoft.MultiHeadAttention} ({@link Fusions#attention}) */
  public OnnxOps(
      String graphName, WeightSource source, WeightStorage storage, Precision precision, boolean fusedAttention) {
    this(graphName, source, storage, precision, Fusions.of(fusedAttention, false));
  }

  /** @param fusedGroupNorm GroupNorm (+ SiLU) as {@code com.microsoft.GroupNorm} ({@link Fusions#groupNorm}) */
  public OnnxOps(String graphName, WeightSource source, WeightStorage storage, Precision precision, boolean fusedAttention,
      boolean fusedGroupNorm) {
    this(graphName, source, storage, precision, Fusions.of(fusedAttention, fusedGroupNorm));
  }

  /** @param fusions the operations written as ONNX Runtime contrib nodes ({@link Fusions#NONE}: standard ONNX only) */
  public OnnxOps(String graphName, WeightSource source, WeightStorage storage, Precision precision, Fusions fusions) {
    if (source == null || storage == null || precision == null || fusions == null)
      throw new IllegalArgumentException("expected a weight source, storage, precision and fusions, found null");
    this.fusions = fusions;
    this.g = new GraphBuilder(graphName, storage);
    this.source = source;
    this.layout = new LayoutOps(g);
    this.precision = precision;
    this.ct = precision.compute();
    this.casts = new TypeCasts(g, ct);
    this.norms = new NormalizationOps(g, casts, precision.norms());
    this.packed = new PackedAttention(g);
  }

  // ---------------------------------------------------------------- graph API

  /**
   * A graph input; each dim is a Long/Integer (static size) or a String (symbolic, e.g. "batch").
   */
  public Value input(String name, ElemType type, Object... dims) {
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      Object d = dims[i];
      if (d instanceof String s && !s.isEmpty()) shape[i] = DYNAMIC;
      else if ((d instanceof Long || d instanceof Integer) && ((Number) d).longValue() > 0)
        shape[i] = ((Number) d).longValue();
      else
        throw new IllegalArgumentException(
            "input " + name + ": expected a positive Long or a symbolic String dim, found " + d);
    }
    g.claim(name);
    g.input(name, type, dims);
    return new Value(name, type, shape);
  }

  /** Declares {@code v} a graph output named {@code name}; float outputs are float32. */
  public void output(String name, Value v) {
    g.claim(name);
    Value out = v.type.isFloating() ? casts.as(v, ElemType.FLOAT) : v;
    g.identity(out.name(), name);
    g.output(name, out.type(), out.shape);
  }

  /** Writes the model (and {@code <file name>.data} when weights are external); ends building. */
  public void save(Path onnxFile) throws IOException {
    g.save(onnxFile);
  }

  /** Number of initializers so far (weights, once per key, plus constants). */
  public int initializerCount() {
    return g.initializerCount();
  }

  /** Removes the scratch external data if the model was not saved. */
  @Override
  public void close() throws IOException {
    g.close();
  }

  // ---------------------------------------------------------------- for OnnxLoops (subgraphs)

  GraphBuilder graph() {
    return g;
  }

  TypeCasts casts() {
    return casts;
  }

  /** A restorer that forgets the values cached after this call (values made in a subgraph stay in it). */
  Runnable cacheScope() {
    Map<String, String> t = new HashMap<>(transposedWeights), c = casts.saveCache();
    Map<String, String> l = layout.saveCache(), n = norms.saveCache(), p = packed.saveCache();
    return () -> {
      transposedWeights.clear();
      transposedWeights.putAll(t);
      casts.restore(c);
      layout.restore(l);
      norms.restore(n);
      packed.restore(p);
    };
  }

  // ---------------------------------------------------------------- parameters and constants

  @Override
  public Value weight(String key, long... shape) {
    Value known = weights.get(key);
    if (known != null) {
      if (!Arrays.equals(known.shape, shape))
        throw mismatch(
            "weight " + key + ": expected the shape of its first use", known.shape, shape);
      return known;
    }
    for (long d : shape) {
      if (d <= 0)
        throw new IllegalArgumentException(
            "weight " + key + ": expected positive dims, found " + Arrays.toString(shape));
    }
    g.claim(key);
    float[] values = source.load(key, shape.clone());
    long n = StaticShapes.numel(shape);
    if (values == null || values.length != n) {
      throw bad(
          "weight %s: expected %d values for %s, found %s",
          key, n, Arrays.toString(shape), values == null ? "null" : values.length);
    }
    g.weight(key, ct, shape, values);
    Value v = new Value(key, ct, shape);
    weights.put(key, v);
    return v;
  }

  @Override
  public Value constant(float[] values, long... shape) {
    if (StaticShapes.numel(shape) != values.length) {
      throw bad(
          "constant: expected %d values for %s, found %d",
          StaticShapes.numel(shape), Arrays.toString(shape), values.length);
    }
    return casts.constant(values, shape);
  }

  @Override
  public long[] shape(Value x) {
    return x.shape();
  }

  // ---------------------------------------------------------------- layers

  @Override
  public Value conv2d(Value x, Value w, Value b, int strideH, int strideW, int[] pads, int groups) {
    x = casts.as(x, ct);
    w = casts.as(w, ct);
    b = casts.as(b, ct);
    long[] xs = x.shape, ws = w.shape;
    if (xs.length != 4 || ws.length != 4)
      throw mismatch("conv2d: expected rank-4 input and weight", xs, ws);
    if (groups < 1 || ws[0] % groups != 0 || !compatible(xs[1], ws[1] * groups)) {
      throw mismatch(
          "conv2d: expected input channels = weight[1] * groups (" + groups + ")", xs, ws);
    }
    if (pads.length != 4 || strideH < 1 || strideW < 1) {
      throw bad(
          "conv2d: expected 4 pads and positive strides, found %s %dx%d",
          Arrays.toString(pads), strideH, strideW);
    }
    checkBias("conv2d", b, ws[0]);
    List<String> in = b == null ? List.of(x.name, w.name) : List.of(x.name, w.name, b.name);
    String y = g.node("Conv", scopeOf(w.name), in, attrInts("kernel_shape", ws[2], ws[3]), attrInts("strides", strideH, strideW),
        attrInts("pads", pads[0], pads[1], pads[2], pads[3]), // ONNX order: top, left, bottom, right
        attrInts("dilations", 1, 1), attr("group", groups));
    long h = StaticShapes.window(xs[2], pads[0] + pads[2], ws[2], strideH);
    long wd = StaticShapes.window(xs[3], pads[1] + pads[3], ws[3], strideW);
    return new Value(y, ct, new long[] {xs[0], ws[0], h, wd});
  }

  @Override
  public Value linear(Value x, Value w, Value b) {
    x = casts.as(x, ct);
    b = casts.as(b, ct);
    Value wc = casts.as(w, ct);
    w = wc; // the lambda below needs an effectively final copy
    long[] xs = x.shape, ws = w.shape;
    if (xs.length < 1 || ws.length != 2 || !compatible(xs[xs.length - 1], ws[1])) {
      throw mismatch("linear: expected x[..., in] and weight [out, in]", xs, ws);
    }
    checkBias("linear", b, ws[0]);
    long[] out = xs.clone();
    out[out.length - 1] = ws[0];
    String scope = scopeOf(w.name);
    if (xs.length == 2) {
      List<String> in = b == null ? List.of(x.name, w.name) : List.of(x.name, w.name, b.name);
      return new Value(g.node("Gemm", scope, in, attr("transB", 1L)), ct, out);
    }
    // MatMul against wᵀ: the Transpose of an initializer is folded by ORT at load time, and the
    // initializer itself stays the checkpoint tensor.
    String wt =
        transposedWeights.computeIfAbsent(
            w.name,
            k -> g.node("Transpose", scope, List.of(wc.name), attrInts("perm", 1, 0)));
    String y = g.node("MatMul", scope, List.of(x.name, wt));
    if (b != null) y = g.node("Add", scope, List.of(y, b.name));
    return new Value(y, ct, out);
  }

  @Override
  public Value groupNorm(Value x, int groups, float eps, Value gamma, Value beta) {
    if (fusions.groupNorm() && x.rank() == 4) return norms.groupNormNhwc(x, groups, eps, gamma, beta, false);
    return norms.groupNorm(x, groups, eps, gamma, beta);
  }

  /** GroupNorm → SiLU, or with fused GroupNorm one {@code com.microsoft.GroupNorm} with its Swish activation. */
  @Override
  public Value groupNormSilu(Value x, int groups, float eps, Value gamma, Value beta) {
    if (fusions.groupNorm() && x.rank() == 4) return norms.groupNormNhwc(x, groups, eps, gamma, beta, true);
    return TensorOps.super.groupNormSilu(x, groups, eps, gamma, beta);
  }

  @Override
  public Value layerNorm(Value x, float eps, Value gamma, Value beta) {
    return norms.layerNorm(x, eps, gamma, beta);
  }

  /** The networks' composition, or with fused attention on one MultiHeadAttention node in the compute type. */
  @Override
  public Value attention(Value q, Value k, Value v, int heads, float scale) {
    if (!fusions.attention()) return TensorOps.super.attention(q, k, v, heads, scale);
    requireFloat("attention", q, k, v);
    return FusedAttention.emit(g, ct, casts.as(q, ct), casts.as(k, ct), casts.as(v, ct), heads, scale);
  }

  /** The networks' composition, or with packed attention one MatMul for q, k, v and a packed MultiHeadAttention. */
  @Override
  public Value selfAttention(Value x, Value wq, Value wk, Value wv, int heads, float scale) {
    if (!fusions.packedAttention() || x.rank() != 3) return TensorOps.super.selfAttention(x, wq, wk, wv, heads, scale);
    requireFloat("attention", x);
    return packed.self(casts.as(x, ct), casts.as(wq, ct), casts.as(wk, ct), casts.as(wv, ct), heads, scale);
  }

  /** The networks' composition, or with packed attention one MatMul for k and v and a packed MultiHeadAttention. */
  @Override
  public Value crossAttention(Value x, Value context, Value wq, Value wk, Value wv, int heads, float scale) {
    if (!fusions.packedAttention() || x.rank() != 3 || context.rank() != 3) {
      return TensorOps.super.crossAttention(x, context, wq, wk, wv, heads, scale);
    }
    requireFloat("attention", x, context);
    return packed.cross(linear(x, wq, null), casts.as(context, ct), casts.as(wk, ct), casts.as(wv, ct), heads, scale);
  }

  /**
   * The networks' composition, or with fused GEGLU, where the CUDA kernel takes the width, the Linear without its
   * bias Add and one {@code com.microsoft.BiasSplitGelu} that adds it ({@link FusedGeglu}).
   */
  @Override
  public Value geglu(Value x, Value w, Value b) {
    if (!fusions.geglu() || b == null || w.rank() != 2 || !FusedGeglu.supports(x.rank(), w.shape()[0])) {
      return TensorOps.super.geglu(x, w, b);
    }
    return FusedGeglu.emit(g, scopeOf(w.name()), linear(x, w, null), casts.as(b, ct));
  }

  @Override
  public Value batchNorm(
      Value x, float eps, Value gamma, Value beta, Value runningMean, Value runningVar) {
    return norms.batchNorm(x, eps, gamma, beta, runningMean, runningVar);
  }

  @Override
  public Value embedding(Value table, Value ids) {
    return layout.embedding(table, ids);
  }

  // ---------------------------------------------------------------- arithmetic

  @Override
  public Value add(Value a, Value b) {
    return binary("Add", a, b);
  }

  @Override
  public Value sub(Value a, Value b) {
    return binary("Sub", a, b);
  }

  @Override
  public Value mul(Value a, Value b) {
    return binary("Mul", a, b);
  }

  @Override
  public Value div(Value a, Value b) {
    return binary("Div", a, b);
  }

  @Override
  public Value matmul(Value a, Value b) {
    requireFloat("matmul", a, b);
    a = casts.as(a, ct);
    b = casts.as(b, ct);
    return new Value(
        g.node("MatMul", "", List.of(a.name, b.name)),
        ct,
        StaticShapes.matmul(a.shape, b.shape));
  }

  @Override
  public Value scale(Value x, float s) {
    requireFloat("scale", x);
    return new Value(
        g.node("Mul", "", List.of(x.name, floatScalar(s, x.type))), x.type, x.shape);
  }

  @Override
  public Value softmax(Value x, int axis) {
    StaticShapes.axis(axis, x.rank(), "softmax");
    requireFloat("softmax", x);
    return unary("Softmax", casts.as(x, precision.softmax()), attr("axis", (long) axis));
  }

  @Override
  public Value exp(Value x) {
    return unary("Exp", float32(x));
  }

  @Override
  public Value sqrt(Value x) {
    return unary("Sqrt", float32(x));
  }

  @Override
  public Value cos(Value x) {
    return unary("Cos", float32(x));
  }

  @Override
  public Value sin(Value x) {
    return unary("Sin", float32(x));
  }

  @Override
  public Value clip(Value x, float min, float max) {
    if (!(min <= max))
      throw new IllegalArgumentException("clip: expected min <= max, found " + min + " > " + max);
    requireFloat("clip", x);
    return new Value(
        g.node("Clip", "", List.of(x.name, floatScalar(min, x.type), floatScalar(max, x.type))),
        x.type,
        x.shape);
  }

  /** ReduceMean, opset 17 form: axes as an attribute. */
  @Override
  public Value meanKeepDims(Value x, int... axes) {
    x = float32(x);
    long[] out = reducedShape("meanKeepDims", x, axes);
    String y = g.node("ReduceMean", "", List.of(x.name), attrInts("axes", toLongs(axes)), attr("keepdims", 1L));
    return new Value(y, x.type, out);
  }

  /** ReduceSum, opset 13+ form: axes as an input. */
  @Override
  public Value sumKeepDims(Value x, int... axes) {
    x = float32(x);
    long[] out = reducedShape("sumKeepDims", x, axes);
    String y =
        g.node(
            "ReduceSum", "", List.of(x.name, g.int64Vector(toLongs(axes))), attr("keepdims", 1L));
    return new Value(y, x.type, out);
  }

  // ---------------------------------------------------------------- activations

  @Override
  public Value relu(Value x) {
    return unary("Relu", x);
  }

  @Override
  public Value sigmoid(Value x) {
    return unary("Sigmoid", x);
  }

  /**
   * (x · 0.5) · (1 + erf(x · √½)), the order of PyTorch's CPU kernel; ORT fuses the chain into its
   * Gelu kernel.
   */
  @Override
  public Value geluErf(Value x) {
    requireFloat("geluErf", x);
    ElemType t = x.type;
    String erf =
        g.node(
            "Erf",
            "",
            List.of(g.node("Mul", "", List.of(x.name, floatScalar((float) Math.sqrt(0.5), t)))));
    String onePlus = g.node("Add", "", List.of(erf, floatScalar(1f, t)));
    String half = g.node("Mul", "", List.of(x.name, floatScalar(0.5f, t)));
    return new Value(g.node("Mul", "", List.of(half, onePlus)), t, x.shape);
  }

  /** min(max(x + 3, 0), 6) / 6 exactly as PyTorch computes it (not ONNX HardSigmoid's x/6 + ½). */
  @Override
  public Value hardSigmoid(Value x) {
    requireFloat("hardSigmoid", x);
    ElemType t = x.type;
    String shifted = g.node("Add", "", List.of(x.name, floatScalar(3f, t)));
    String clipped =
        g.node("Clip", "", List.of(shifted, floatScalar(0f, t), floatScalar(6f, t)));
    return new Value(g.node("Div", "", List.of(clipped, floatScalar(6f, t))), t, x.shape);
  }

  // ---------------------------------------------------------------- shape (see LayoutOps)

  @Override
  public Value reshape(Value x, long... shape) {
    return layout.reshape(x, shape);
  }

  @Override
  public Value imageToTokens(Value x) {
    return layout.imageToTokens(x);
  }

  @Override
  public Value tokensToImage(Value tokens, Value like) {
    return layout.tokensToImage(tokens, like);
  }

  @Override
  public Value permute(Value x, int... axes) {
    return layout.permute(x, axes);
  }

  @Override
  public Value concat(int axis, List<Value> xs) {
    ElemType t = casts.meet(xs);
    return layout.concat(axis, xs.stream().map(x -> t.isFloating() ? casts.as(x, t) : x).toList());
  }

  @Override
  public Value slice(Value x, int axis, long from, long to) {
    return layout.slice(x, axis, from, to);
  }

  @Override
  public Value upsampleNearest2x(Value x) {
    return layout.upsampleNearest2x(x);
  }

  @Override
  public Value avgPool2d(Value x, int kernel) {
    return layout.avgPool2d(x, kernel);
  }

  @Override
  public Value expand(Value x, long... shape) {
    return layout.expand(x, shape);
  }

  @Override
  public Value where(Value mask, Value a, Value b) {
    ElemType t = casts.meet(List.of(a, b));
    return layout.where(mask, casts.as(a, t), casts.as(b, t));
  }

  // ---------------------------------------------------------------- helpers

  private Value unary(String opType, Value x, AttributeProto... attrs) {
    requireFloat(opType, x);
    return new Value(g.node(opType, "", List.of(x.name), attrs), x.type, x.shape);
  }

  private Value binary(String opType, Value a, Value b) {
    if (a.type.isFloating() && b.type.isFloating()) {
      ElemType t = casts.meet(List.of(a, b));
      a = casts.as(a, t);
      b = casts.as(b, t);
    }
    if (a.type != b.type)
      throw new IllegalArgumentException(
          opType + ": expected equal element types, found " + a.type + " and " + b.type);
    long[] out = StaticShapes.broadcast(a.shape, b.shape, opType);
    return new Value(g.node(opType, "", List.of(a.name, b.name)), a.type, out);
  }

  private String floatScalar(float s, ElemType type) {
    return g.floatConstant(new float[] {s}, new long[0], type);
  }

  /** {@code x} in float32 (ops that always run in float32, see {@link Precision}). */
  private Value float32(Value x) {
    requireFloat("float32", x);
    return casts.as(x, ElemType.FLOAT);
  }
}
