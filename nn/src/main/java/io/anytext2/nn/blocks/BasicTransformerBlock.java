package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * The transformer block of a SpatialTransformer, optionally with AnyText2's AttnX branches
 * (MODEL.md §3.1, §6 item 3), on tokens x [B, N, C]:
 * <pre>
 * x = attn1(norm1(x)) + x
 * x = attn2(norm2(x), ctx) + x
 * if attnx:                                     # norm1/norm2 are reused, no extra norms
 *   x = attnx_scale · attn1x(norm1(x)) + x
 *   x = attnx_scale · attn2x(norm2(x), ctx) + x
 * x = ff(norm3(x)) + x
 * </pre>
 * All LayerNorms use eps 1e-5 (MODEL.md §6 item 2).
 *
 * @param prefix key prefix ending in a dot, e.g. {@code "…middle_block.1.transformer_blocks.0."}
 */
public record BasicTransformerBlock(String prefix, int dim, int heads, int contextDim, boolean attnx) {

  static final float LN_EPS = 1e-5f;

  public BasicTransformerBlock {
    if (heads <= 0 || dim % heads != 0) {
      throw new IllegalArgumentException("expected a width divisible by num_heads " + heads + ", found " + dim);
    }
  }

  private CrossAttention attention(String name, int kvDim) {
    return new CrossAttention(prefix + name + ".", dim, kvDim, heads, dim / heads);
  }

  /** x [B, N, C], context [B, L, contextDim], attnxScale rank 0 (read only when {@link #attnx}). */
  public <T> T forward(TensorOps<T> op, T x, T context, T attnxScale) {
    T n1 = norm(op, 1, x);
    x = op.add(attention("attn1", dim).forward(op, n1), x);
    x = op.add(attention("attn2", contextDim).forward(op, norm(op, 2, x), context), x);
    if (attnx) {
      if (attnxScale == null) {
        throw new IllegalArgumentException("expected an attnx_scale tensor for the AttnX block at " + prefix + ", found null");
      }
      T n1x = norm(op, 1, x);
      x = op.add(op.mul(attention("attn1x", dim).forward(op, n1x), attnxScale), x);
      x = op.add(op.mul(attention("attn2x", contextDim).forward(op, norm(op, 2, x), context), attnxScale), x);
    }
    return op.add(new GegluFeedForward(prefix + "ff.", dim).forward(op, norm(op, 3, x)), x);
  }

  private <T> T norm(TensorOps<T> op, int index, T x) {
    return Layers.layerNorm(op, prefix + "norm" + index, dim, LN_EPS, x);
  }
}
