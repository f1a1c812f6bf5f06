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
    T proj = Layers.linear(op, prefix + "net.0.proj", dim, 2 * hidden, true, x);
    T value = op.slice(proj, -1, 0, hidden);
    T gate = op.slice(proj, -1, hidden, 2L * hidden);
    return Layers.linear(op, prefix + "net.2", hidden, dim, true, op.mul(value, op.geluErf(gate)));
  }
}
