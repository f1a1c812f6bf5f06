package io.anytext2.nn.models.vae;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.ops.Pads;
import io.anytext2.nn.ops.TensorOps;

/** The VAE's building blocks (MODEL.md §3.8): ResnetBlock, AttnBlock, Downsample, Upsample, GN+swish. */
final class VaeBlocks {
  private VaeBlocks() {}

  /** Every VAE GroupNorm: 32 groups, eps 1e-6 (MODEL.md §6 item 1). */
  static final int GROUPS = 32;

  static final float GN_EPS = 1e-6f;

  /** GN(32, c, 1e-6) → swish. */
  static <T> T normSwish(TensorOps<T> op, String key, int c, T x) {
    return Layers.groupNormSilu(op, key, c, GROUPS, GN_EPS, x);
  }

  /** ResnetBlock without time embedding; {@code nin_shortcut} 1×1 conv when the width changes. */
  static <T> T resnet(TensorOps<T> op, String key, int cIn, int cOut, T x) {
    T h = Layers.conv(op, key + "conv1", cIn, cOut, 3, 1, 1, normSwish(op, key + "norm1", cIn, x));
    h = Layers.conv(op, key + "conv2", cOut, cOut, 3, 1, 1, normSwish(op, key + "norm2", cOut, h));
    T shortcut = cIn == cOut ? x : Layers.conv(op, key + "nin_shortcut", cIn, cOut, 1, 1, 0, x);
    return op.add(shortcut, h);
  }

  /** Single-head self-attention over the H·W positions, scores scaled by C^−0.5 after q·kᵀ. */
  static <T> T attention(TensorOps<T> op, String key, int c, T x) {
    T n = Layers.groupNorm(op, key + "norm", c, GROUPS, GN_EPS, x);
    T q = op.imageToTokens(Layers.conv(op, key + "q", c, c, 1, 1, 0, n)); // [B, HW, C]
    T k = op.imageToTokens(Layers.conv(op, key + "k", c, c, 1, 1, 0, n));
    T v = op.imageToTokens(Layers.conv(op, key + "v", c, c, 1, 1, 0, n));
    T out = op.tokensToImage(op.attention(q, k, v, 1, (float) Math.pow(c, -0.5)), x);
    return op.add(x, Layers.conv(op, key + "proj_out", c, c, 1, 1, 0, out));
  }

  /** Zero pad right and bottom by 1, then Conv3 stride 2 without padding (MODEL.md §6 item 7). */
  static <T> T downsample(TensorOps<T> op, String key, int c, T x) {
    return Layers.conv(op, key + "conv", c, c, 3, 2, 2, Pads.bottomRight(1), 1, true, x);
  }

  /** Nearest ×2, then Conv3/1/1. */
  static <T> T upsample(TensorOps<T> op, String key, int c, T x) {
    return Layers.conv(op, key + "conv", c, c, 3, 1, 1, op.upsampleNearest2x(x));
  }
}
