package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/** Conv3 stride 2, symmetric padding 1, same channels, at key {@code prefix + "op"} (MODEL.md §3.1, §6 item 7). */
public record Downsample(String prefix, int channels) implements UNetLayer {

  @Override
  public int outChannels() {
    return channels;
  }

  @Override
  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    return Layers.conv(op, prefix + "op", channels, channels, 3, 2, 1, x);
  }
}
