package io.anytext2.trainer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.HashMap;
import java.util.Map;

/**
 * The constants of {@link DjlOps} — rank-0 scalars (an eps, a scale factor), small constant tensors
 * of the networks (CLIP's causal mask, timestep frequencies) and the unit affine of the group norm —
 * made once and reused, instead of one fill or one upload per use (each a tensor operation on the
 * host's critical path, an upload on a GPU also a wait for the device).
 *
 * <p>They live in an owner manager: by default the scope of the current graph (the cache is
 * emptied when the scope changes), or, after {@link #keepIn}, a manager that outlives the steps
 * (the trainer's), so that a constant is uploaded once per run. Nothing here takes part in
 * autograd or is modified in place. At most {@value #MAX_ENTRIES} entries per kind are kept; values
 * beyond (e.g. a per-step scalar) are made in the scope as before.
 */
final class DeviceConstants {
  static final int MAX_ENTRIES = 256;

  private final Map<Integer, NDArray> scalars = new HashMap<>();
  private final Map<FloatTensor, NDArray> arrays = new HashMap<>();
  private final Map<Long, NDArray> ones = new HashMap<>();
  private final Map<Long, NDArray> zeros = new HashMap<>();
  private NDManager owner;
  private boolean persistent;

  /** Keeps the constants in {@code manager} from now on (emptied of those made so far). */
  void keepIn(NDManager manager) {
    clear();
    owner = manager;
    persistent = manager != null;
  }

  /** The graph's scope changed: unless kept elsewhere, the constants follow it. */
  void scopeChanged(NDManager scope) {
    if (persistent) return;
    clear();
    owner = scope;
  }

  private void clear() {
    scalars.clear();
    arrays.clear();
    ones.clear();
    zeros.clear();
  }

  /** A rank-0 float32 {@code value}, filled on the device once. */
  NDArray scalar(float value, NDManager scope) {
    return cached(scalars, Float.floatToIntBits(value), m -> HostArrays.scalar(m, value), scope);
  }

  /** {@code values} as a float32 tensor of {@code shape}, uploaded once. */
  NDArray constant(float[] values, long[] shape, NDManager scope) {
    return cached(arrays, new FloatTensor(values.clone(), shape), m -> HostArrays.floats(m, values, shape), scope);
  }

  /** [n] ones, filled on the device once. */
  NDArray ones(long n, NDManager scope) {
    return cached(ones, n, m -> {
      OpCounter.ops(1);
      return m.ones(new Shape(n), DataType.FLOAT32);
    }, scope);
  }

  /** [n] zeros, filled on the device once. */
  NDArray zeros(long n, NDManager scope) {
    return cached(zeros, n, m -> {
      OpCounter.ops(1);
      return m.zeros(new Shape(n), DataType.FLOAT32);
    }, scope);
  }

  private <K> NDArray cached(Map<K, NDArray> cache, K key, java.util.function.Function<NDManager, NDArray> make, NDManager scope) {
    NDArray hit = cache.get(key);
    if (hit != null) return hit;
    if (owner == null || cache.size() >= MAX_ENTRIES) {
      NDArray made = make.apply(scope);
      if (made.getManager() != scope) made.attach(scope);
      return made;
    }
    NDArray made = make.apply(owner);
    if (made.getManager() != owner) made.attach(owner);
    cache.put(key, made);
    return made;
  }
}
