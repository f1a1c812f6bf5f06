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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Saves graphs, runs them in ONNX Runtime (CPU, all graph optimisations) and compares results. */
final class OrtHarness {
  private OrtHarness() {}

  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** Saves {@code op} as {@code dir/name.onnx} and returns the model path. */
  static Path save(OnnxOps op, Path dir, String name) throws IOException {
    Path file = dir.resolve(name + ".onnx");
    op.save(file);
    return file;
  }

  /** Runs the model once; outputs by name. */
  static Map<String, Tensor> run(Path model, Map<String, Tensor> feeds) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = ENV.createSession(model.toString(), options)) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
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
}
