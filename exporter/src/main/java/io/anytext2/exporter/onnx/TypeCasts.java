package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type bookkeeping of {@link OnnxOps} for mixed precision (see {@link Precision}): Cast nodes,
 * each made once per value and type, and "weak" float32 constants, whose values are kept so that
 * they can be materialised directly in whatever type they are combined with.
 */
final class TypeCasts {
  private final GraphBuilder g;
  private final ElemType compute;
  private final Map<String, float[]> weakConstants = new HashMap<>();
  private final Map<String, String> made = new HashMap<>();

  TypeCasts(GraphBuilder g, ElemType compute) {
    this.g = g;
    this.compute = compute;
  }

  /** The casts made so far, to {@link #restore} when leaving a subgraph (its Casts are invisible outside). */
  Map<String, String> saveCache() {
    return new HashMap<>(made);
  }

  void restore(Map<String, String> saved) {
    made.clear();
    made.putAll(saved);
  }

  /** A float32 constant that adopts the type of the values it is combined with. */
  Value constant(float[] values, long[] shape) {
    Value v = new Value(g.floatConstant(values, shape), ElemType.FLOAT, shape);
    weakConstants.put(v.name(), values.clone());
    return v;
  }

  /** {@code v} as {@code type}: itself, a constant re-made in that type, or a (shared) Cast. */
  Value as(Value v, ElemType type) {
    if (v == null || v.type() == type) return v;
    if (!v.type().isFloating() || !type.isFloating()) {
      throw new IllegalArgumentException("cast: expected floating-point types, found " + v + " to " + type);
    }
    String key = type + ":" + v.name();
    String name = made.get(key);
    if (name == null) {
      float[] values = weakConstants.get(v.name());
      name = values != null
          ? g.floatConstant(values, v.shape(), type)
          : g.node("Cast", "", List.of(v.name()), attr("to", (long) type.onnxCode()));
      made.put(key, name);
    }
    return new Value(name, type, v.shape());
  }

  /**
   * The type an element-wise operation over {@code xs} runs in: the common type of its
   * non-constant operands, the compute type when they differ, float32 when all are constants.
   */
  ElemType meet(List<Value> xs) {
    ElemType t = null;
    for (Value x : xs) {
      if (weakConstants.containsKey(x.name())) continue;
      if (!x.type().isFloating()) return x.type();
      if (t == null) t = x.type();
      else if (t != x.type()) return compute;
    }
    return t == null ? ElemType.FLOAT : t;
  }
}
