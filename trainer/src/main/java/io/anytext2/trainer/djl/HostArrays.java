package io.anytext2.trainer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from host values whose memory belongs to PyTorch.
 *
 * <p>Why: DJL's {@code NDManager.create(float[] …)} wraps a direct ByteBuffer with
 * {@code torch::from_blob}; only the Java NDArray object keeps that buffer alive. Autograd saves
 * such tensors for backward (a constant factor, gather indices, …) beyond the life of the Java
 * object, and once the garbage collector frees the buffer, backward reads freed memory —
 * silently wrong gradients or an out-of-range index. A clone is allocated by PyTorch and lives as
 * long as any tensor (or graph) refers to it. The same holds for DJL's scalar overloads
 * ({@code x.mul(2f)} creates and closes a from_blob scalar), so differentiable code multiplies by
 * {@link #scalar} arrays instead.
 */
public final class HostArrays {
  private HostArrays() {}

  public static NDArray floats(NDManager m, float[] values, long... shape) {
    return owned(m.create(values, new Shape(shape)));
  }

  public static NDArray longs(NDManager m, long[] values, long... shape) {
    return owned(m.create(values, new Shape(shape)));
  }

  /** A rank-0 float32 tensor. */
  public static NDArray scalar(NDManager m, float value) {
    return owned(m.create(new float[] {value}, new Shape()));
  }

  private static NDArray owned(NDArray fromBlob) {
    NDArray copy = fromBlob.duplicate();
    fromBlob.close();
    return copy;
  }
}
