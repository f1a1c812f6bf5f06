package io.anytext2.trainer.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import io.anytext2.nn.models.clip.ClipTextModel;
import io.anytext2.nn.models.em.EmbeddingManager;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.trainer.TinyFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every network run eagerly through {@link DjlOps} (PyTorch engine, CPU, eval mode) on the tiny
 * fixture's weights and inputs, against the original implementation's tensors in
 * fixtures.safetensors: max |difference| ≤ 1e-4 per stage (parity README "Tolerances"; for the
 * large ControlNet residuals also accepted: ≤ 1e-5 relative to max |reference|).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlOpsParityTest {
  private static final double TOL = 1e-4;
  private static final double REL_TOL = 1e-5;
  private static final long PLACEHOLDER_ID = 265;
  private static final int CHUNK = 77;

  private TinyFixture fx;
  private NDManager root;
  private ParameterStore store;

  @BeforeAll
  void load() {
    fx = TinyFixture.open();
    root = NDManager.newBaseManager();
    store = ParameterStore.fromCheckpoint(root, fx.weights, CheckpointValidator.requiredWeights(fx.config), k -> false);
  }

  @AfterAll
  void close() {
    if (store != null) store.close();
    if (root != null) root.close();
    if (fx != null) fx.close();
  }

  @Test
  void ocrRecognizersMatch() {
    try (NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      OcrRecognizer text = new OcrRecognizer(fx.config.ocr(), "text_predictor.");
      NDArray neck = text.neck(op, input(m, "gen/em/recog_norm_batch"));
      check("ocr/neck_features", neck);
      check("ocr/ctc_logits", text.logits(op, neck));
      OcrRecognizer style = new OcrRecognizer(fx.config.ocr(), "embedding_manager.font_predictor.");
      check("gen/em/style_neck", style.neck(op, input(m, "gen/em/style_norm_batch")));
      check("edit/em/style_neck", style.neck(op, input(m, "edit/em/style_norm_batch")));
    }
  }

  @Test
  void embeddingManagerMatches() {
    for (String mode : List.of("gen", "edit")) {
      try (NDManager m = root.newSubManager()) {
        DjlOps op = new DjlOps(store, m);
        EmbeddingManager em = new EmbeddingManager(fx.config.embeddingManager(), fx.config.ocr());
        int lines = (int) fx.shape(mode + "/em/recog_norm_batch")[0];
        List<NDArray> positions = new ArrayList<>();
        for (int j = 0; j < lines; j++) positions.add(input(m, mode + "/cond/positions_" + j));
        EmbeddingManager.Terms<NDArray> t = em.terms(op, input(m, mode + "/em/recog_norm_batch"),
            input(m, mode + "/em/style_norm_batch"), op.concat(0, positions), input(m, mode + "/em/color_proj_in"));
        check(mode + "/em/proj_out", t.glyph());
        check(mode + "/em/position_encoder_out", t.position());
        check(mode + "/em/style_proj_out", t.style());
        check(mode + "/em/color_proj_out", t.color());
        check(mode + "/em/text_embs", t.sum(op));
      }
    }
  }

  @Test
  void clipTextModelMatchesWithPlaceholderInjection() {
    ClipTextModel clip = new ClipTextModel(fx.config.clip(), "cond_stage_model.transformer.text_model.");
    int width = fx.config.clip().hiddenSize();
    for (String mode : List.of("gen", "edit")) {
      float[] lines = fx.floats(mode + "/em/text_embs");
      for (String branch : List.of("cond", "uncond")) {
        String p = mode + "/" + branch + "/";
        try (NDManager m = root.newSubManager()) {
          DjlOps op = new DjlOps(store, m);
          long[] imgIds = fx.longs(p + "img_ids");
          int[] cursor = {0};
          List<NDArray> chunks = new ArrayList<>();
          for (int c = 0; c < imgIds.length / CHUNK; c++) {
            long[] ids = java.util.Arrays.copyOfRange(imgIds, c * CHUNK, (c + 1) * CHUNK);
            chunks.add(encode(op, clip, ids, lines, width, cursor));
          }
          check(p + "c_img", op.concat(1, chunks));
          check(p + "c_text", encode(op, clip, fx.longs(p + "text_ids"), lines, width, new int[] {0}));
        }
      }
    }
  }

  @Test
  void controlNetMatches() {
    ControlNetModel cn = new ControlNetModel(fx.config.controlNet(), "control_model.");
    for (String request : List.of("gen", "edit")) {
      for (String branch : List.of("cond", "uncond")) {
        try (NDManager m = root.newSubManager()) {
          DjlOps op = new DjlOps(store, m);
          NDArray glyphSum = null;
          NDArray positionSum = null;
          for (int j = 0; fx.has(request + "/cond/glyphs_" + j); j++) {
            NDArray g = input(m, request + "/cond/glyphs_" + j);
            NDArray pos = input(m, request + "/cond/positions_" + j);
            glyphSum = glyphSum == null ? g : glyphSum.add(g);
            positionSum = positionSum == null ? pos : positionSum.add(pos);
          }
          NDArray glyphMask = glyphSum.sum(new int[] {1}, true).neq(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          List<NDArray> maps = cn.forward(op, glyphMask, positionSum, input(m, request + "/cond/masked_x"),
              input(m, request + "/" + branch + "/c_text"));
          assertEquals(13, maps.size());
          for (int k = 0; k < maps.size(); k++) checkRelative(request + "/" + branch + "/control_" + String.format("%02d", k), maps.get(k));
        }
      }
    }
  }

  @Test
  void unetMatchesWithAndWithoutControls() {
    UNetModel unet = new UNetModel(fx.config.unet(), "model.diffusion_model.");
    for (String t : List.of("t0", "t1")) {
      try (NDManager m = root.newSubManager()) {
        DjlOps op = new DjlOps(store, m);
        List<NDArray> controls = new ArrayList<>();
        for (int k = 0; k < 13; k++) controls.add(input(m, "dit/" + t + "_control_" + String.format("%02d", k)));
        NDArray ts = m.create(new float[] {fx.longs("dit/" + t)[0]});
        check("dit/" + t + "_eps", unet.forward(op, input(m, "dit/x_t"), ts, input(m, "gen/cond/c_img"), controls, m.create(1f)));
        if (t.equals("t0")) {
          check("dit/t0_eps_no_control", unet.forward(op, input(m, "dit/x_t"), ts, input(m, "gen/cond/c_img"), null, m.create(1f)));
        }
      }
    }
  }

  @Test
  void autoencoderMatches() {
    AutoencoderKL vae = new AutoencoderKL(fx.config.vae(), "first_stage_model.");
    try (NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      AutoencoderKL.Posterior<NDArray> p = vae.encode(op, input(m, "vae/enc_in"));
      check("vae/enc_mean", p.mean());
      check("vae/enc_logvar", p.logvar());
      NDArray z = input(m, "vae/dec_in_scaled_latent").mul(1f / fx.config.scaleFactor());
      check("vae/dec_out", vae.decode(op, z));
    }
  }

  @Test
  void evalForwardLeavesNothingBehindInTheParameterManager() {
    long before = store.manager().getManagedArrays().size();
    autoencoderMatches();
    ocrRecognizersMatch();
    assertEquals(before, store.manager().getManagedArrays().size(), "arrays leaked into the parameter manager");
  }

  // ---------------------------------------------------------------- helpers

  private NDArray encode(DjlOps op, ClipTextModel clip, long[] ids, float[] lines, int width, int[] cursor) {
    int len = ids.length;
    float[] injected = new float[len * width];
    float[] mask = new float[len];
    for (int i = 0; i < len; i++) {
      if (ids[i] == PLACEHOLDER_ID) {
        System.arraycopy(lines, cursor[0]++ * width, injected, i * width, width);
        mask[i] = 1;
      }
    }
    return clip.forward(op, op.createLongs(ids, 1, len), op.create(injected, 1, len, width), op.create(mask, 1, len, 1));
  }

  private NDArray input(NDManager m, String name) {
    return m.create(fx.floats(name), new ai.djl.ndarray.types.Shape(fx.shape(name)));
  }

  private void check(String ref, NDArray actual) {
    double err = maxAbs(ref, actual);
    System.out.printf("djl parity %-28s max abs %.3e%n", ref, err);
    assertTrue(err <= TOL, ref + ": max abs error " + err + " > " + TOL);
  }

  private void checkRelative(String ref, NDArray actual) {
    double err = maxAbs(ref, actual);
    double max = 0;
    for (float v : fx.floats(ref)) max = Math.max(max, Math.abs(v));
    System.out.printf("djl parity %-28s max abs %.3e (rel %.3e)%n", ref, err, err / max);
    assertTrue(err <= TOL || err / max <= REL_TOL, ref + ": max abs error " + err + " (rel " + err / max + ")");
  }

  private double maxAbs(String ref, NDArray actual) {
    assertTrue(java.util.Arrays.equals(fx.shape(ref), actual.getShape().getShape()),
        ref + ": shape " + java.util.Arrays.toString(actual.getShape().getShape()) + " vs " + java.util.Arrays.toString(fx.shape(ref)));
    float[] e = fx.floats(ref);
    float[] a = actual.toFloatArray();
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs((double) a[i] - e[i]);
      if (!(d <= worst)) worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }
    return worst;
  }
}
