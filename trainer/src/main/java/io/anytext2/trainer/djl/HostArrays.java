package io.anytext2.trainer.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The crossings between Java arrays and tensors: arrays made from host values on a manager's
 * device, whose memory belongs to PyTorch, scalar constants made on the device without a copy, and
 * explicit copies back to the host.
 *
 * <p>Why PyTorch-owned memory: on the CPU, DJL's {@code NDManager.create(float[] …)} wraps a
 * direct ByteBuffer with {@code torch::from_blob}; only the Java NDArray object keeps that buffer
 * alive. Autograd saves such tensors for backward (a constant factor, gather indices, …) beyond the
 * life of the Java object, and once the garbage collector frees the buffer, backward reads freed
 * memory — silently wrong gradients or an out-of-range index. A clone is allocated by PyTorch and
 * lives as long as any tensor (or graph) refers to it. On a GPU the upload itself is that copy. The
 * same holds for DJL's scalar overloads ({@code x.mul(2f)} creates and closes a from_blob scalar,
 * and on a GPU also uploads it, which waits for the device), so differentiable code multiplies by
 * {@link #scalar} arrays instead.
 */
public final class HostArrays {
  private HostArrays() {}

  /** Host values as a float32 array of {@code m} on {@code m}'s device. */
  public static NDArray floats(NDManager m, float[] values, long... shape) {
    OpCounter.upload();
    return owned(m.create(values, new Shape(shape)));
  }

  /** Host values as an int64 array of {@code m} on {@code m}'s device. */
  public static NDArray longs(NDManager m, long[] values, long... shape) {
    OpCounter.upload();
    return owned(m.create(values, new Shape(shape)));
  }

  /**
   * A rank-0 float32 tensor of {@code m} on {@code m}'s device, filled on the device
   * ({@code torch::full}): no host buffer, no upload, no wait for the device.
   */
  public static NDArray scalar(NDManager m, float value) {
    OpCounter.ops(1);
    return m.full(new Shape(), value, DataType.FLOAT32);
  }

  /**
   * The values of a float32 array on the host. An array on another device is copied to the CPU
   * explicitly and the copy freed at once (DJL's implicit copy would stay attached to the array's
   * manager, e.g. the parameter store, until that closes). This waits for the device.
   */
  public static float[] read(NDArray a) {
    OpCounter.read();
    NDArray host = a.toDevice(Device.cpu(), false); // the array itself when it is on the CPU already
    if (host == a) return a.toFloatArray();
    try (host) {
      return host.toFloatArray();
    }
  }

  private static NDArray owned(NDArray created) {
    if (!Device.cpu().equals(created.getDevice())) return created; // uploaded: the device copy is PyTorch's
    NDArray copy = created.duplicate();
    created.close();
    return copy;
  }
}
