package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/** Nearest-neighbour ×2, then Conv3/1/1 at key {@code prefix + "conv"} (MODEL.md §3.1, §6 item 7). */
public record Upsample(String prefix, int channels) implements UNetLayer {

  @Override
  public int outChannels() {
    return channels;
  }

  @Override
  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    return Layers.conv(op, prefix + "conv", channels, channels, 3, 1, 1, op.upsampleNearest2x(x));
  }
}
