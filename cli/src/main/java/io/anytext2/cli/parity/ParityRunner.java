package io.anytext2.cli.parity;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.exporter.pkg.FixturePackages;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.pipeline.DiffusionRunner;
import io.anytext2.sdk.pipeline.ModelStages;
import io.anytext2.sdk.pipeline.PackageTokenizer;
import io.anytext2.sdk.pipeline.PreparedInputs;
import io.anytext2.sdk.pipeline.SamplingParams;
import io.anytext2.sdk.pipeline.StepListener;
import io.anytext2.sdk.pipeline.TextConditioner;
import io.anytext2.sdk.prompt.Captions;
import io.anytext2.sdk.prompt.PromptParser;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.runtime.SessionFactory;
import io.anytext2.sdk.tensor.FloatTensor;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a fixture's official-format checkpoint and checks every recorded stage through ONNX
 * Runtime CPU against the reference tensors: tokenizer ids, OCR, line embeddings, text encoder,
 * ControlNet, UNet, VAE, and the full DDIM generation and edit (parity README, sections a–f).
 */
public final class ParityRunner {
  private final FixtureDir fx;
  private final Path work;
  private final ParityReport report = new ParityReport();

  public ParityRunner(FixtureDir fx, Path work) {
    this.fx = fx;
    this.work = work;
  }

  /** Runs every check the fixture has data for. */
  public ParityReport run() throws IOException {
    Path pkgDir = convert();
    ModelPackage pkg = ModelPackage.open(pkgDir);
    ClipTokenizer tok = PackageTokenizer.load(pkg);
    checkTokenizer(tok);
    RuntimeOptions cpu = RuntimeOptions.cpu();
    try (ModelStages stages = ModelStages.open(pkg, cpu);
        GraphStage ocr = GraphStage.open(pkg, GraphNames.OCR, new SessionFactory(cpu))) {
      int width = pkg.manifest().config().clip().hiddenSize();
      TextConditioner text = new TextConditioner(stages.textEncoder, tok, pkg.manifest().tokenizer().placeholderId(), width,
          pkg.manifest().tokenizer().maxLength());
      DiffusionRunner runner = new DiffusionRunner(stages, text, pkg.manifest().scheduler().scaleFactor(),
          pkg.manifest().scheduler().alphasCumprod());
      checkOcr(ocr);
      checkDit(runner);
      checkVae(stages);
      for (String r : List.of("gen", "edit")) {
        if (fx.json().has(r)) checkRequest(r, runner, tok);
      }
    }
    return report;
  }

  private Path convert() throws IOException {
    Path out = work.resolve("package");
    if (java.nio.file.Files.exists(out)) io.anytext2.cli.parity.FixtureDir.deleteTree(out); // a reused --work folder
    return FixturePackages.convert(fx.weights(), fx.yaml(), fx.dictionary(), out);
  }

  private void checkTokenizer(ClipTokenizer tok) {
    JsonNode prompts = fx.json().path("tokenizer").path("prompts");
    for (JsonNode p : prompts) {
      int i = p.path("index").asInt();
      String text = p.path("text").asText();
      String base = "tok/" + i + "/";
      if (fx.has(base + "ids")) report.compareIds("tokenizer", base + "ids", toLong(tok.encode(text)), fx.longs(base + "ids"));
      if (fx.has(base + "ids_max77")) {
        report.compareIds("tokenizer", base + "ids_max77", tok.encodePadded(text, ClipTokenizer.CONTEXT_LENGTH), fx.longs(base + "ids_max77"));
      }
      if (fx.has(base + "chunks75")) report.compareIds("tokenizer", base + "chunks75", flat(tok.encodeChunks(text)), fx.longs(base + "chunks75"));
    }
  }

  private void checkOcr(GraphStage ocr) {
    if (!fx.has("gen/em/recog_norm_batch") || !fx.has("ocr/neck_features")) return;
    Map<String, FloatTensor> out = ocr.run(Map.of(GraphNames.OCR_IN, fx.floats("gen/em/recog_norm_batch")));
    compare("ocr", "ocr/neck_features", out.get(GraphNames.OCR_OUT_NECK), Tolerance.STAGE);
    compare("ocr", "ocr/ctc_logits", out.get(GraphNames.OCR_OUT_LOGITS), Tolerance.STAGE);
  }

  private void checkDit(DiffusionRunner runner) {
    if (!fx.has("dit/x_t")) return;
    PreparedInputs gen = prepared("gen");
    FloatTensor maskedX = fx.floats("gen/cond/masked_x");
    List<FloatTensor> ctrl = runner.controls(gen, maskedX, fx.floats("gen/cond/c_text"), 1f);
    for (int k = 0; k < ctrl.size(); k++) {
      compare("controlnet", String.format("dit/t0_control_%02d", k), ctrl.get(k), Tolerance.RESIDUAL);
    }
    FloatTensor ctx = fx.floats("gen/cond/c_img");
    for (String t : List.of("t0", "t1")) {
      List<FloatTensor> maps = new ArrayList<>();
      for (int k = 0; k < ctrl.size(); k++) maps.add(fx.floats(String.format("dit/%s_control_%02d", t, k)));
      float ts = fx.longs("dit/" + t)[0];
      FloatTensor x = fx.floats("dit/x_t");
      compare("unet", "dit/" + t + "_eps", new FloatTensor(runner.eps(x, ts, ctx, maps, 1f), x.shape()), Tolerance.STAGE);
      if (t.equals("t0") && fx.has("dit/t0_eps_no_control")) {
        List<FloatTensor> zeros = new ArrayList<>();
        for (FloatTensor m : maps) zeros.add(FloatTensor.zeros(m.shape())); // adding zeros = no control, exactly
        compare("unet", "dit/t0_eps_no_control", new FloatTensor(runner.eps(x, ts, ctx, zeros, 1f), x.shape()), Tolerance.STAGE);
      }
    }
  }

  private void checkVae(ModelStages stages) {
    if (!fx.has("vae/enc_in")) return;
    Map<String, FloatTensor> enc = stages.vaeEncoder().run(Map.of(GraphNames.VAE_ENC_IN, fx.floats("vae/enc_in")));
    compare("vae", "vae/enc_mean", enc.get(GraphNames.VAE_ENC_OUT_MEAN), Tolerance.STAGE);
    compare("vae", "vae/enc_logvar", enc.get(GraphNames.VAE_ENC_OUT_LOGVAR), Tolerance.STAGE);
    FloatTensor dec = stages.vaeDecoder.run(Map.of(GraphNames.VAE_DEC_IN, fx.floats("vae/dec_in_scaled_latent"))).get(GraphNames.VAE_DEC_OUT);
    compare("vae", "vae/dec_out", dec, Tolerance.STAGE);
  }

  private void checkRequest(String r, DiffusionRunner runner, ClipTokenizer tok) {
    JsonNode req = fx.json().path(r);
    JsonNode fp = req.path("forward_params");
    Captions captions = PromptParser.withoutTranslator().captions(req.path("input_tensor").path("img_prompt").asText(),
        req.path("input_tensor").path("text_prompt").asText(), fp.path("a_prompt").asText(), fp.path("n_prompt").asText());
    JsonNode after = req.path("prompts_after_modify_prompt");
    report.add(new ParityReport.Row("prompt", r + "/captions", 0, 0, "exact",
        captions.condImage().equals(after.path("cond_image_prompt").asText())
            && captions.condText().equals(after.path("cond_text_prompt").asText())
            && captions.uncondImage().equals(after.path("uncond_image_prompt").asText())
            && captions.uncondText().equals(after.path("uncond_text_prompt").asText()),
        "four captions after modify_prompt"));
    report.compareIds("tokenizer", r + "/cond/text_ids", tok.encodePadded(captions.condText(), 77), fx.longs(r + "/cond/text_ids"));
    report.compareIds("tokenizer", r + "/cond/img_ids", flat(tok.encodeChunks(captions.condImage())), fx.longs(r + "/cond/img_ids"));
    report.compareIds("tokenizer", r + "/uncond/img_ids", flat(tok.encodeChunks(captions.uncondImage())), fx.longs(r + "/uncond/img_ids"));

    Map<String, FloatTensor> traced = new HashMap<>();
    SamplingParams params = new SamplingParams(fp.path("ddim_steps").asInt(), (float) fp.path("cfg_scale").asDouble(),
        (float) fp.path("attnx_scale").asDouble(), (float) fp.path("strength").asDouble(), fp.path("eta").asDouble());
    FloatTensor latent = runner.sample(prepared(r), captions, params, fx.floats(r + "/sample/x_T"),
        fx.floats(r + "/cond/masked_img_posterior_noise"), null, StepListener.NONE, traced::put);
    compare("embedding", r + "/em/text_embs", traced.get("em/text_embs"), Tolerance.STAGE);
    for (String b : List.of("cond", "uncond")) {
      compare("text", r + "/" + b + "/c_img", traced.get(b + "/c_img"), Tolerance.STAGE);
      compare("text", r + "/" + b + "/c_text", traced.get(b + "/c_text"), Tolerance.STAGE);
    }
    compare("vae", r + "/cond/masked_x", traced.get("cond/masked_x"), Tolerance.STAGE);
    for (String b : List.of("cond", "uncond")) {
      // the same maps from the reference masked_x and captions: the strict per-stage check
      List<FloatTensor> isolated = runner.controls(prepared(r), fx.floats(r + "/cond/masked_x"), fx.floats(r + "/" + b + "/c_text"),
          (float) fp.path("strength").asDouble());
      for (int k = 0; fx.has(String.format("%s/%s/control_%02d", r, b, k)); k++) {
        String name = String.format("%s/control_%02d", b, k);
        compare("controlnet", r + "/" + name, isolated.get(k), Tolerance.RESIDUAL);
        compare("chained", r + "/" + name, traced.get(name), Tolerance.CHAINED);
      }
    }
    for (int i = 0; fx.has(r + "/sample/step" + i + "_x"); i++) {
      for (String s : List.of("_eps_cond", "_eps_uncond")) compare("unet", r + "/sample/step" + i + s, traced.get("sample/step" + i + s), Tolerance.STAGE);
      for (String s : List.of("_x", "_pred_x0", "_x_prev")) compare("ddim", r + "/sample/step" + i + s, traced.get("sample/step" + i + s), Tolerance.LATENT);
    }
    compare("ddim", r + "/sample/final_latent", latent, Tolerance.LATENT);
    FloatTensor decoded = runner.decode(latent);
    compare("vae", r + "/sample/decoded", decoded, Tolerance.IMAGE);
    report.compareUint8("image", r + "/sample/image_uint8", DiffusionRunner.toUint8Hwc(decoded), fx.bytes(r + "/sample/image_uint8"));
  }

  /** The fixture's preprocessed inputs of request {@code r} (parity starts after preprocessing). */
  PreparedInputs prepared(String r) {
    List<FloatTensor> pos = new ArrayList<>();
    List<FloatTensor> glyphs = new ArrayList<>();
    for (int j = 0; fx.has(r + "/cond/positions_" + j); j++) {
      pos.add(fx.floats(r + "/cond/positions_" + j).item(0));
      glyphs.add(fx.floats(r + "/cond/glyphs_" + j));
    }
    FloatTensor positions = FloatTensor.stack(pos);
    int n = pos.size();
    long h = positions.dim(2), w = positions.dim(3);
    float[] glyph = new float[(int) (h * w)];
    float[] sum = new float[(int) (h * w)];
    for (int j = 0; j < n; j++) {
      float[] g = glyphs.get(j).data(); // [1,3,H,W]
      float[] p = pos.get(j).data();
      for (int i = 0; i < glyph.length; i++) {
        float s = g[i] + g[glyph.length + i] + g[2 * glyph.length + i];
        if (s != 0) glyph[i] = 1f; // MODEL.md §3.6: any non-zero channel of any line counts
        sum[i] += p[i];
      }
    }
    return new PreparedInputs(fx.floats(r + "/em/recog_norm_batch"), fx.floats(r + "/em/style_norm_batch"), positions,
        fx.floats(r + "/em/color_proj_in"), new FloatTensor(glyph, new long[] {1, 1, h, w}),
        new FloatTensor(sum, new long[] {1, 1, h, w}), fx.floats(r + "/cond/masked_img"));
  }

  private void compare(String stage, String name, FloatTensor ours, Tolerance tol) {
    if (!fx.has(name)) return;
    if (ours == null) {
      report.add(new ParityReport.Row(stage, name, Double.NaN, Double.NaN, "-", false, "not produced"));
      return;
    }
    report.compare(stage, name, ours.data(), fx.floats(name).data(), tol);
  }

  private static long[] toLong(int[] a) {
    long[] o = new long[a.length];
    for (int i = 0; i < a.length; i++) o[i] = a[i];
    return o;
  }

  private static long[] flat(long[][] rows) {
    int n = 0;
    for (long[] r : rows) n += r.length;
    long[] o = new long[n];
    int k = 0;
    for (long[] r : rows) {
      System.arraycopy(r, 0, o, k, r.length);
      k += r.length;
    }
    return o;
  }
}
