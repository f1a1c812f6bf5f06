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

  /**
   * Self-attention: q, k and v all projected from x [B, N, queryDim] → [B, N, queryDim]
   * ({@link TensorOps#selfAttention}, which a backend may compute as one packed projection).
   */
  public <T> T forward(TensorOps<T> op, T x) {
    if (contextDim != queryDim) {
      throw new IllegalArgumentException("self-attention at " + prefix + ": expected contextDim = queryDim, found "
          + contextDim + " and " + queryDim);
    }
    int inner = innerDim();
    // weights in the order the layers apply them (to_q, to_k, to_v): the exported initializers keep their order
    T wq = op.weight(prefix + "to_q.weight", inner, queryDim);
    T wk = op.weight(prefix + "to_k.weight", inner, contextDim);
    T wv = op.weight(prefix + "to_v.weight", inner, contextDim);
    return project(op, op.selfAttention(x, wq, wk, wv, heads, scale()));
  }

  /**
   * x [B, N, queryDim] attending over keysValues [B, M, contextDim] → [B, N, queryDim]
   * ({@link TensorOps#crossAttention}); the same tensor as x makes it {@link #forward(TensorOps, Object)}.
   */
  public <T> T forward(TensorOps<T> op, T x, T keysValues) {
    if (keysValues == x) return forward(op, x); // one tensor for q, k and v: self-attention, however it was called
    int inner = innerDim();
    T wq = op.weight(prefix + "to_q.weight", inner, queryDim);
    T wk = op.weight(prefix + "to_k.weight", inner, contextDim);
    T wv = op.weight(prefix + "to_v.weight", inner, contextDim);
    return project(op, op.crossAttention(x, keysValues, wq, wk, wv, heads, scale()));
  }

  /** The original scales the product (not q) by dim_head ** -0.5 in float32. */
  private float scale() {
    return (float) Math.pow(dimHead, -0.5);
  }

  private <T> T project(TensorOps<T> op, T out) { // out [B, N, h·d]
    return Layers.linear(op, prefix + "to_out.0", innerDim(), queryDim, true, out);
  }
}
