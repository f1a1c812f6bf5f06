package io.anytext2.sdk.tensor;

import java.util.Arrays;

/**
 * A host-side float32 tensor: row-major data and its shape. Owns its array (callers must not
 * mutate an array they passed in after construction unless they own the tensor).
 */
public record FloatTensor(float[] data, long[] shape) {

  public FloatTensor {
    shape = shape.clone();
    long n = numel(shape);
    if (n != data.length) {
      throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, found " + data.length);
    }
  }

  public static FloatTensor zeros(long... shape) {
    return new FloatTensor(new float[Math.toIntExact(numel(shape))], shape);
  }

  public static FloatTensor scalar(float v) {
    return new FloatTensor(new float[] {v}, new long[0]);
  }

  public long numel() {
    return data.length;
  }

  public long dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  /** A view-free copy with a new shape of the same element count. */
  public FloatTensor reshape(long... newShape) {
    return new FloatTensor(data, newShape);
  }

  /** Item {@code i} of the leading axis, copied: shape[1:]. */
  public FloatTensor item(int i) {
    int per = Math.toIntExact(numel(shape) / shape[0]);
    return new FloatTensor(Arrays.copyOfRange(data, i * per, (i + 1) * per), Arrays.copyOfRange(shape, 1, shape.length));
  }

  /** Stacks equally shaped tensors along a new leading axis. */
  public static FloatTensor stack(java.util.List<FloatTensor> items) {
    if (items.isEmpty()) throw new IllegalArgumentException("nothing to stack");
    long[] s = items.get(0).shape;
    float[] out = new float[items.size() * items.get(0).data.length];
    for (int i = 0; i < items.size(); i++) {
      FloatTensor t = items.get(i);
      if (!Arrays.equals(t.shape, s)) throw new IllegalArgumentException("cannot stack " + Arrays.toString(t.shape) + " with " + Arrays.toString(s));
      System.arraycopy(t.data, 0, out, i * t.data.length, t.data.length);
    }
    long[] ns = new long[s.length + 1];
    ns[0] = items.size();
    System.arraycopy(s, 0, ns, 1, s.length);
    return new FloatTensor(out, ns);
  }

  /** Concatenates tensors along the leading axis: [a,…] ++ [b,…] → [a+b,…] (other dims must agree). */
  public static FloatTensor concatBatch(FloatTensor a, FloatTensor b) {
    if (a.shape.length != b.shape.length
        || !Arrays.equals(Arrays.copyOfRange(a.shape, 1, a.shape.length), Arrays.copyOfRange(b.shape, 1, b.shape.length))) {
      throw new IllegalArgumentException("cannot concatenate " + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape));
    }
    float[] out = Arrays.copyOf(a.data, a.data.length + b.data.length);
    System.arraycopy(b.data, 0, out, a.data.length, b.data.length);
    long[] ns = a.shape.clone();
    ns[0] += b.shape[0];
    return new FloatTensor(out, ns);
  }

  /** Items [from, to) of the leading axis, copied. */
  public FloatTensor sliceBatch(int from, int to) {
    if (from < 0 || to > shape[0] || from >= to) {
      throw new IllegalArgumentException("batch slice [" + from + ", " + to + ") outside " + Arrays.toString(shape));
    }
    int per = Math.toIntExact(numel(shape) / shape[0]);
    long[] ns = shape.clone();
    ns[0] = to - from;
    return new FloatTensor(Arrays.copyOfRange(data, from * per, to * per), ns);
  }

  /** Repeats this tensor {@code n} times along a new leading axis... merged with the first: [k,…] → [n·k,…]. */
  public FloatTensor repeatBatch(int n) {
    float[] out = new float[data.length * n];
    for (int i = 0; i < n; i++) System.arraycopy(data, 0, out, i * data.length, data.length);
    long[] ns = shape.clone();
    ns[0] *= n;
    return new FloatTensor(out, ns);
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
