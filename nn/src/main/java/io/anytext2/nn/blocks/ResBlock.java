package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * UNet/ControlNet residual block, {@code use_scale_shift_norm = False} (MODEL.md §3.1, keys §4.3):
 * <pre>
 * h = in_layers.2( SiLU( GN(in_layers.0, eps 1e-5)(x) ) )
 * h = h + emb_layers.1( SiLU(emb) )[:, :, None, None]
 * h = out_layers.3( SiLU( GN(out_layers.0, eps 1e-5)(h) ) )      # out_layers.2 = dropout, identity
 * out = skip_connection(x) + h                                     # identity when in == out
 * </pre>
 *
 * @param prefix key prefix ending in a dot, e.g. {@code "model.diffusion_model.input_blocks.1.0."}
 */
public record ResBlock(String prefix, int inChannels, int outChannels, int embedDim) implements UNetLayer {

  /** GroupNorm groups and eps of ResBlocks (MODEL.md §6 item 1). */
  static final int GROUPS = 32;

  static final float EPS = 1e-5f;

  @Override
  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    T h = Layers.groupNormSilu(op, prefix + "in_layers.0", inChannels, GROUPS, EPS, x);
    h = Layers.conv(op, prefix + "in_layers.2", inChannels, outChannels, 3, 1, 1, h);
    T embOut = Layers.linear(op, prefix + "emb_layers.1", embedDim, outChannels, true, op.silu(cond.emb()));
    h = op.add(h, op.reshape(embOut, 0, 0, 1, 1));
    h = Layers.groupNormSilu(op, prefix + "out_layers.0", outChannels, GROUPS, EPS, h);
    h = Layers.conv(op, prefix + "out_layers.3", outChannels, outChannels, 3, 1, 1, h);
    T skip = inChannels == outChannels ? x : Layers.conv(op, prefix + "skip_connection", inChannels, outChannels, 1, 1, 0, x);
    return op.add(skip, h);
  }
}
