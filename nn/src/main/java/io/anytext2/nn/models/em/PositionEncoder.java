package io.anytext2.nn.models.em;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.ops.TensorOps;

/**
 * {@code EncodeNet(1 → D)} (MODEL.md §3.5): Conv3/1/1 1→16, four Conv3 stride-2 layers doubling the
 * width, Conv3/1/1 → D, SiLU after every conv, then a global average → [N, D]. Height and width stay
 * dynamic.
 */
final class PositionEncoder {
  private PositionEncoder() {}

  /** Width after conv1 (EncodeNet {@code chan = 16}). */
  static final int BASE_CHANNELS = 16;
  /** Number of stride-2 convs ({@code n_layer = 4}). */
  static final int DOWN_LAYERS = 4;

  static <T> T forward(TensorOps<T> op, String key, int outChannels, T positions) {
    T h = op.silu(Layers.conv(op, key + "conv1", 1, BASE_CHANNELS, 3, 1, 1, positions));
    int c = BASE_CHANNELS;
    for (int i = 0; i < DOWN_LAYERS; i++) {
      h = op.silu(Layers.conv(op, key + "conv_list." + i, c, 2 * c, 3, 2, 1, h));
      c *= 2;
    }
    h = op.silu(Layers.conv(op, key + "conv2", c, outChannels, 3, 1, 1, h));
    return op.reshape(op.meanKeepDims(h, 2, 3), 0, -1); // AdaptiveAvgPool2d(1) + view(N, -1)
  }
}
