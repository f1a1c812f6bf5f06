package io.anytext2.trainer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trainable parameters stored back to back in one flat float32 tensor, the autograd leaf: the
 * optimizer then reads one gradient and updates every parameter with a handful of whole-buffer
 * operations instead of ~17 per parameter (host overhead per training step, each operation being a
 * JNI call and a kernel launch).
 *
 * <p>The networks see each parameter as a view of the flat tensor with its own shape. The views of
 * one autograd graph come from one {@code split} of the leaf (one call), made afresh for every
 * graph ({@link #dropViews}): backward then sums the gradients of all views into the leaf's flat
 * gradient. Views made outside a gradient collector carry no graph and serve evaluation.
 *
 * <p>Every parameter starts at a multiple of {@value #ALIGN} elements (16 bytes, what vectorised
 * GPU kernels want); the few padding elements in between get zero gradients and stay zero.
 */
public final class PackedParameters {
  static final int ALIGN = 4;

  private final List<String> keys;
  private final Map<String, Integer> slot = new HashMap<>();
  private final long[][] shapes;
  private final long[] offsets;
  private final long[] sizes;
  /** The split of the flat tensor: per key its size, padding segments in between. */
  private final long[] segments;
  private final int[] segmentOfKey;
  private final long total;
  private final NDManager manager;
  private final NDArray flat;
  private NDManager viewManager;
  private Map<String, NDArray> views;
  private final Map<NDArray, String> viewKeys = new IdentityHashMap<>();

  private PackedParameters(List<String> keys, Map<String, long[]> shapeOf, NDManager manager, Function<String, NDArray> values) {
    this.keys = List.copyOf(keys);
    this.manager = manager;
    int n = keys.size();
    shapes = new long[n][];
    offsets = new long[n];
    sizes = new long[n];
    segmentOfKey = new int[n];
    List<Long> segs = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < n; i++) {
      String key = keys.get(i);
      slot.put(key, i);
      shapes[i] = shapeOf.get(key).clone();
      sizes[i] = new Shape(shapes[i]).size();
      long gap = (ALIGN - at % ALIGN) % ALIGN;
      if (gap > 0) segs.add(gap);
      at += gap;
      offsets[i] = at;
      segmentOfKey[i] = segs.size();
      segs.add(sizes[i]);
      at += sizes[i];
    }
    total = at;
    segments = segs.stream().mapToLong(Long::longValue).toArray();
    flat = pack(values, manager);
    flat.setRequiresGradient(true);
  }

  /**
   * Packs the parameters {@code keys} (shapes from {@code shapeOf}, current values from
   * {@code values}) into a new flat leaf owned by {@code manager}.
   */
  static PackedParameters of(List<String> keys, Map<String, long[]> shapeOf, NDManager manager, Function<String, NDArray> values) {
    if (keys.isEmpty()) throw new IllegalArgumentException("expected parameters to pack, found none");
    return new PackedParameters(keys, shapeOf, manager, values);
  }

  /**
   * A flat float32 tensor of this layout on {@code owner} holding {@code values} per key (any
   * shape with the key's element count) and zeros in the padding; no gradient.
   */
  public NDArray pack(Function<String, NDArray> values, NDManager owner) {
    try (NDManager tmp = owner.newSubManager()) {
      NDList parts = new NDList();
      long at = 0;
      for (int i = 0; i < keys.size(); i++) {
        if (offsets[i] > at) parts.add(tmp.zeros(new Shape(offsets[i] - at)));
        NDArray part = values.apply(keys.get(i)).reshape(sizes[i]);
        part.attach(tmp);
        parts.add(part);
        at = offsets[i] + sizes[i];
      }
      NDArray out = parts.size() == 1 ? parts.get(0).duplicate() : ai.djl.ndarray.NDArrays.concat(parts, 0);
      out.attach(owner);
      return out;
    }
  }

  /** The packed keys, in buffer order. */
  public List<String> keys() {
    return keys;
  }

  public boolean contains(String key) {
    return slot.containsKey(key);
  }

  /** The flat leaf [total] (requires a gradient). */
  public NDArray flat() {
    return flat;
  }

  /**
   * Views of {@code like} (a flat tensor of this layout: the leaf, its gradient, an optimizer
   * moment) per key, 1-D, in {@link #keys()} order; owned by {@code like}'s manager.
   */
  public List<NDArray> split(NDArray like) {
    if (like.size() != total) throw new IllegalArgumentException("expected a flat tensor of " + total + " values, found " + like.size());
    NDList parts = JniUtils.split((PtNDArray) like, segments, 0);
    List<NDArray> out = new ArrayList<>(keys.size());
    int next = 0;
    for (int s = 0; s < parts.size(); s++) {
      if (next < keys.size() && segmentOfKey[next] == s) {
        out.add(parts.get(s));
        next++;
      } else {
        parts.get(s).close(); // padding
      }
    }
    OpCounter.ops(1);
    return out;
  }

  /** The current graph's view of parameter {@code key} (made with all others on first use after {@link #dropViews}). */
  NDArray view(String key) {
    if (views == null) makeViews();
    return views.get(key);
  }

  /** The key of a view of the current graph, else null. */
  String keyOf(NDArray a) {
    return viewKeys.get(a);
  }

  /** Forgets the current graph's views; the next {@link #view} makes new ones (from the leaf's current values). */
  void dropViews() {
    if (viewManager != null) viewManager.close();
    viewManager = null;
    views = null;
    viewKeys.clear();
  }

  private void makeViews() {
    viewManager = manager.newSubManager();
    views = new LinkedHashMap<>();
    List<NDArray> parts = split(flat);
    for (int i = 0; i < keys.size(); i++) {
      NDArray v = parts.get(i);
      if (shapes[i].length != 1) {
        NDArray shaped = v.reshape(new Shape(shapes[i]));
        v.close();
        v = shaped;
        OpCounter.ops(1);
      }
      v.attach(viewManager);
      views.put(keys.get(i), v);
      viewKeys.put(v, keys.get(i));
    }
  }

  /** Parameter {@code key}'s values, copied to the host. */
  float[] read(String key) {
    try (NDArray v = slice(flat, key)) {
      return HostArrays.read(v);
    }
  }

  /** Overwrites parameter {@code key} in place (outside a gradient collector). */
  void set(String key, float[] values) {
    set(flat, key, values);
  }

  /** Overwrites {@code key}'s segment of {@code like} (a flat tensor of this layout) in place. */
  public void set(NDArray like, String key, float[] values) {
    int i = index(key);
    if (values.length != sizes[i]) {
      throw new IllegalArgumentException(key + ": expected " + sizes[i] + " values, found " + values.length);
    }
    try (NDManager tmp = manager.newSubManager()) {
      like.set(new NDIndex().addSliceDim(offsets[i], offsets[i] + sizes[i]), HostArrays.floats(tmp, values, sizes[i]));
    }
  }

  /** A 1-D view of {@code key}'s segment of {@code like}, owned by the caller. */
  NDArray slice(NDArray like, String key) {
    int i = index(key);
    return like.get(new NDIndex().addSliceDim(offsets[i], offsets[i] + sizes[i]));
  }

  private int index(String key) {
    Integer i = slot.get(key);
    if (i == null) throw new IllegalArgumentException("parameter " + key + " is not packed");
    return i;
  }
}
