package io.anytext2.exporter.onnx;

import java.util.Arrays;
import java.util.Random;

/**
 * A test tensor: float32 data or int64 ids (exactly one is set), row-major, with its shape. Public
 * so that the tests of other packages feed and read {@link OrtHarness} runs with it too.
 */
public record Tensor(float[] data, long[] ids, long[] shape) {

  public static Tensor of(float[] data, long... shape) {
    if (data.length != StaticShapes.numel(shape))
      throw new IllegalArgumentException("size " + data.length + " vs " + Arrays.toString(shape));
    return new Tensor(data, null, shape);
  }

  public static Tensor ids(long[] ids, long... shape) {
    return new Tensor(null, ids, shape);
  }

  /** Uniform in [lo, hi). */
  static Tensor uniform(Random r, float lo, float hi, long... shape) {
    float[] d = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * r.nextFloat();
    return of(d, shape);
  }

  /** Standard normal. */
  static Tensor normal(Random r, long... shape) {
    float[] d = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
    return of(d, shape);
  }

  int size() {
    return (int) StaticShapes.numel(shape);
  }

  int dim(int i) {
    return (int) shape[i < 0 ? i + shape.length : i];
  }
}
