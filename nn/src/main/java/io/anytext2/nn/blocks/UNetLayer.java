package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * One layer inside a UNet/ControlNet block ({@code TimestepEmbedSequential} in the original): the
 * closed set of layer kinds that appear at {@code input_blocks.i.j}, {@code middle_block.j} and
 * {@code output_blocks.i.j}.
 */
public sealed interface UNetLayer permits InputConv, ResBlock, SpatialTransformer, Downsample, Upsample {

  /** Channels of the layer's output. */
  int outChannels();

  <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond);
}
