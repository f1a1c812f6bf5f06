package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;
import java.util.List;

/**
 * A numbered block of the UNet ({@code input_blocks.i}, {@code middle_block}, {@code output_blocks.i}):
 * its layers run in order, each at key {@code prefix + j}.
 */
public record UNetBlock(List<UNetLayer> layers) {
  public UNetBlock {
    if (layers.isEmpty()) throw new IllegalArgumentException("expected at least one layer in a UNet block, found none");
    layers = List.copyOf(layers);
  }

  public int outChannels() {
    return layers.get(layers.size() - 1).outChannels();
  }

  public <T> T forward(TensorOps<T> op, T x, Conditioning<T> cond) {
    T h = x;
    for (UNetLayer layer : layers) h = layer.forward(op, h, cond);
    return h;
  }
}
