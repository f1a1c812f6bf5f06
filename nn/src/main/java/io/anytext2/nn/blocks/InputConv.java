package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/** The stem {@code input_blocks.0.0}: Conv3/1/1 from the latent channels to model_channels (MODEL.md §3.7). */
public record InputConv(String key, int inChannels, int outChannels) implements UNetLayer {

  @Override
  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    return Layers.conv(op, key, inChannels, outChannels, 3, 1, 1, x);
  }

  /**
   * The stem applied to an all-zero input, as the fast_control ControlNet does (MODEL.md §3.6):
   * with zero padding every output pixel is exactly the bias, returned as [1, C, 1, 1] for
   * broadcasting. The weight is still looked up (and its shape checked) so that the checkpoint key
   * is accounted for, although it does not influence the result.
   */
  public <T> T zeroInputResponse(TensorOps<T> op) {
    op.weight(key + ".weight", outChannels, inChannels, 3, 3);
    return op.reshape(op.weight(key + ".bias", outChannels), 1, outChannels, 1, 1);
  }
}
