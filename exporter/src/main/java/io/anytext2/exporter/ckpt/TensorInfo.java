package io.anytext2.exporter.ckpt;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name, element type and shape of one checkpoint tensor. A scalar has an empty shape and one
 * element. The shape array is copied in and out, so an instance is immutable.
 */
public record TensorInfo(String key, DType dtype, long[] shape) {

  public TensorInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor " + key + ": expected non-negative dimensions, found shape " + Arrays.toString(shape));
      }
    }
    numel(key, shape); // rejects products that overflow a long
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** Number of elements (1 for a scalar). */
  public long numel() {
    return numel(key, shape);
  }

  /** Size of the tensor's data in bytes. */
  public long byteSize() {
    return Math.multiplyExact(numel(), (long) dtype.byteSize());
  }

  private static long numel(String key, long[] shape) {
    long n = 1;
    for (long d : shape) {
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("tensor " + key + ": shape " + Arrays.toString(shape) + " overflows");
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && key.equals(t.key) && dtype == t.dtype && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return key + " " + dtype + Arrays.toString(shape);
  }
}
