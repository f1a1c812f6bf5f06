package io.anytext2.exporter.parity;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.WeightSource;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tiny parity fixture (shared/parity/tiny): the official-layout checkpoint as a {@link
 * WeightSource}, the reference tensors of {@code fixtures.safetensors}, and a way to build a graph
 * with {@link OnnxOps}, run it in ONNX Runtime (CPU) and read its outputs.
 */
final class TinyParity implements AutoCloseable {
  /** A float32 or int64 tensor, row-major. Exactly one of {@code floats} / {@code longs} is set. */
  record Tensor(float[] floats, long[] longs, long[] shape) {
    static Tensor of(float[] data, long... shape) {
      return new Tensor(data, null, shape);
    }

    static Tensor ofLongs(long[] data, long... shape) {
      return new Tensor(null, data, shape);
    }
  }

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private final Checkpoint weights;
  private final Checkpoint fixtures;
  private final Path workDir;

  private TinyParity(Checkpoint weights, Checkpoint fixtures, Path workDir) {
    this.weights = weights;
    this.fixtures = fixtures;
    this.workDir = workDir;
  }

  /** Opens the fixture, or skips the calling test when {@code anytext2.parity.dir} is absent. */
  static TinyParity open(Path workDir) {
    String dir = System.getProperty("anytext2.parity.dir");
    assumeTrue(dir != null, "system property anytext2.parity.dir is not set; parity test skipped");
    Path tiny = Path.of(dir, "tiny");
    Path model = tiny.resolve("model.ckpt");
    if (!Files.isRegularFile(model)) model = tiny.resolve("model.safetensors");
    Path tensors = tiny.resolve("fixtures.safetensors");
    assumeTrue(Files.isRegularFile(model) && Files.isRegularFile(tensors), "tiny parity fixture not found under " + tiny + "; skipped");
    return new TinyParity(Checkpoints.open(model), Checkpoints.open(tensors), workDir);
  }

  Checkpoint weights() {
    return weights;
  }

  /** A reference tensor of fixtures.safetensors as float32 (integer tensors converted). */
  Tensor fixture(String name) {
    return Tensor.of(fixtures.readFloats(name), fixtures.info(name).shape());
  }

  Tensor fixtureLongs(String name) {
    return Tensor.ofLongs(fixtures.readLongs(name), fixtures.info(name).shape());
  }

  /** Builds a graph named {@code name}, weights from the checkpoint checked against the requested shapes. */
  Path build(String name, Consumer<OnnxOps> body) throws IOException {
    WeightSource source = (key, shape) -> {
      long[] stored = weights.info(key).shape();
      if (!Arrays.equals(stored, shape)) {
        throw new IllegalArgumentException("weight " + key + ": expected shape " + Arrays.toString(shape) + ", found " + Arrays.toString(stored));
      }
      return weights.readFloats(key);
    };
    Path file = workDir.resolve(name + ".onnx");
    try (OnnxOps op = new OnnxOps(name, source)) {
      body.accept(op);
      op.save(file);
    }
    return file;
  }

  /** Runs {@code model} once on CPU; float outputs by name. */
  static Map<String, Tensor> run(Path model, Map<String, Tensor> feeds) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = ENV.createSession(model.toString(), options)) {
      List<OnnxTensor> created = new ArrayList<>();
      try {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
          Tensor t = e.getValue();
          OnnxTensor ot = t.floats() != null
              ? OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.floats()), t.shape())
              : OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.longs()), t.shape());
          created.add(ot);
          inputs.put(e.getKey(), ot);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(inputs)) {
          for (Map.Entry<String, OnnxValue> e : result) {
            OnnxTensor ot = (OnnxTensor) e.getValue();
            FloatBuffer fb = ot.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            out.put(e.getKey(), Tensor.of(data, ot.getInfo().getShape()));
          }
        }
        return out;
      } finally {
        created.forEach(OnnxTensor::close);
      }
    }
  }

  /** max |actual − expected| after checking that the shapes agree. */
  static double maxAbsError(Tensor expected, Tensor actual, String what) {
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      throw new AssertionError(what + ": expected shape " + Arrays.toString(expected.shape()) + ", found " + Arrays.toString(actual.shape()));
    }
    double worst = 0;
    for (int i = 0; i < expected.floats().length; i++) {
      double err = Math.abs((double) actual.floats()[i] - expected.floats()[i]);
      if (!(err <= worst)) worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
    return worst;
  }

  @Override
  public void close() {
    weights.close();
    fixtures.close();
  }
}
