package io.anytext2.exporter.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import io.anytext2.exporter.onnx.WeightSource;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UNet and ControlNet graphs, built by the {@code nn} code through {@link OnnxOps} with the
 * tiny fixture checkpoint's weights and run in ONNX Runtime (CPU), against the reference tensors of
 * the original implementation (parity/README.md, sections (c), (d); tolerances from "Tolerances":
 * max abs ≤ 1e-4, or ≤ 1e-5 relative to max |reference| for the large ControlNet residuals).
 */
class UNetControlNetParityTest {
  private static final double ABS_TOL = 1e-4;
  private static final double REL_TOL = 1e-5;
  private static final int CONTROLS = 13;
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @TempDir static Path tmp;
  private static Path tiny;
  private static Checkpoint weights;
  private static Checkpoint fixtures;
  private static AnyText2Config config;

  @BeforeAll
  static void open() throws IOException {
    String dir = System.getProperty("anytext2.parity.dir");
    tiny = dir == null ? null : Path.of(dir, "tiny");
    assumeTrue(tiny != null && Files.isRegularFile(tiny.resolve("model.ckpt")) && Files.isRegularFile(tiny.resolve("fixtures.safetensors")),
        "parity fixtures not found (set -Danytext2.parity.dir to the folder holding tiny/model.ckpt and tiny/fixtures.safetensors)");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> root = yaml.readValue(tiny.resolve("tiny.yaml").toFile(), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> clip = json.readValue(tiny.resolve("tiny_clip/config.json").toFile(), Map.class);
    config = AnyText2Config.fromYaml(root, ClipConfig.fromJson(clip), OcrConfig.official());
    weights = Checkpoints.open(tiny.resolve("model.ckpt"));
    fixtures = Checkpoints.open(tiny.resolve("fixtures.safetensors"));
  }

  @AfterAll
  static void close() {
    if (weights != null) weights.close();
    if (fixtures != null) fixtures.close();
  }

  // ---------------------------------------------------------------- ControlNet

  @Test
  void controlNetMatchesTheReferenceResidualsForBothBranchesOfBothRequests() throws Exception {
    Path model = tmp.resolve("controlnet.onnx");
    try (OnnxOps op = new OnnxOps("controlnet", checkpointWeights())) {
      Value glyph = op.input("glyph_mask", ElemType.FLOAT, "batch", 1L, "height", "width");
      Value position = op.input("position_sum", ElemType.FLOAT, "batch", 1L, "height", "width");
      Value maskedX = op.input("masked_x", ElemType.FLOAT, "batch", 4L, "latent_height", "latent_width");
      Value context = op.input("context", ElemType.FLOAT, "batch", "tokens", (long) config.controlNet().contextDim());
      List<Value> outs = new ControlNetModel(config.controlNet(), "control_model.").forward(op, glyph, position, maskedX, context);
      assertEquals(CONTROLS, outs.size());
      for (int k = 0; k < outs.size(); k++) op.output(control(k), outs.get(k));
      op.save(model);
    }
    try (OrtSession session = session(model)) {
      // dit/t0_control_KK: the conditional gen branch (x_t and t do not enter, fast_control).
      compareControls(session, controlInputs("gen", "gen/cond/c_text"), "dit/t0_control_");
      for (String request : List.of("gen", "edit")) {
        for (String branch : List.of("cond", "uncond")) {
          compareControls(session, controlInputs(request, request + "/" + branch + "/c_text"), request + "/" + branch + "/control_");
        }
      }
    }
  }

  /** The four ControlNet inputs of one request and caption, with their shapes. */
  private record ControlInputs(float[] glyphMask, float[] positionSum, long[] imageShape, float[] maskedX, long[] latentShape,
      float[] context, long[] contextShape) {

    Map<String, OnnxTensor> feeds() throws OrtException {
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      feeds.put("glyph_mask", tensor(glyphMask, imageShape));
      feeds.put("position_sum", tensor(positionSum, imageShape));
      feeds.put("masked_x", tensor(maskedX, latentShape));
      feeds.put("context", tensor(context, contextShape));
      return feeds;
    }
  }

  /**
   * What the original feeds the ControlNet for {@code request}: the union of the glyph images
   * binarized as "sum over lines and channels != 0", the positions summed without clipping
   * (MODEL.md §6 item 10), masked_x, and the caption encoding {@code contextKey}.
   */
  private static ControlInputs controlInputs(String request, String contextKey) {
    float[] glyphSum = null;
    float[] positionSum = null;
    for (int j = 0; fixtures.contains(request + "/cond/glyphs_" + j); j++) {
      glyphSum = addInto(glyphSum, fixtures.readFloats(request + "/cond/glyphs_" + j));
      positionSum = addInto(positionSum, fixtures.readFloats(request + "/cond/positions_" + j));
    }
    assertTrue(glyphSum != null, "no glyph lines stored for " + request);
    long[] g = shapeOf(request + "/cond/glyphs_0"); // [N, 3, H, W]
    int plane = (int) (g[2] * g[3]);
    int channels = (int) g[1];
    float[] mask = new float[(int) g[0] * plane];
    for (int n = 0; n < g[0]; n++) {
      for (int i = 0; i < plane; i++) {
        float s = 0;
        for (int c = 0; c < channels; c++) s += glyphSum[(n * channels + c) * plane + i];
        mask[n * plane + i] = s != 0 ? 1f : 0f;
      }
    }
    return new ControlInputs(mask, positionSum, new long[] {g[0], 1, g[2], g[3]},
        fixtures.readFloats(request + "/cond/masked_x"), shapeOf(request + "/cond/masked_x"),
        fixtures.readFloats(contextKey), shapeOf(contextKey));
  }

  private static void compareControls(OrtSession session, ControlInputs in, String refPrefix) throws OrtException {
    Map<String, float[]> out = run(session, in.feeds());
    double worstAbs = 0;
    double worstRel = 0;
    for (int k = 0; k < CONTROLS; k++) {
      String ref = refPrefix + String.format("%02d", k);
      Error e = compare(fixtures.readFloats(ref), out.get(control(k)));
      worstAbs = Math.max(worstAbs, e.maxAbs());
      worstRel = Math.max(worstRel, e.relative());
      assertTrue(e.maxAbs() <= ABS_TOL || e.relative() <= REL_TOL, ref + ": " + e);
    }
    System.out.printf("parity %-24s max abs %.3g, max rel %.3g%n", refPrefix + "KK", worstAbs, worstRel);
  }

  // ---------------------------------------------------------------- UNet

  @Test
  void unetMatchesTheReferenceEpsWithAndWithoutControls() throws Exception {
    Path withControls = buildUNet(true);
    Path withoutControls = buildUNet(false);
    float[] x = fixtures.readFloats("dit/x_t");
    float[] context = fixtures.readFloats("gen/cond/c_img");
    long[] xShape = shapeOf("dit/x_t");
    long[] ctxShape = shapeOf("gen/cond/c_img");
    try (OrtSession session = session(withControls)) {
      for (String t : List.of("t0", "t1")) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>(unetFeeds(x, xShape, fixtures.readFloats("dit/" + t), context, ctxShape));
        for (int k = 0; k < CONTROLS; k++) {
          String key = "dit/" + t + "_control_" + String.format("%02d", k);
          feeds.put(control(k), tensor(fixtures.readFloats(key), shapeOf(key))); // strength 1.0
        }
        assertEps(run(session, feeds).get("eps"), "dit/" + t + "_eps");
      }
    }
    try (OrtSession session = session(withoutControls)) {
      assertEps(run(session, unetFeeds(x, xShape, fixtures.readFloats("dit/t0"), context, ctxShape)).get("eps"), "dit/t0_eps_no_control");
    }
  }

  private static Path buildUNet(boolean controls) throws IOException {
    Path model = tmp.resolve(controls ? "unet.onnx" : "unet_no_control.onnx");
    try (OnnxOps op = new OnnxOps("unet", checkpointWeights())) {
      Value x = op.input("x", ElemType.FLOAT, "batch", 4L, "latent_height", "latent_width");
      Value t = op.input("timestep", ElemType.FLOAT, "batch");
      Value context = op.input("context", ElemType.FLOAT, "batch", "tokens", (long) config.unet().contextDim());
      Value scale = op.input("attnx_scale", ElemType.FLOAT);
      List<Value> maps = null;
      if (controls) {
        maps = new ArrayList<>();
        for (int k = 0; k < CONTROLS; k++) {
          long c = fixtures.info("dit/t0_control_" + String.format("%02d", k)).shape()[1];
          maps.add(op.input(control(k), ElemType.FLOAT, "batch", c, "h" + k, "w" + k));
        }
      }
      op.output("eps", new UNetModel(config.unet(), "model.diffusion_model.").forward(op, x, t, context, maps, scale));
      op.save(model);
    }
    return model;
  }

  private static Map<String, OnnxTensor> unetFeeds(float[] x, long[] xShape, float[] t, float[] context, long[] ctxShape)
      throws OrtException {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    feeds.put("x", tensor(x, xShape));
    feeds.put("timestep", tensor(t, new long[] {t.length}));
    feeds.put("context", tensor(context, ctxShape));
    feeds.put("attnx_scale", tensor(new float[] {1f}, new long[0])); // the fixture's attnx_scale
    return feeds;
  }

  private static void assertEps(float[] actual, String ref) {
    Error e = compare(fixtures.readFloats(ref), actual);
    System.out.printf("parity %-24s max abs %.3g, max rel %.3g%n", ref, e.maxAbs(), e.relative());
    assertTrue(e.maxAbs() <= ABS_TOL, ref + ": " + e);
  }

  // ---------------------------------------------------------------- helpers

  /** Checkpoint tensors by key, shape-checked against what the network asks for. */
  private static WeightSource checkpointWeights() {
    return (key, expected) -> {
      long[] stored = weights.info(key).shape();
      if (!Arrays.equals(stored, expected)) {
        throw new IllegalArgumentException("weight " + key + ": expected " + Arrays.toString(expected) + ", found " + Arrays.toString(stored));
      }
      return weights.readFloats(key);
    };
  }

  private static String control(int k) {
    return String.format("control_%02d", k);
  }

  private record Error(double maxAbs, double maxRef) {
    double relative() {
      return maxAbs / maxRef;
    }

    @Override
    public String toString() {
      return String.format("max abs %.3g (max |ref| %.3g, rel %.3g)", maxAbs, maxRef, relative());
    }
  }

  private static Error compare(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "element count");
    double abs = 0;
    double ref = 0;
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Float.isFinite(actual[i]), "non-finite output at " + i);
      abs = Math.max(abs, Math.abs((double) actual[i] - expected[i]));
      ref = Math.max(ref, Math.abs((double) expected[i]));
    }
    return new Error(abs, ref);
  }

  private static float[] addInto(float[] sum, float[] x) {
    if (sum == null) return x.clone();
    for (int i = 0; i < x.length; i++) sum[i] += x[i];
    return sum;
  }

  private static long[] shapeOf(String fixture) {
    return fixtures.info(fixture).shape();
  }

  private static OnnxTensor tensor(float[] data, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), shape);
  }

  private static OrtSession session(Path model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return ENV.createSession(model.toString(), options);
    }
  }

  private static Map<String, float[]> run(OrtSession session, Map<String, OnnxTensor> feeds) throws OrtException {
    try {
      Map<String, float[]> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (var e : result) {
          FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] data = new float[fb.remaining()];
          fb.get(data);
          out.put(e.getKey(), data);
        }
      }
      return out;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }
}
