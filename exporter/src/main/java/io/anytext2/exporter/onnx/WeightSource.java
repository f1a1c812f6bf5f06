package io.anytext2.exporter.onnx;

/**
 * Where {@link OnnxOps} gets the parameters of a network: the float32 values of one checkpoint
 * tensor, row-major. The implementation checks that the stored tensor has exactly {@code
 * expectedShape} and throws (naming the key) otherwise; OnnxOps asks for each key once and writes
 * the returned values out immediately, so the array may be dropped right after.
 */
@FunctionalInterface
public interface WeightSource {
  float[] load(String key, long[] expectedShape);
}
