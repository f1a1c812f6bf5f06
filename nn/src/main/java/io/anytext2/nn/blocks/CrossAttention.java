package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * Multi-head attention of the UNet transformer blocks (MODEL.md §3.1): {@code to_q}, {@code to_k},
 * {@code to_v} without bias, {@code to_out.0} with bias; heads split head-major from the feature
 * axis ({@code feature = head·dimHead + i}); {@code softmax(Q·Kᵀ · dimHead^-0.5)} over the keys, no
 * mask.
 *
 * @param prefix key prefix ending in a dot, e.g. {@code "…transformer_blocks.0.attn2."}
 * @param contextDim width of the key/value input (= queryDim for self-attention)
 */
public record CrossAttention(String prefix, int queryDim, int contextDim, int heads, int dimHead) {

  public CrossAttention {
    if (heads <= 0 || dimHead <= 0) {
      throw new IllegalArgumentException("expected positive heads and head width, found " + heads + " × " + dimHead);
    }
  }

  public int innerDim() {
    return heads * dimHead;
  }

  /** x [B, N, queryDim], keysValues [B, M, contextDim] (pass x itself for self-attention) → [B, N, queryDim]. */
  public <T> T forward(TensorOps<T> op, T x, T keysValues) {
    int inner = innerDim();
    T q = Layers.linear(op, prefix + "to_q", queryDim, inner, false, x);
    T k = Layers.linear(op, prefix + "to_k", contextDim, inner, false, keysValues);
    T v = Layers.linear(op, prefix + "to_v", contextDim, inner, false, keysValues);
    // The original scales the product (not q) by dim_head ** -0.5 in float32.
    T out = op.attention(q, k, v, heads, (float) Math.pow(dimHead, -0.5)); // [B, N, h·d]
    return Layers.linear(op, prefix + "to_out.0", inner, queryDim, true, out);
  }
}
