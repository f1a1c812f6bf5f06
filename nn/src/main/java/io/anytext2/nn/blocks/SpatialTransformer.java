package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * SpatialTransformer of depth 1 with 1×1 conv projections ({@code use_linear = False}, MODEL.md §3.1):
 * <pre>
 * h = proj_in( GN(norm, 32 groups, eps 1e-6)(x) )          # eps 1e-6 here, not 1e-5 (MODEL.md §6 item 1)
 * h = tokens → transformer_blocks.0(h, ctx) → image         # tokens row-major over H then W
 * out = proj_out(h) + x
 * </pre>
 * Head width is {@code channels / heads} (legacy = False, num_head_channels = -1).
 *
 * @param prefix key prefix ending in a dot, e.g. {@code "model.diffusion_model.input_blocks.1.1."}
 */
public record SpatialTransformer(String prefix, int channels, int heads, int contextDim, boolean attnx)
    implements UNetLayer {

  static final int GROUPS = 32;

  static final float EPS = 1e-6f;

  @Override
  public int outChannels() {
    return channels;
  }

  @Override
  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    T h = Layers.groupNorm(op, prefix + "norm", channels, GROUPS, EPS, x);
    h = Layers.conv(op, prefix + "proj_in", channels, channels, 1, 1, 0, h);
    T tokens = op.imageToTokens(h);
    tokens = new BasicTransformerBlock(prefix + "transformer_blocks.0.", channels, heads, contextDim, attnx)
        .forward(op, tokens, cond.context(), cond.attnxScale());
    h = Layers.conv(op, prefix + "proj_out", channels, channels, 1, 1, 0, op.tokensToImage(tokens, x));
    return op.add(h, x);
  }
}
