package io.anytext2.eval;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.runtime.SessionFactory;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-supplied ONNX model (recognizer, CLIP encoder, Inception) with one session. Inputs are
 * float tensors or integer ids (sent as int64 or int32, whatever the graph declares); outputs are
 * read as float32. Thread-safe like the session it wraps.
 */
public final class OnnxModel implements AutoCloseable {
  private final String what;
  private final Path file;
  private final OrtSession session;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();

  private OnnxModel(String what, Path file, OrtSession session) {
    this.what = what;
    this.file = file;
    this.session = session;
  }

  /** Integer ids for an int64/int32 input. */
  public record Ids(long[] data, long[] shape) {}

  /** Opens {@code file} with the run's execution providers; {@code what} names it in errors. */
  public static OnnxModel open(Path file, RuntimeOptions options, String what) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(what + " " + file + " does not exist");
    try {
      return new OnnxModel(what, file, new SessionFactory(options).open(file));
    } catch (OrtException e) {
      throw new IllegalArgumentException(what + " " + file + " cannot be loaded (" + firstLine(e.getMessage()) + ")", e);
    }
  }

  public Path file() {
    return file;
  }

  /** Input names in graph order. */
  public List<String> inputNames() {
    return new ArrayList<>(session.getInputNames());
  }

  /** Output names in graph order. */
  public List<String> outputNames() {
    return new ArrayList<>(session.getOutputNames());
  }

  /** Declared shape of an input or output (-1 for dynamic dimensions). */
  public long[] shape(String name) {
    return tensorInfo(name).getShape();
  }

  /** The first output named like one of {@code preferred}, else the first output of rank {@code rank}. */
  public String pickOutput(int rank, String... preferred) {
    List<String> outs = outputNames();
    for (String p : preferred) if (outs.contains(p)) return p;
    for (String o : outs) if (tensorInfo(o).getShape().length == rank) return o;
    throw new IllegalArgumentException("expected " + what + " " + file.getFileName() + " to have an output of rank " + rank
        + " (or one named " + String.join("/", preferred) + "), found " + outs);
  }

  /** Runs the graph on named inputs ({@link FloatTensor} or {@link Ids}); returns the requested outputs. */
  public Map<String, FloatTensor> run(Map<String, Object> inputs, List<String> outputs) {
    Map<String, OnnxTensor> nat = new HashMap<>();
    try {
      for (Map.Entry<String, Object> e : inputs.entrySet()) nat.put(e.getKey(), toNative(e.getKey(), e.getValue()));
      try (OrtSession.Result r = session.run(nat, new java.util.LinkedHashSet<>(outputs))) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          if (t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("expected float32 output '" + e.getKey() + "' from " + what + ", found " + t.getInfo().type);
          }
          FloatBuffer fb = t.getFloatBuffer();
          float[] data = new float[fb.remaining()];
          fb.get(data);
          out.put(e.getKey(), new FloatTensor(data, t.getInfo().getShape()));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(what + " " + file.getFileName() + " failed: " + firstLine(e.getMessage()), e);
    } finally {
      nat.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor toNative(String name, Object v) throws OrtException {
    if (v instanceof FloatTensor f) return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
    if (v instanceof Ids ids) {
      if (tensorInfo(name).type == OnnxJavaType.INT32) {
        int[] d = new int[ids.data().length];
        for (int i = 0; i < d.length; i++) d[i] = Math.toIntExact(ids.data()[i]);
        return OnnxTensor.createTensor(env, IntBuffer.wrap(d), ids.shape());
      }
      return OnnxTensor.createTensor(env, LongBuffer.wrap(ids.data()), ids.shape());
    }
    throw new IllegalArgumentException("input " + name + " of " + what + ": unsupported value " + v);
  }

  private TensorInfo tensorInfo(String name) {
    try {
      NodeInfo n = session.getInputInfo().get(name);
      if (n == null) n = session.getOutputInfo().get(name);
      if (n == null || !(n.getInfo() instanceof TensorInfo ti)) {
        throw new IllegalArgumentException(what + " " + file.getFileName() + " has no tensor named '" + name + "'");
      }
      return ti;
    } catch (OrtException e) {
      throw new IllegalStateException(what + " " + file.getFileName() + ": " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing " + what + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
