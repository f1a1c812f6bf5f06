package io.anytext2.trainer.log;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float32 tensors handed to {@link CheckpointManager} one at a time, so a save never needs
 * every tensor in Java memory at once (e.g. a DJL model copies each parameter to a float[] when
 * asked). Keys are the checkpoint keys (MODEL.md §4.3), kept verbatim.
 */
public interface TensorSource {

  /** Keys in write order, each with its shape (row-major; an empty shape is a scalar). */
  Map<String, long[]> shapes();

  /**
   * The values of {@code key}: row-major, as many floats as its shape holds. Called at most once per
   * key per save, in the order of {@link #shapes()}; the array is only read, and not kept.
   */
  float[] read(String key);

  /** No tensors (e.g. the optimizer state before the first step). */
  static TensorSource empty() {
    return of(Map.of(), Map.of());
  }

  /**
   * Tensors already in memory: {@code values} in its iteration order, each with the shape given in
   * {@code shapes}. Lengths are checked against the shapes when a checkpoint is written.
   */
  static TensorSource of(Map<String, float[]> values, Map<String, long[]> shapes) {
    Map<String, long[]> ordered = new LinkedHashMap<>();
    for (String key : values.keySet()) {
      long[] shape = shapes.get(key);
      if (shape == null) {
        throw new IllegalArgumentException("expected a shape for tensor " + key + ", found none");
      }
      ordered.put(key, shape.clone());
    }
    if (!shapes.keySet().equals(values.keySet())) {
      throw new IllegalArgumentException("expected shapes for exactly the tensors given, found extra shapes for "
          + shapes.keySet().stream().filter(k -> !values.containsKey(k)).toList());
    }
    Map<String, long[]> view = Collections.unmodifiableMap(ordered);
    return new TensorSource() {
      @Override
      public Map<String, long[]> shapes() {
        return view;
      }

      @Override
      public float[] read(String key) {
        float[] v = values.get(key);
        if (v == null) {
          throw new IllegalArgumentException("expected one of the tensors " + values.keySet() + ", found " + key);
        }
        return v;
      }

      @Override
      public String toString() {
        return "TensorSource" + Arrays.toString(values.keySet().toArray());
      }
    };
  }
}
