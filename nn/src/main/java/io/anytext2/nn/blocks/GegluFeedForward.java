package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * Transformer feed-forward with GEGLU (MODEL.md §3.1, §6 item 5): {@code net.0.proj} Linear(C→8C)
 * split into a value half (first) and a gate half (second), {@code value · GELU_erf(gate)}, then
 * {@code net.2} Linear(4C→C) ({@code net.1} is dropout).
 *
 * @param prefix key prefix ending in a dot, e.g. {@code "…transformer_blocks.0.ff."}
 */
public record GegluFeedForward(String prefix, int dim) {

  /** Hidden width multiplier of the SD feed-forward. */
  static final int MULT = 4;

  public <T> T forward(TensorOps<T> op, T x) {
    int hidden = MULT * dim;
    T w = op.weight(prefix + "net.0.proj.weight", 2L * hidden, dim);
    T b = op.weight(prefix + "net.0.proj.bias", 2L * hidden);
    return Layers.linear(op, prefix + "net.2", hidden, dim, true, op.geglu(x, w, b));
  }
}
