package io.anytext2.sdk.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One graph of a model package with its own ONNX Runtime session. The graph's inputs and outputs
 * are checked against the manifest when it is opened. Calls take and return host tensors; every
 * native tensor created for a call is closed before the call returns.
 *
 * <p>Thread safety: ONNX Runtime sessions may be run concurrently, and this class keeps no
 * per-call state, so {@link #run} is thread-safe.
 */
public final class GraphStage implements AutoCloseable {
  private final String name;
  private final OrtSession session;
  private final ModelManifest.Graph spec;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  /** Per-call options (arena shrinkage in low-GPU-memory mode); null for ONNX Runtime's defaults. */
  private final OrtSession.RunOptions runOptions;
  private final AtomicLong calls = new AtomicLong();
  /** Whether the session was opened recording ONNX Runtime's profile ({@link SessionFactory#PROFILE_PROPERTY} set then). */
  private final boolean profiled;

  private GraphStage(String name, OrtSession session, ModelManifest.Graph spec, OrtSession.RunOptions runOptions) {
    this.name = name;
    this.session = session;
    this.spec = spec;
    this.runOptions = runOptions;
    this.profiled = SessionFactory.profileFolder() != null;
  }

  /** Opens graph {@code name} of the package with the factory's provider choice. */
  public static GraphStage open(ModelPackage pkg, String name, SessionFactory factory) {
    ModelManifest.Graph spec = pkg.graph(name);
    OrtSession s;
    try {
      s = factory.open(pkg.resolve(spec.file()));
    } catch (OrtException e) {
      throw new ModelLoadException("cannot load graph '" + name + "' (" + spec.file() + "): " + firstLine(e.getMessage()), e);
    }
    try {
      check(name, spec, s);
      return new GraphStage(name, s, spec, factory.runOptions(factory.chosen()));
    } catch (OrtException | RuntimeException e) {
      try {
        s.close();
      } catch (OrtException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof OrtException oe) {
        throw new ModelLoadException("graph '" + name + "': cannot create run options: " + firstLine(oe.getMessage()), oe);
      }
      throw (RuntimeException) e;
    }
  }

  public String name() {
    return name;
  }

  /**
   * Runs the graph. Inputs are {@link FloatTensor}s or {@link LongInput}s by input name; returns
   * every output as a float tensor, by name.
   */
  public Map<String, FloatTensor> run(Map<String, Object> inputs) {
    return run(inputs, null);
  }

  /**
   * Runs the graph with {@code pinned} (inputs converted once, see {@link #pin}) added to {@code
   * inputs}; the pinned tensors stay open for the next call.
   */
  public Map<String, FloatTensor> run(Map<String, Object> inputs, Pinned pinned) {
    Map<String, OnnxTensor> native_ = new HashMap<>();
    try {
      convert(inputs, false, native_);
      Map<String, OnnxTensor> all = native_;
      if (pinned != null) {
        all = new HashMap<>(pinned.tensors);
        for (String k : native_.keySet()) {
          if (all.containsKey(k)) throw new IllegalArgumentException("input " + k + " of graph " + name + " given twice");
        }
        all.putAll(native_);
      }
      try (OrtSession.Result r = invoke(all)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) out.put(e.getKey(), toFloatTensor((OnnxTensor) e.getValue()));
        return out;
      }
    } catch (OrtException e) {
      throw new InferenceException("graph '" + name + "' failed: " + firstLine(e.getMessage()), e);
    } finally {
      native_.values().forEach(OnnxTensor::close);
    }
  }

  /** How many times this graph has run (both {@code run} forms). */
  public long calls() {
    return calls.get();
  }

  /** An int64 input (token ids). */
  public record LongInput(long[] data, long[] shape) {}

  /**
   * Inputs held as native tensors in direct memory across calls, e.g. the contexts that every UNet call of a request
   * reads: ONNX Runtime's Java API has no I/O binding, so this saves the per-call allocation and copy on the Java side
   * (the copy to the device stays).
   */
  public static final class Pinned implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors;

    private Pinned(Map<String, OnnxTensor> tensors) {
      this.tensors = tensors;
    }

    @Override
    public void close() {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /** Converts {@code inputs} to native tensors for {@link #run(Map, Pinned)}; the caller closes them. */
  public Pinned pin(Map<String, Object> inputs) {
    Map<String, OnnxTensor> converted = new HashMap<>();
    try {
      convert(inputs, true, converted);
      return new Pinned(converted);
    } catch (OrtException | RuntimeException e) {
      converted.values().forEach(OnnxTensor::close);
      throw new InferenceException("graph '" + name + "': cannot create input tensors: " + firstLine(e.getMessage()), e);
    }
  }

  /** One session call with this graph's run options, counted. */
  private OrtSession.Result invoke(Map<String, OnnxTensor> inputs) throws OrtException {
    calls.incrementAndGet();
    return runOptions == null ? session.run(inputs) : session.run(inputs, runOptions);
  }

  /** Converts every input into {@code into} (so that a caller's cleanup sees those made before a failure). */
  private void convert(Map<String, Object> inputs, boolean direct, Map<String, OnnxTensor> into) throws OrtException {
    for (Map.Entry<String, Object> e : inputs.entrySet()) into.put(e.getKey(), toNative(e.getKey(), e.getValue(), direct));
  }

  private static FloatTensor toFloatTensor(OnnxTensor t) {
    long[] shape = t.getInfo().getShape();
    FloatBuffer fb = t.getFloatBuffer();
    float[] data = new float[fb.remaining()];
    fb.get(data);
    return new FloatTensor(data, shape);
  }

  private OnnxTensor toNative(String input, Object v, boolean direct) throws OrtException {
    if (v instanceof FloatTensor f) {
      if (direct) {
        FloatBuffer fb = java.nio.ByteBuffer.allocateDirect(4 * f.data().length).order(java.nio.ByteOrder.nativeOrder())
            .asFloatBuffer();
        fb.put(f.data()).rewind();
        return OnnxTensor.createTensor(env, fb, f.shape());
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
    }
    if (v instanceof LongInput l) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(l.data()), l.shape());
    }
    throw new IllegalArgumentException("input " + input + " of graph " + name + ": unsupported value " + v);
  }

  private static void check(String name, ModelManifest.Graph spec, OrtSession s) {
    try {
      Map<String, NodeInfo> in = s.getInputInfo();
      Map<String, NodeInfo> out = s.getOutputInfo();
      List<String> problems = new ArrayList<>();
      for (ModelManifest.Tensor t : spec.inputs()) compare("input", t, in.get(t.name()), problems);
      for (ModelManifest.Tensor t : spec.outputs()) compare("output", t, out.get(t.name()), problems);
      if (in.size() != spec.inputs().size()) problems.add("graph has " + in.size() + " inputs, manifest " + spec.inputs().size());
      if (!problems.isEmpty()) {
        throw new ModelLoadException("graph '" + name + "' does not match the manifest: " + String.join("; ", problems));
      }
    } catch (OrtException e) {
      throw new ModelLoadException("graph '" + name + "': " + e.getMessage(), e);
    }
  }

  private static void compare(String kind, ModelManifest.Tensor t, NodeInfo info, List<String> problems) {
    if (info == null) {
      problems.add(kind + " '" + t.name() + "' missing");
      return;
    }
    if (!(info.getInfo() instanceof TensorInfo ti)) {
      problems.add(kind + " '" + t.name() + "' is not a tensor");
      return;
    }
    long[] shape = ti.getShape();
    if (shape.length != t.shape().size()) {
      problems.add(kind + " '" + t.name() + "' has rank " + shape.length + ", manifest " + t.shape().size());
      return;
    }
    for (int i = 0; i < shape.length; i++) {
      Object m = t.shape().get(i);
      if (m instanceof Number n && shape[i] >= 0 && shape[i] != n.longValue()) {
        problems.add(kind + " '" + t.name() + "' dim " + i + " is " + shape[i] + ", manifest " + n);
      }
    }
    String dtype = switch (ti.type) {
      case FLOAT -> "float32";
      case FLOAT16 -> "float16";
      case INT64 -> "int64";
      default -> ti.type.toString().toLowerCase(java.util.Locale.ROOT);
    };
    if (!dtype.equals(t.dtype())) problems.add(kind + " '" + t.name() + "' is " + dtype + ", manifest " + t.dtype());
  }

  @Override
  public void close() {
    if (runOptions != null) runOptions.close();
    try {
      if (profiled) {
        org.slf4j.LoggerFactory.getLogger(GraphStage.class).info("ONNX Runtime profile of {}: {}", name, session.endProfiling());
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ending the profile of graph " + name + ": " + e.getMessage(), e);
    } finally {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing graph " + name + ": " + e.getMessage(), e);
      }
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
