package io.anytext2.trainer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorData;
import io.anytext2.exporter.ckpt.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The model's tensors by official checkpoint key (MODEL.md §4.3): every network parameter as a
 * float32 {@link NDArray} owned by this store, plus the tensors of the file that no network reads
 * (schedule buffers, BatchNorm counters, CLIP position ids, the unused CTC head of the style
 * recognizer), kept as bytes so that a saved checkpoint has the official layout.
 *
 * <p>A parameter is trainable or frozen by key; trainable ones carry a gradient. Shapes are fixed
 * at construction and every lookup checks them. The trainer packs the trainable parameters it
 * updates into one flat tensor ({@link #pack}, {@link PackedParameters}) so that the optimizer
 * works on whole buffers; lookups then return views of it, and checkpoints are unchanged.
 *
 * <p>Device: the parameters live on the device of the parent manager given at construction (the
 * training device); values are uploaded once when the store is built and copied back to the host
 * explicitly, one tensor at a time, when a checkpoint is written ({@link #data()}, {@link #read}).
 */
public final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  /** The parameters not packed, by key. */
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  /** Every parameter's shape (packed or not), in file order. */
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Map<String, Boolean> trainable = new LinkedHashMap<>();
  private final Map<NDArray, String> keyOf = new IdentityHashMap<>();
  /** Non-parameter tensors: their info and raw little-endian bytes. */
  private final Map<String, TensorInfo> extraInfo = new LinkedHashMap<>();
  private final Map<String, byte[]> extraBytes = new LinkedHashMap<>();
  /** Key order of the file (parameters and extras interleaved as they were read). */
  private final List<String> order = new ArrayList<>();
  /** Trainable parameters packed into one flat leaf ({@link #pack}); null until then. */
  private PackedParameters packed;

  private ParameterStore(NDManager parent) {
    this.manager = parent.newSubManager();
  }

  /**
   * Loads every key of {@code required} from {@code ckpt} (shape-checked, converted to float32);
   * keys the checkpoint has beyond those are kept as extras.
   *
   * @param trainable which parameter keys are trained
   */
  public static ParameterStore fromCheckpoint(
      NDManager parent, Checkpoint ckpt, Map<String, long[]> required, Predicate<String> trainable) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, long[]> e : required.entrySet()) {
      if (!ckpt.contains(e.getKey())) {
        missing.add(e.getKey());
      } else if (!Arrays.equals(ckpt.info(e.getKey()).shape(), e.getValue())) {
        throw new IllegalArgumentException("weight " + e.getKey() + ": expected shape " + Arrays.toString(e.getValue())
            + ", found " + Arrays.toString(ckpt.info(e.getKey()).shape()));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("checkpoint lacks " + missing.size() + " weights the model needs, e.g. "
          + String.join(", ", missing.subList(0, Math.min(3, missing.size()))));
    }
    ParameterStore store = new ParameterStore(parent);
    try {
      for (String key : ckpt.keys()) {
        if (required.containsKey(key)) {
          store.addParameter(key, required.get(key), ckpt.readFloats(key), trainable.test(key));
        } else {
          store.addExtra(ckpt.info(key), ckpt.readBytes(key));
        }
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * A store whose parameters come from {@code values} (key → float32 values for the given shape),
   * in the order of {@code shapes}; extras are supplied as (info, bytes).
   */
  public static ParameterStore create(NDManager parent, Map<String, long[]> shapes, Function<String, float[]> values,
      Predicate<String> trainable, Map<TensorInfo, byte[]> extras) {
    ParameterStore store = new ParameterStore(parent);
    try {
      extras.forEach(store::addExtra);
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        store.addParameter(e.getKey(), e.getValue(), values.apply(e.getKey()), trainable.test(e.getKey()));
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private void addParameter(String key, long[] shape, float[] values, boolean train) {
    long numel = 1;
    for (long d : shape) numel *= d;
    if (values.length != numel) {
      throw new IllegalArgumentException("weight " + key + ": expected " + numel + " values for shape " + Arrays.toString(shape)
          + ", found " + values.length);
    }
    NDArray a = HostArrays.floats(manager, values, shape);
    if (train) a.setRequiresGradient(true);
    params.put(key, a);
    shapes.put(key, shape.clone());
    trainable.put(key, train);
    keyOf.put(a, key);
    order.add(key);
  }

  private void addExtra(TensorInfo info, byte[] bytes) {
    extraInfo.put(info.key(), info);
    extraBytes.put(info.key(), bytes);
    order.add(info.key());
  }

  /**
   * The parameter {@code key}, checked to have exactly {@code shape}. A packed parameter is a view
   * of the flat leaf belonging to the current autograd graph ({@link #beginGraph}).
   */
  public NDArray get(String key, long... shape) {
    long[] s = shapes.get(key);
    if (s == null) throw new IllegalArgumentException("model has no parameter " + key);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException("weight " + key + ": expected shape " + Arrays.toString(shape) + ", found "
          + Arrays.toString(s));
    }
    return get(key);
  }

  /** The parameter {@code key}, any shape. */
  public NDArray get(String key) {
    if (packed != null && packed.contains(key)) return packed.view(key);
    NDArray a = params.get(key);
    if (a == null) throw new IllegalArgumentException("model has no parameter " + key);
    return a;
  }

  public boolean contains(String key) {
    return shapes.containsKey(key);
  }

  /** The key of a parameter array (identity; a packed parameter's view of the current graph), or null when {@code a} is not a parameter. */
  public String keyOf(NDArray a) {
    String key = keyOf.get(a);
    return key != null || packed == null ? key : packed.keyOf(a);
  }

  /**
   * Packs the trainable parameters {@code keys} into one flat leaf with one gradient (see
   * {@link PackedParameters}); their values are copied and their separate arrays freed. Call
   * outside a gradient collector, with their gradients consumed (the optimizer packs right after
   * its first step). At most once per store.
   */
  public PackedParameters pack(List<String> keys) {
    if (packed != null) throw new IllegalStateException("parameters are already packed");
    for (String key : keys) {
      if (!isTrainable(key) || !params.containsKey(key)) throw new IllegalArgumentException("expected trainable parameters to pack, found " + key);
    }
    packed = PackedParameters.of(keys, shapes, manager, params::get);
    for (String key : keys) {
      NDArray old = params.remove(key);
      keyOf.remove(old);
      old.close();
    }
    return packed;
  }

  /** The packed parameters, or null when none are. */
  public PackedParameters packed() {
    return packed;
  }

  /**
   * Starts a new autograd graph: packed parameters get fresh views (of their current values) on
   * their next use. {@link DjlOps#scope(NDManager)} calls it for every new scope.
   */
  public void beginGraph() {
    if (packed != null) packed.dropViews();
  }

  public boolean isTrainable(String key) {
    return Boolean.TRUE.equals(trainable.get(key));
  }

  /** Parameter keys in file order. */
  public List<String> parameterKeys() {
    return Collections.unmodifiableList(new ArrayList<>(shapes.keySet()));
  }

  /** Trainable parameter keys in file order. */
  public List<String> trainableKeys() {
    List<String> out = new ArrayList<>();
    trainable.forEach((k, t) -> {
      if (t) out.add(k);
    });
    return out;
  }

  /** Number of values over the trainable parameters. */
  public long trainableCount() {
    long n = 0;
    for (String k : trainableKeys()) n += new ai.djl.ndarray.types.Shape(shapes.get(k)).size();
    return n;
  }

  /** An extra (non-parameter) tensor's float values, e.g. {@code alphas_cumprod}; null when absent. */
  public float[] extraFloats(String key) {
    TensorInfo info = extraInfo.get(key);
    return info == null ? null : TensorCodec.decodeFloats(extraBytes.get(key), info.dtype());
  }

  /** Adds 1 to an int64 scalar counter such as a BatchNorm's {@code num_batches_tracked}, if the file has it. */
  public void incrementCounter(String key) {
    TensorInfo info = extraInfo.get(key);
    if (info == null || info.numel() != 1) return;
    if (info.dtype() == DType.I64) {
      long v = TensorCodec.decodeLongs(extraBytes.get(key), DType.I64)[0];
      extraBytes.put(key, TensorCodec.encodeLongs(new long[] {v + 1}, DType.I64));
    } else if (info.dtype() == DType.F32) { // a counter a float-only checkpoint stored as float32
      float v = TensorCodec.decodeFloats(extraBytes.get(key), DType.F32)[0];
      extraBytes.put(key, TensorCodec.encodeFloats(new float[] {v + 1}, DType.F32));
    }
  }

  /** Every tensor of the state dict in file order, parameters as float32. */
  public List<TensorInfo> tensors() {
    List<TensorInfo> out = new ArrayList<>();
    for (String key : order) {
      long[] s = shapes.get(key);
      out.add(s != null ? new TensorInfo(key, DType.F32, s.clone()) : extraInfo.get(key));
    }
    return out;
  }

  /** Streams the current values in the layout of {@link #tensors()} (for the checkpoint writers). */
  public TensorData data() {
    return (info, out) -> {
      if (!shapes.containsKey(info.key())) {
        out.write(extraBytes.get(info.key()));
        return;
      }
      float[] v = read(info.key());
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      out.write(b.array());
    };
  }

  /** Overwrites parameter {@code key} with {@code values} (same element count), e.g. when resuming. */
  public void set(String key, float[] values) {
    if (packed != null && packed.contains(key)) {
      packed.set(key, values);
      return;
    }
    NDArray p = get(key);
    if (p.size() != values.length) {
      throw new IllegalArgumentException("weight " + key + ": expected " + p.size() + " values, found " + values.length);
    }
    p.set(values);
  }

  /** Parameter {@code key}'s current values, copied to the host. */
  public float[] read(String key) {
    if (packed != null && packed.contains(key)) return packed.read(key);
    return HostArrays.read(get(key));
  }

  /** The device the parameters live on. */
  public ai.djl.Device device() {
    return manager.getDevice();
  }

  /** The manager that owns the parameters (optimizer state may live beside them). */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
