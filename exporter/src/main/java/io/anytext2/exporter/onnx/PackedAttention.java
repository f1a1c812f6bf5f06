package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;
import static io.anytext2.exporter.onnx.GraphBuilder.attrInts;
import static io.anytext2.exporter.onnx.GraphBuilder.scopeOf;
import static io.anytext2.exporter.onnx.StaticShapes.compatible;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Attention with packed projections, the other input formats of {@code com.microsoft.MultiHeadAttention}
 * (ONNX Runtime's docs/ContribOperators.md; its multihead_attention_helper detects them by rank): for a
 * self-attention one MatMul gives q, k and v as query [B, S, heads, 3, d] with key and value omitted; for a
 * cross-attention one MatMul gives k and v as key [B, L, heads, 2, d] with value omitted, q stays [B, S, D].
 *
 * <p>The packed weight [C, heads·P·d] (P = 3 or 2) is built inside the graph from the checkpoint's to_q/to_k/to_v
 * initializers (Concat → Reshape [P, heads, d, C] → Transpose → Reshape), so that its columns run (head, q/k/v,
 * i) as the packed formats want; ONNX Runtime folds those constant nodes when it loads the graph, like the
 * Transposes of every Linear weight, and the file keeps the checkpoint tensors under their keys (no second copy,
 * weights still found by key).
 *
 * <p>ONNX Runtime 1.28's CPU kernel refuses both formats at run time ("Packed QKV of shape (B, L, N, 3, H) not
 * implemented for CPU", "Packed KV not implemented for CPU"), so such graphs are for the CUDA provider only. Its
 * CUDA kernel unpacks them to [B, S, heads, d] with one kernel before flash or memory-efficient attention
 * (attention_prepare_qkv.cu): a self-attention then costs one MatMul, one Reshape (no copy) and the attention
 * node instead of three MatMuls and the node; a cross-attention as many nodes as before (two MatMuls and a
 * Reshape instead of three MatMuls).
 */
final class PackedAttention {
  private final GraphBuilder g;
  /** The packed weight of each set of projection weights (their names, joined), made once per (sub)graph. */
  private final Map<String, String> packed = new HashMap<>();

  PackedAttention(GraphBuilder g) {
    this.g = g;
  }

  Map<String, String> saveCache() {
    return new HashMap<>(packed);
  }

  void restore(Map<String, String> saved) {
    packed.clear();
    packed.putAll(saved);
  }

  /** x [B, S, C] and the weights [D, C], all in the compute type → [B, S, D]. */
  Value self(Value x, Value wq, Value wk, Value wv, int heads, float scale) {
    long d = headSize("self-attention", x, List.of(wq, wk, wv), heads);
    long[] xs = x.shape();
    String scope = scopeOf(wq.name()) + "kv"; // …attn1.to_q → …attn1.to_qkv
    String y = g.node("MatMul", scope, List.of(x.name(), packedWeight(List.of(wq, wk, wv), heads, d, scope)));
    String qkv = g.node("Reshape", scope, List.of(y, g.int64Vector(0, 0, heads, 3, d)));
    return FusedAttention.node(g, x.type(), List.of(qkv), heads, d, scale, new long[] {xs[0], xs[1], heads * d});
  }

  /** q [B, S, D] (projected), context [B, L, C] and the weights [D, C], all in the compute type → [B, S, D]. */
  Value cross(Value q, Value context, Value wk, Value wv, int heads, float scale) {
    long d = headSize("cross-attention", context, List.of(wk, wv), heads);
    long[] qs = q.shape();
    if (q.rank() != 3 || qs[2] != heads * d || !compatible(qs[0], context.shape()[0]) || q.type() != context.type()) {
      throw new IllegalArgumentException("cross-attention (packed): expected q [B, S, " + heads * d + "] of the context's type, found "
          + q + " and " + context);
    }
    String scope = scopeOf(wk.name()) + "v"; // …attn2.to_k → …attn2.to_kv
    String y = g.node("MatMul", scope, List.of(context.name(), packedWeight(List.of(wk, wv), heads, d, scope)));
    String kv = g.node("Reshape", scope, List.of(y, g.int64Vector(0, 0, heads, 2, d)));
    return FusedAttention.node(g, q.type(), List.of(q.name(), kv), heads, d, scale, new long[] {qs[0], qs[1], heads * d});
  }

  /** The head size after checking x [B, S, C] against the weights, each [heads·d, C] of x's type. */
  private static long headSize(String what, Value x, List<Value> ws, int heads) {
    long[] s = ws.get(0).shape();
    boolean ok = x.rank() == 3 && s.length == 2 && heads >= 1 && s[0] % heads == 0 && compatible(x.shape()[2], s[1]);
    for (Value w : ws) ok &= Arrays.equals(w.shape(), s) && w.type() == x.type();
    if (!ok) {
      throw new IllegalArgumentException(what + " (packed): expected x [B, S, C] and equal weights [D, C] of its type with D divisible by "
          + heads + " heads, found " + x + " and " + ws);
    }
    return s[0] / heads;
  }

  /** Weights W_p [heads·d, C] → [C, heads·P·d] with column (n, p, i) = row n·d + i of W_p. */
  private String packedWeight(List<Value> ws, int heads, long d, String scope) {
    String key = ws.stream().map(Value::name).collect(Collectors.joining(","));
    return packed.computeIfAbsent(key, k -> {
      long c = ws.get(0).shape()[1], p = ws.size();
      String stacked = g.node("Concat", scope, ws.stream().map(Value::name).toList(), attr("axis", 0L)); // [P·heads·d, C]
      String split = g.node("Reshape", scope, List.of(stacked, g.int64Vector(p, heads, d, c)));
      String moved = g.node("Transpose", scope, List.of(split), attrInts("perm", 3, 1, 0, 2)); // [C, heads, P, d]
      return g.node("Reshape", scope, List.of(moved, g.int64Vector(c, heads * p * d)));
    });
  }
}
