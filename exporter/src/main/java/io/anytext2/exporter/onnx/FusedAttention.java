package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;
import static io.anytext2.exporter.onnx.StaticShapes.compatible;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link io.anytext2.nn.ops.TensorOps#attention} as one ONNX Runtime contrib node, {@code
 * com.microsoft.MultiHeadAttention} (operator set com.microsoft 1; ONNX Runtime's
 * docs/ContribOperators.md): inputs query [B, S, D], key [B, L, D], value [B, L, D], attribute
 * {@code num_heads}, heads split head-major from D like the networks split them; output [B, S, D].
 * The attribute {@code scale} is written only when it differs from the operator's default
 * 1/sqrt(head_size), which ONNX Runtime computes in float ({@code 1.f / sqrt(float(head_size))}).
 *
 * <p>ONNX Runtime's CUDA kernels (flash attention for float16 head sizes up to 256, the cutlass
 * memory-efficient kernel otherwise) never materialise the [B, heads, S, L] scores and keep the
 * softmax statistics and the products' accumulators in float32. A float16 graph therefore feeds the
 * node float16 q/k/v without Casts: that is at least as precise as the unfused float16 graph with
 * {@link Precision#fp32Softmax} (float16 scores, float32 softmax, float16 probabilities). ONNX
 * Runtime 1.28's CPU provider runs the node in float32 and float16 (FusedAttentionTest).
 */
final class FusedAttention {
  private FusedAttention() {}

  static final String OP_TYPE = "MultiHeadAttention";

  /** The scale ONNX Runtime uses when the attribute is absent, bit for bit. */
  static float defaultScale(long headSize) {
    return 1f / (float) Math.sqrt(headSize);
  }

  /** q, k, v already in the compute type {@code type}. */
  static Value emit(GraphBuilder g, ElemType type, Value q, Value k, Value v, int heads, float scale) {
    long[] qs = q.shape(), ks = k.shape(), vs = v.shape();
    if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
      throw new IllegalArgumentException(
          "attention: expected rank-3 q, k, v, found " + q + ", " + k + ", " + v);
    }
    long width = qs[2];
    if (heads < 1 || width < 1 || width % heads != 0 || ks[2] != width || vs[2] != width) {
      throw new IllegalArgumentException(
          "attention: expected static q, k, v widths equal and divisible by "
              + heads
              + " heads, found "
              + Arrays.toString(new long[] {qs[2], ks[2], vs[2]}));
    }
    if (!compatible(qs[0], ks[0]) || !compatible(ks[0], vs[0]) || !compatible(ks[1], vs[1])) {
      throw new IllegalArgumentException(
          "attention: expected q [B, S, D], k and v [B, L, D], found " + q + ", " + k + ", " + v);
    }
    return node(g, type, List.of(q.name(), k.name(), v.name()), heads, width / heads, scale, new long[] {qs[0], qs[1], width});
  }

  /**
   * The node on {@code inputs} (q, k, v; or the packed forms of {@link PackedAttention}), output {@code out}
   * [B, S, heads·headSize] in {@code type}.
   */
  static Value node(GraphBuilder g, ElemType type, List<String> inputs, int heads, long headSize, float scale, long[] out) {
    if (!(scale > 0) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException("attention: expected a positive finite scale, found " + scale);
    }
    List<AttributeProto> attrs = new ArrayList<>(List.of(attr("num_heads", (long) heads)));
    if (Float.floatToIntBits(scale) != Float.floatToIntBits(defaultScale(headSize))) {
      attrs.add(attr("scale", scale));
    }
    String y = g.node(Opset.MICROSOFT_DOMAIN, OP_TYPE, "", inputs, attrs.toArray(AttributeProto[]::new));
    return new Value(y, type, out);
  }
}
