package io.anytext2.exporter.onnx;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A {@link WeightSource} of seeded random tensors that remembers what it served (for references)
 * and how often each key was asked for. Keys ending in "running_var" get positive values.
 */
final class RandomWeights implements WeightSource {
  private final Random random;
  private final Map<String, Tensor> served = new HashMap<>();
  private final Map<String, Integer> loads = new HashMap<>();

  RandomWeights(long seed) {
    this.random = new Random(seed);
  }

  @Override
  public float[] load(String key, long[] expectedShape) {
    loads.merge(key, 1, Integer::sum);
    Tensor t =
        key.endsWith("running_var")
            ? Tensor.uniform(random, 0.5f, 1.5f, expectedShape)
            : Tensor.uniform(random, -1f, 1f, expectedShape);
    Tensor prev = served.put(key, t);
    if (prev != null && !Arrays.equals(prev.shape(), expectedShape))
      throw new IllegalArgumentException(key + " shape changed");
    return t.data().clone();
  }

  Tensor get(String key) {
    Tensor t = served.get(key);
    if (t == null) throw new IllegalStateException("weight " + key + " was never loaded");
    return t;
  }

  int loads(String key) {
    return loads.getOrDefault(key, 0);
  }
}
