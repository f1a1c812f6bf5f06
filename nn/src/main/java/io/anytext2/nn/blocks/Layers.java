package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.Pads;
import io.anytext2.nn.ops.TensorOps;

/**
 * Parameterised layers looked up by checkpoint key prefix: {@code key + ".weight"} and
 * {@code key + ".bias"}, exactly as PyTorch names them. Shapes are stated here, so a checkpoint
 * that does not fit the configuration fails with the key that differs.
 */
public final class Layers {
  private Layers() {}

  /** Conv k×k, stride s, zero padding p on all sides, with bias. Weight [cOut, cIn, k, k]. */
  public static <T> T conv(TensorOps<T> op, String key, int cIn, int cOut, int k, int s, int p, T x) {
    return conv(op, key, cIn, cOut, k, s, s, Pads.same(p), 1, true, x);
  }

  /** The general form: explicit pads {top, left, bottom, right}, groups, optional bias. */
  public static <T> T conv(
      TensorOps<T> op, String key, int cIn, int cOut, int k, int strideH, int strideW, int[] pads, int groups,
      boolean bias, T x) {
    T w = op.weight(key + ".weight", cOut, cIn / groups, k, k);
    T b = bias ? op.weight(key + ".bias", cOut) : null;
    return op.conv2d(x, w, b, strideH, strideW, pads, groups);
  }

  /** Linear(in → out); weight [out, in]. */
  public static <T> T linear(TensorOps<T> op, String key, int in, int out, boolean bias, T x) {
    T w = op.weight(key + ".weight", out, in);
    T b = bias ? op.weight(key + ".bias", out) : null;
    return op.linear(x, w, b);
  }

  /** GroupNorm(groups, c, eps), affine. */
  public static <T> T groupNorm(TensorOps<T> op, String key, int c, int groups, float eps, T x) {
    return op.groupNorm(x, groups, eps, op.weight(key + ".weight", c), op.weight(key + ".bias", c));
  }

  /** SiLU(GroupNorm(groups, c, eps)), affine ({@link TensorOps#groupNormSilu}). */
  public static <T> T groupNormSilu(TensorOps<T> op, String key, int c, int groups, float eps, T x) {
    return op.groupNormSilu(x, groups, eps, op.weight(key + ".weight", c), op.weight(key + ".bias", c));
  }

  /** LayerNorm(c, eps) over the last axis, affine. */
  public static <T> T layerNorm(TensorOps<T> op, String key, int c, float eps, T x) {
    return op.layerNorm(x, eps, op.weight(key + ".weight", c), op.weight(key + ".bias", c));
  }

  /** BatchNorm2d(c, eps) in inference mode (running_mean / running_var). */
  public static <T> T batchNorm(TensorOps<T> op, String key, int c, float eps, T x) {
    return op.batchNorm(
        x,
        eps,
        op.weight(key + ".weight", c),
        op.weight(key + ".bias", c),
        op.weight(key + ".running_mean", c),
        op.weight(key + ".running_var", c));
  }
}
