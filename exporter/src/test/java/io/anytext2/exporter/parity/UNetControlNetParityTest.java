package io.anytext2.exporter.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import io.anytext2.exporter.onnx.OrtHarness;
import io.anytext2.exporter.onnx.Tensor;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @TempDir static Path tmp;
  private static TinyParity fx;
  private static AnyText2Config config;

  @BeforeAll
  static void open() throws IOException {
    fx = TinyParity.open(tmp);
    Path tiny = fx.dir();
    assumeTrue(Files.isRegularFile(tiny.resolve("tiny.yaml")) && Files.isRegularFile(tiny.resolve("tiny_clip/config.json")),
        "tiny.yaml or tiny_clip/config.json not found under " + tiny + "; skipped");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> root = yaml.readValue(tiny.resolve("tiny.yaml").toFile(), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> clip = json.readValue(tiny.resolve("tiny_clip/config.json").toFile(), Map.class);
    config = AnyText2Config.fromYaml(root, ClipConfig.fromJson(clip), OcrConfig.official());
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  // ---------------------------------------------------------------- ControlNet

  @Test
  void controlNetMatchesTheReferenceResidualsForBothBranchesOfBothRequests() throws Exception {
    Path model = fx.build("controlnet", op -> {
      Value glyph = op.input("glyph_mask", ElemType.FLOAT, "batch", 1L, "height", "width");
      Value position = op.input("position_sum", ElemType.FLOAT, "batch", 1L, "height", "width");
      Value maskedX = op.input("masked_x", ElemType.FLOAT, "batch", 4L, "latent_height", "latent_width");
      Value context = op.input("context", ElemType.FLOAT, "batch", "tokens", (long) config.controlNet().contextDim());
      List<Value> outs = new ControlNetModel(config.controlNet(), "control_model.").forward(op, glyph, position, maskedX, context);
      assertEquals(CONTROLS, outs.size());
      for (int k = 0; k < outs.size(); k++) op.output(control(k), outs.get(k));
    });
    try (OrtSession session = OrtHarness.session(model)) {
      // dit/t0_control_KK: the conditional gen branch (x_t and t do not enter, fast_control).
      compareControls(session, controlInputs("gen", "gen/cond/c_text"), "dit/t0_control_");
      for (String request : List.of("gen", "edit")) {
        for (String branch : List.of("cond", "uncond")) {
          compareControls(session, controlInputs(request, request + "/" + branch + "/c_text"), request + "/" + branch + "/control_");
        }
      }
    }
  }

  /**
   * What the original feeds the ControlNet for {@code request}: the union of the glyph images
   * binarized as "sum over lines and channels != 0", the positions summed without clipping
   * (MODEL.md §6 item 10), masked_x, and the caption encoding {@code contextKey}.
   */
  private static Map<String, Tensor> controlInputs(String request, String contextKey) {
    float[] glyphSum = null;
    float[] positionSum = null;
    for (int j = 0; fx.hasFixture(request + "/cond/glyphs_" + j); j++) {
      glyphSum = addInto(glyphSum, fx.fixture(request + "/cond/glyphs_" + j).data());
      positionSum = addInto(positionSum, fx.fixture(request + "/cond/positions_" + j).data());
    }
    assertTrue(glyphSum != null, "no glyph lines stored for " + request);
    long[] g = fx.fixture(request + "/cond/glyphs_0").shape(); // [N, 3, H, W]
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
    long[] imageShape = {g[0], 1, g[2], g[3]};
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    feeds.put("glyph_mask", Tensor.of(mask, imageShape));
    feeds.put("position_sum", Tensor.of(positionSum, imageShape));
    feeds.put("masked_x", fx.fixture(request + "/cond/masked_x"));
    feeds.put("context", fx.fixture(contextKey));
    return feeds;
  }

  private static void compareControls(OrtSession session, Map<String, Tensor> feeds, String refPrefix) throws OrtException {
    Map<String, Tensor> out = OrtHarness.run(session, feeds);
    double worstAbs = 0;
    double worstRel = 0;
    for (int k = 0; k < CONTROLS; k++) {
      String ref = refPrefix + String.format("%02d", k);
      Error e = compare(fx.fixture(ref).data(), out.get(control(k)).data());
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
    Tensor x = fx.fixture("dit/x_t");
    Tensor context = fx.fixture("gen/cond/c_img");
    try (OrtSession session = OrtHarness.session(withControls)) {
      for (String t : List.of("t0", "t1")) {
        Map<String, Tensor> feeds = unetFeeds(x, fx.fixture("dit/" + t), context);
        for (int k = 0; k < CONTROLS; k++) {
          feeds.put(control(k), fx.fixture("dit/" + t + "_control_" + String.format("%02d", k))); // strength 1.0
        }
        assertEps(OrtHarness.run(session, feeds).get("eps"), "dit/" + t + "_eps");
      }
    }
    try (OrtSession session = OrtHarness.session(withoutControls)) {
      assertEps(OrtHarness.run(session, unetFeeds(x, fx.fixture("dit/t0"), context)).get("eps"), "dit/t0_eps_no_control");
    }
  }

  private static Path buildUNet(boolean controls) throws IOException {
    return fx.build(controls ? "unet" : "unet_no_control", op -> {
      Value x = op.input("x", ElemType.FLOAT, "batch", 4L, "latent_height", "latent_width");
      Value t = op.input("timestep", ElemType.FLOAT, "batch");
      Value context = op.input("context", ElemType.FLOAT, "batch", "tokens", (long) config.unet().contextDim());
      Value scale = op.input("attnx_scale", ElemType.FLOAT);
      List<Value> maps = null;
      if (controls) {
        maps = new ArrayList<>();
        for (int k = 0; k < CONTROLS; k++) {
          long c = fx.fixture("dit/t0_control_" + String.format("%02d", k)).shape()[1];
          maps.add(op.input(control(k), ElemType.FLOAT, "batch", c, "h" + k, "w" + k));
        }
      }
      op.output("eps", new UNetModel(config.unet(), "model.diffusion_model.").forward(op, x, t, context, maps, scale));
    });
  }

  private static Map<String, Tensor> unetFeeds(Tensor x, Tensor t, Tensor context) {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    feeds.put("x", x);
    feeds.put("timestep", Tensor.of(t.data(), t.data().length));
    feeds.put("context", context);
    feeds.put("attnx_scale", Tensor.of(new float[] {1f})); // the fixture's attnx_scale
    return feeds;
  }

  private static void assertEps(Tensor actual, String ref) {
    Error e = compare(fx.fixture(ref).data(), actual.data());
    System.out.printf("parity %-24s max abs %.3g, max rel %.3g%n", ref, e.maxAbs(), e.relative());
    assertTrue(e.maxAbs() <= ABS_TOL, ref + ": " + e);
  }

  // ---------------------------------------------------------------- helpers

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
}
