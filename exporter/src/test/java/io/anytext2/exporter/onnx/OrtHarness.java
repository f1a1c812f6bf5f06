package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exporter tests' one ONNX Runtime harness: saves graphs, runs them on CPU with all graph
 * optimisations (as the sdk's SessionFactory opens them) and compares results. Public because
 * the parity and package tests run their graphs with it too.
 */
public final class OrtHarness {
  private OrtHarness() {}

  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** Saves {@code op} as {@code dir/name.onnx} and returns the model path. */
  static Path save(OnnxOps op, Path dir, String name) throws IOException {
    Path file = dir.resolve(name + ".onnx");
    op.save(file);
    return file;
  }

  /** Opens {@code model} for several runs (the caller closes the session). */
  public static OrtSession session(Path model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return ENV.createSession(model.toString(), options);
    }
  }

  /** Runs the model once; float outputs by name, in the model's output order. */
  public static Map<String, Tensor> run(Path model, Map<String, Tensor> feeds) throws OrtException {
    try (OrtSession session = session(model)) {
      return run(session, feeds);
    }
  }

  /** Runs an open session once; float outputs by name, in the model's output order. */
  public static Map<String, Tensor> run(OrtSession session, Map<String, Tensor> feeds)
      throws OrtException {
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
        Tensor t = e.getValue();
        OnnxTensor ot =
            t.data() != null
                ? OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.data()), t.shape())
                : OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.ids()), t.shape());
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
      for (OnnxTensor t : created) t.close();
    }
  }

  /** Asserts |actual - expected| <= tol · (1 + |expected|) elementwise and equal shapes. */
  static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double worst = maxError(expected, actual);
    if (Boolean.getBoolean("anytext2.printErrors"))
      System.out.printf("max scaled error %.3g  %s%n", worst, what);
    assertTrue(worst <= tol, what + ": max scaled error " + worst + " > " + tol);
  }

  /** max |a - e| / (1 + |e|). */
  static double maxError(Tensor expected, Tensor actual) {
    double worst = 0;
    for (int i = 0; i < expected.data().length; i++) {
      double e = expected.data()[i];
      double err = Math.abs(actual.data()[i] - e) / (1 + Math.abs(e));
      if (!(err <= worst)) worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
    return worst;
  }

  /** max |a - e| after asserting equal shapes; NaN anywhere gives infinity. */
  public static double maxAbsError(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double worst = 0;
    for (int i = 0; i < expected.data().length; i++) {
      double err = Math.abs((double) actual.data()[i] - expected.data()[i]);
      if (!(err <= worst)) worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
    return worst;
  }
}
