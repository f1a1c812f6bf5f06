package io.anytext2.exporter.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.OrtHarness;
import io.anytext2.exporter.onnx.Tensor;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.EmbeddingManagerConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.config.VaeConfig;
import io.anytext2.nn.models.clip.ClipTextModel;
import io.anytext2.nn.models.em.EmbeddingManager;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.nn.ops.ShapeOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VAE, CLIP text model, OCR recognizers and embedding manager, exported with OnnxOps from the
 * tiny parity checkpoint and run in ONNX Runtime (CPU), against the original implementation's
 * outputs in shared/parity/tiny/fixtures.safetensors (README "Tensors" (b), (c), (e)). Tolerance:
 * max |difference| ≤ 1e-4 per stage (README "Tolerances").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final String CLIP_PREFIX = "cond_stage_model.transformer.text_model.";
  /** The tokenizer's id of the placeholder {@code *</w>} (tiny vocabulary, README "Tokenizer files"). */
  private static final long PLACEHOLDER_ID = 265;
  private static final int CHUNK = 77;
  private static final float SCALE_FACTOR = 0.18215f;

  /** Tiny configuration (README "Tiny configuration"); the OCR one derived from checkpoint shapes. */
  private static final ClipConfig CLIP = new ClipConfig(914, 64, 256, 2, 2, 77, 1e-5f, "quick_gelu");
  private static final VaeConfig VAE = new VaeConfig(4, 4, 32, new int[] {1, 1, 1, 2}, 1, 3, 3);
  private static final EmbeddingManagerConfig EM = new EmbeddingManagerConfig(64, "*");

  private TinyParity fx;
  private OcrConfig ocr;

  @BeforeAll
  void openFixture(@TempDir Path work) {
    fx = TinyParity.open(work);
    ocr = OcrConfig.fromShapes(
        fx.weights().info("text_predictor.backbone.conv1._conv.weight").dim(0),
        fx.weights().info("text_predictor.head.fc.weight").dim(0));
  }

  @AfterAll
  void closeFixture() {
    if (fx != null) fx.close();
  }

  @Test
  void everyCheckpointKeyOfTheseModelsIsRequested() {
    ShapeOps op = new ShapeOps();
    new AutoencoderKL(VAE, "first_stage_model.").decode(op, new AutoencoderKL(VAE, "first_stage_model.").encode(op, op.input(1, 3, 64, 64)).mean());
    new ClipTextModel(CLIP, CLIP_PREFIX).forward(op, op.input(1, 77), op.input(1, 77, 64), op.input(1, 77, 1));
    new EmbeddingManager(EM, ocr).forward(op, op.input(1, 3, 48, 320), op.input(1, 3, 48, 320), op.input(1, 1, 64, 64), op.input(1, 3));
    for (String prefix : List.of("text_predictor.", "embedding_manager.font_predictor.")) {
      new OcrRecognizer(ocr, prefix).logits(op, op.input(1, 40, 64));
    }
    TreeSet<String> stored = fx.weights().keys().stream()
        .filter(k -> k.startsWith("first_stage_model.") || k.startsWith("cond_stage_model.") || k.startsWith("embedding_manager.")
            || k.startsWith("text_predictor."))
        .filter(k -> !k.endsWith(".num_batches_tracked") && !k.endsWith("embeddings.position_ids"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(stored, new TreeSet<>(op.weights().keySet()));
    op.weights().forEach((k, shape) -> assertTrue(Arrays.equals(shape, fx.weights().info(k).shape()), k));
  }

  @Test
  void ocrRecognizersMatchTheOriginal() throws Exception {
    for (String prefix : List.of("text_predictor.", "embedding_manager.font_predictor.")) {
      OcrRecognizer model = new OcrRecognizer(ocr, prefix);
      Path graph = fx.build("ocr_" + prefix.replace('.', '_'), op -> {
        OnnxOps.Value neck = model.neck(op, op.input("x", ElemType.FLOAT, "n", 3L, 48L, 320L));
        op.output("neck", neck);
        op.output("logits", model.logits(op, neck));
      });
      if (prefix.startsWith("text_predictor")) {
        var out = OrtHarness.run(graph, Map.of("x", fx.fixture("gen/em/recog_norm_batch")));
        check("ocr/neck_features", out.get("neck"));
        check("ocr/ctc_logits", out.get("logits"));
        check("edit/em/recog_neck", OrtHarness.run(graph, Map.of("x", fx.fixture("edit/em/recog_norm_batch"))).get("neck"));
      } else {
        check("gen/em/style_neck", OrtHarness.run(graph, Map.of("x", fx.fixture("gen/em/style_norm_batch"))).get("neck"));
        check("edit/em/style_neck", OrtHarness.run(graph, Map.of("x", fx.fixture("edit/em/style_norm_batch"))).get("neck"));
      }
    }
  }

  @Test
  void embeddingManagerMatchesTheOriginal() throws Exception {
    EmbeddingManager model = new EmbeddingManager(EM, ocr);
    Path graph = fx.build("embedding_manager", op -> {
      EmbeddingManager.Terms<OnnxOps.Value> t = model.terms(op,
          op.input("recog", ElemType.FLOAT, "n", 3L, 48L, 320L),
          op.input("style", ElemType.FLOAT, "n", 3L, 48L, 320L),
          op.input("positions", ElemType.FLOAT, "n", 1L, "height", "width"),
          op.input("colors", ElemType.FLOAT, "n", 3L));
      op.output("text_embs", t.sum(op));
      op.output("glyph_term", t.glyph());
      op.output("position_term", t.position());
      op.output("style_term", t.style());
      op.output("color_term", t.color());
    });
    for (String mode : List.of("gen", "edit")) {
      Tensor recog = fx.fixture(mode + "/em/recog_norm_batch");
      int lines = (int) recog.shape()[0];
      List<Tensor> positions = new ArrayList<>();
      for (int j = 0; j < lines; j++) positions.add(fx.fixture(mode + "/cond/positions_" + j));
      var out = OrtHarness.run(graph, Map.of(
          "recog", recog,
          "style", fx.fixture(mode + "/em/style_norm_batch"),
          "positions", stack(positions),
          // the colour as the projection saw it: colors/255·255 in float32 (MODEL.md §6 item 21)
          "colors", fx.fixture(mode + "/em/color_proj_in")));
      check(mode + "/em/text_embs", out.get("text_embs"));
      check(mode + "/em/proj_out", out.get("glyph_term"));
      check(mode + "/em/position_encoder_out", out.get("position_term"));
      check(mode + "/em/style_proj_out", out.get("style_term"));
      check(mode + "/em/color_proj_out", out.get("color_term"));
      if (mode.equals("gen")) check("ocr/em_proj_out", out.get("glyph_term"));
    }
  }

  @Test
  void clipTextModelMatchesTheOriginal() throws Exception {
    ClipTextModel model = new ClipTextModel(CLIP, CLIP_PREFIX);
    Path graph = fx.build("clip_text", op -> op.output("hidden", model.forward(op,
        op.input("ids", ElemType.INT64, "batch", (long) CHUNK),
        op.input("injected", ElemType.FLOAT, "batch", (long) CHUNK, (long) CLIP.hiddenSize()),
        op.input("inject_mask", ElemType.FLOAT, "batch", (long) CHUNK, 1L))));
    for (String mode : List.of("gen", "edit")) {
      Tensor lines = fx.fixture(mode + "/em/text_embs");
      for (String branch : List.of("cond", "uncond")) {
        String p = mode + "/" + branch + "/";
        // MODEL.md §3.3: one cursor over the lines runs through all image-caption chunks, then
        // restarts at line 0 for the text caption.
        Cursor cursor = new Cursor(lines);
        Tensor imgIds = fx.fixtureIds(p + "img_ids");
        List<Tensor> chunks = new ArrayList<>();
        for (int c = 0; c < imgIds.shape()[1] / CHUNK; c++) {
          chunks.add(encode(graph, chunk(imgIds, c), cursor));
        }
        check(p + "c_img", concatTokens(chunks));
        check(p + "c_text", encode(graph, fx.fixtureIds(p + "text_ids"), new Cursor(lines)));
      }
    }
  }

  @Test
  void autoencoderMatchesTheOriginal() throws Exception {
    AutoencoderKL model = new AutoencoderKL(VAE, "first_stage_model.");
    Path encoder = fx.build("vae_encoder", op -> {
      AutoencoderKL.Posterior<OnnxOps.Value> p = model.encode(op, op.input("image", ElemType.FLOAT, "batch", 3L, "height", "width"));
      op.output("mean", p.mean());
      op.output("logvar", p.logvar());
    });
    var enc = OrtHarness.run(encoder, Map.of("image", fx.fixture("vae/enc_in")));
    check("vae/enc_mean", enc.get("mean"));
    check("vae/enc_logvar", enc.get("logvar"));

    Path decoder = fx.build("vae_decoder", op ->
        op.output("image", model.decode(op, op.input("z", ElemType.FLOAT, "batch", 4L, "height", "width"))));
    Tensor latent = fx.fixture("vae/dec_in_scaled_latent");
    float[] z = latent.data().clone();
    for (int i = 0; i < z.length; i++) z[i] /= SCALE_FACTOR;
    check("vae/dec_out", OrtHarness.run(decoder, Map.of("z", Tensor.of(z, latent.shape()))).get("image"));
  }

  // ---------------------------------------------------------------- helpers

  /** The next unused line embedding for each placeholder (MODEL.md §3.3 injection cursor). */
  private static final class Cursor {
    private final Tensor lines;
    private int next;

    Cursor(Tensor lines) {
      this.lines = lines;
    }

    float[] take() {
      int width = (int) lines.shape()[1];
      if (next >= lines.shape()[0]) throw new AssertionError("more placeholders than lines (" + lines.shape()[0] + ")");
      return Arrays.copyOfRange(lines.data(), next * width, ++next * width);
    }
  }

  /** Encodes one [1, 77] chunk, injecting line embeddings at the placeholder ids. */
  private static Tensor encode(Path graph, Tensor ids, Cursor cursor) throws Exception {
    int len = (int) ids.shape()[1];
    int width = CLIP.hiddenSize();
    float[] injected = new float[len * width];
    float[] mask = new float[len];
    for (int i = 0; i < len; i++) {
      if (ids.ids()[i] == PLACEHOLDER_ID) {
        System.arraycopy(cursor.take(), 0, injected, i * width, width);
        mask[i] = 1;
      }
    }
    return OrtHarness.run(graph, Map.of(
        "ids", ids,
        "injected", Tensor.of(injected, 1, len, width),
        "inject_mask", Tensor.of(mask, 1, len, 1))).get("hidden");
  }

  /** Columns [77c, 77c + 77) of [1, 77k] ids. */
  private static Tensor chunk(Tensor ids, int c) {
    return Tensor.ids(Arrays.copyOfRange(ids.ids(), c * CHUNK, (c + 1) * CHUNK), 1, CHUNK);
  }

  /** [1, L_i, D] pieces concatenated along the token axis. */
  private static Tensor concatTokens(List<Tensor> parts) {
    return join(parts, 1);
  }

  /** [1, ...] tensors stacked along the batch axis. */
  private static Tensor stack(List<Tensor> parts) {
    return join(parts, 0);
  }

  /** Concatenation of batch-1 tensors along axis 0 or 1 (row-major: plain appending). */
  private static Tensor join(List<Tensor> parts, int axis) {
    long[] shape = parts.get(0).shape().clone();
    shape[axis] = parts.stream().mapToLong(t -> t.shape()[axis]).sum();
    float[] data = new float[parts.stream().mapToInt(t -> t.data().length).sum()];
    int at = 0;
    for (Tensor t : parts) {
      if (t.shape()[0] != 1) throw new IllegalArgumentException("join: expected batch 1, found " + Arrays.toString(t.shape()));
      System.arraycopy(t.data(), 0, data, at, t.data().length);
      at += t.data().length;
    }
    return Tensor.of(data, shape);
  }

  private void check(String reference, Tensor actual) {
    double err = OrtHarness.maxAbsError(fx.fixture(reference), actual, reference);
    System.out.printf("parity %-28s max abs error %.3e%n", reference, err);
    assertTrue(err <= TOLERANCE, reference + ": max abs error " + err + " > " + TOLERANCE);
  }
}
