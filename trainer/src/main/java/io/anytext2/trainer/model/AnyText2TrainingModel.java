package io.anytext2.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.anytext2.exporter.pkg.DiffusionSchedule;
import io.anytext2.exporter.pkg.GraphBuilders;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import io.anytext2.nn.models.clip.ClipTextModel;
import io.anytext2.nn.models.em.EmbeddingManager;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.loss.OcrLosses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AnyText2 training forward pass (TRAINING.md §3.2–§3.5, Appendix A) on the networks of
 * {@code nn}, with the official checkpoint keys:
 * <pre>
 * x0, masked_x ← 0.18215 · posterior samples of the VAE encoder      (no gradient)
 * E            ← embedding manager per line (font recognizer in train mode)
 * ctxT, ctxI   ← CLIP of text caption ('*' ← E, gradient) and image caption chunks
 * x_t          ← √ᾱ_t x0 + √(1−ᾱ_t) ε
 * R            ← WriteNet(glyph union, position sum, masked_x, ctxT)   (x_t and t unused)
 * ε̂           ← UNet(x_t, t, ctxI, R)   (input blocks frozen, so no graph there)
 * L_i          = Σ (1−m)(ε̂−ε)² / (4·h·w)  [+ α ᾱ_t ocr_i + β ᾱ_t ctc_i]
 * </pre>
 */
public final class AnyText2TrainingModel {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnyText2TrainingModel.class);

  public static final String FONT_PREDICTOR = "embedding_manager.font_predictor.";
  static final String CLIP_PREFIX = GraphBuilders.CLIP;

  /**
   * The losses of one micro-batch: {@code total} (scalar, in the graph) and the logged terms, kept
   * on the device as one small vector [total, simple, ocr, ctc, extra] and copied to the host
   * together on the first read, so that logging costs one wait for the device per micro-batch.
   * {@code extra} is the stage's own metric ({@link TrainingStage#extraColumn()}), 0 for AnyText2.
   */
  public static final class Losses {
    private final NDArray total;
    private final NDArray logged;
    private float[] host;

    private Losses(NDArray total, NDArray logged) {
      this.total = total;
      this.logged = logged;
    }

    /**
     * @param total the scalar to differentiate
     * @param simple scalar or one-element terms for the log; null = 0
     */
    public static Losses of(DjlOps op, NDArray total, NDArray simple, NDArray ocr, NDArray ctc, NDArray extra) {
      List<NDArray> parts = new ArrayList<>();
      for (NDArray term : new NDArray[] {total, simple, ocr, ctc, extra}) {
        NDArray value = term == null ? op.scalar(0f) : op.own(term.stopGradient());
        parts.add(op.reshape(value, 1));
      }
      return new Losses(total, op.concat(0, parts));
    }

    /** The scalar to differentiate (still on the device). */
    public NDArray total() {
      return total;
    }

    /** The logged values [total, simple, ocr, ctc, extra], copied to the host once. */
    public float[] values() {
      if (host == null) host = HostArrays.read(logged);
      return host;
    }

    public float totalValue() {
      return values()[0];
    }

    public float simple() {
      return values()[1];
    }

    public float ocr() {
      return values()[2];
    }

    public float ctc() {
      return values()[3];
    }

    public float extra() {
      return values()[4];
    }
  }

  private final AnyText2Config cfg;
  private final ParameterStore params;
  private final ClipTokenizer tokenizer;
  private final int placeholderId;
  private final LossSettings losses;
  private final OcrDictionary dictionary;
  private final UNetModel unet;
  private final ControlNetModel controlNet;
  private final AutoencoderKL vae;
  private final ClipTextModel clip;
  private final EmbeddingManager embeddingManager;
  private final OcrRecognizer textPredictor;
  private final Map<String, float[]> schedule;

  /**
   * @param dictionary the recognizer's characters; required when the CTC loss is on
   */
  public AnyText2TrainingModel(AnyText2Config cfg, ParameterStore params, ClipTokenizer tokenizer, LossSettings losses,
      OcrDictionary dictionary) {
    if (losses.beta() > 0 && dictionary == null) {
      throw new IllegalArgumentException("the CTC loss (loss_beta > 0) needs the OCR dictionary (ocr_dictionary in the config)");
    }
    if (dictionary != null && dictionary.classes() != cfg.ocr().numClasses()) {
      throw new IllegalArgumentException("OCR dictionary: expected " + cfg.ocr().numClasses() + " classes for this recognizer, found "
          + dictionary.classes());
    }
    this.cfg = cfg;
    this.params = params;
    this.tokenizer = tokenizer;
    this.placeholderId = tokenizer.placeholderId(cfg.embeddingManager().placeholder());
    this.losses = losses;
    this.dictionary = dictionary;
    this.unet = new UNetModel(cfg.unet(), GraphBuilders.UNET);
    this.controlNet = new ControlNetModel(cfg.controlNet(), GraphBuilders.CONTROL);
    this.vae = new AutoencoderKL(cfg.vae(), GraphBuilders.VAE);
    this.clip = new ClipTextModel(cfg.clip(), CLIP_PREFIX);
    this.embeddingManager = new EmbeddingManager(cfg.embeddingManager(), cfg.ocr());
    this.textPredictor = new OcrRecognizer(cfg.ocr(), GraphBuilders.OCR);
    this.schedule = schedule(cfg, params);
  }

  /** The stored schedule buffers (MODEL.md §4.4 prefers them), else recomputed. */
  private static Map<String, float[]> schedule(AnyText2Config cfg, ParameterStore params) {
    Map<String, float[]> s = new java.util.HashMap<>(DiffusionSchedule.buffers(cfg.linearStart(), cfg.linearEnd(), cfg.timesteps()));
    for (String k : List.copyOf(s.keySet())) {
      float[] stored = params.extraFloats(k);
      if (stored != null && stored.length == cfg.timesteps()) s.put(k, stored);
    }
    return s;
  }

  public AnyText2Config config() {
    return cfg;
  }

  public ParameterStore params() {
    return params;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  public int placeholderId() {
    return placeholderId;
  }

  public float[] alphasCumprod() {
    return schedule.get("alphas_cumprod").clone();
  }

  /** Host preparation of one sample; {@link IllegalArgumentException} when it is malformed. */
  public PreparedSample prepare(TrainingSample s) {
    return PreparedSample.of(s, tokenizer, placeholderId, cfg.vae().downFactor(), losses.beta() > 0 ? dictionary : null,
        losses.ocrTerms(), losses.stage() == TrainingStage.RECOGNIZER ? losses.cropMargin() : 0, losses.textRegionWeight());
  }

  /** The random draws a micro-batch of {@code b} needs. */
  public StepNoise drawNoise(long seed, long microBatch, TrainingBatch b) {
    int lat = b.size / cfg.vae().downFactor();
    return StepNoise.draw(seed, microBatch, b.batch, cfg.unet().inChannels(), lat, lat, cfg.timesteps());
  }

  /**
   * The training forward pass of one micro-batch in {@code op}'s scope (the objective of the
   * configured {@link TrainingStage}); call inside a gradient
   * collector and run backward on {@link Losses#total()}.
   */
  public Losses forward(DjlOps op, TrainingBatch b, StepNoise noise) {
    if (losses.stage() == TrainingStage.VAE) return OpCounter.part("vae", () -> PretrainingLosses.vae(op, vae, b, noise, losses.klWeight()));
    if (losses.stage() == TrainingStage.RECOGNIZER) return PretrainingLosses.recognizer(op, textPredictor, b);
    op.trainMode(FONT_PREDICTOR, true); // the trainable font recognizer runs in train mode: batch statistics, dropout 0.1 (P-5)
    try {
      return trainingForward(op, b, noise);
    } finally {
      op.trainMode(FONT_PREDICTOR, false);
    }
  }

  private Losses trainingForward(DjlOps op, TrainingBatch b, StepNoise noise) {
    int batch = b.batch;
    ForwardInputs in = OpCounter.part("uploads", () -> ForwardInputs.upload(op, this, b, noise));
    NDArray x0 = OpCounter.part("latents", () -> latentSample(op, in.images, in.imageNoise));
    NDArray maskedX = OpCounter.part("latents", () -> latentSample(op, in.maskedImages, in.maskedNoise));
    NDArray lines = OpCounter.part("embedding manager", () -> lineEmbeddings(op, in.lines, b.styleGroups));
    NDArray ctxText = OpCounter.part("text encoder", () -> encode(op, in.textIds, in.textPlaceholders, in.zeroRow, lines, batch));
    NDArray ctxImage = OpCounter.part("text encoder", () -> op.scoped(() -> {
      int rows = batch * b.chunkCount();
      NDArray h = encode(op, in.imageIds, in.imagePlaceholders, in.zeroRow, lines, rows);
      return op.reshape(h, batch, (long) b.chunkCount() * 77, cfg.clip().hiddenSize());
    }));

    long[] ls = noise.latentShape();
    NDArray xt = op.add(op.mul(x0, in.sqrtAlphasCumprod), op.mul(in.eps, in.sqrtOneMinusAlphasCumprod));
    List<NDArray> controls = OpCounter.part("controlnet", () -> op.scopedList(() -> controlNet.forward(op, in.glyphMasks,
        in.positionSums, maskedX, ctxText)));
    NDArray epsHat = OpCounter.part("unet", () -> op.scoped(() -> unet.forward(op, xt, in.timesteps, ctxImage, controls, op.scalar(1f))));

    // §3.5.1: Σ_{c,u,v} (1 − m)(ε̂ − ε)² over the FULL element count (P-7)
    NDArray diff = op.sub(epsHat, in.eps);
    NDArray perSample = op.reshape(op.sumKeepDims(op.mul(in.keep, op.mul(diff, diff)), 1, 2, 3), batch);
    NDArray simple = op.scale(perSample, 1f / (ls[1] * ls[2] * ls[3]));
    NDArray total = simple;
    NDArray ocrMean = null;
    NDArray ctcMean = null;
    if (in.ocr != null) {
      NDArray[] ocr = ocrTerms(op, in, xt, epsHat);
      NDArray stepWeight = in.ocr.stepWeight();
      if (losses.alpha() > 0) total = op.add(total, op.mul(op.scale(ocr[0], losses.alpha()), stepWeight));
      if (losses.beta() > 0) total = op.add(total, op.mul(op.scale(ocr[1], losses.beta()), stepWeight));
      ocrMean = op.own(ocr[0].mean());
      ctcMean = ocr[1] == null ? null : op.own(ocr[1].mean());
    }
    NDArray loss = op.own(total.mean());
    return Losses.of(op, loss, op.own(simple.mean()), ocrMean, ctcMean, null);
  }

  private boolean latentScaleChecked;

  /** {@link #latentSample(DjlOps, NDArray, NDArray)} with the noise ε' [B, C, h, w] from the host. */
  NDArray latentSample(DjlOps op, NDArray image, float[] noise) {
    long[] s = op.shape(image);
    int lat = (int) s[2] / cfg.vae().downFactor();
    return latentSample(op, image, op.create(noise, s[0], cfg.vae().embedDim(), lat, lat));
  }

  /** scale_factor · (mean + exp(logvar / 2) · ε'), the posterior sampled (P-8), no gradient needed. */
  NDArray latentSample(DjlOps op, NDArray image, NDArray noise) {
    return op.scoped(() -> {
      AutoencoderKL.Posterior<NDArray> p = vae.encode(op, image);
      NDArray std = op.exp(op.scale(p.logvar(), 0.5f));
      NDArray z = op.add(p.mean(), op.mul(std, noise));
      NDArray scaled = op.own(op.scale(z, cfg.scaleFactor()).stopGradient());
      if (!latentScaleChecked) {
        latentScaleChecked = true;
        checkLatentScale(scaled);
      }
      return scaled;
    });
  }

  /**
   * Warns once when the diffusion latents are far from unit variance: the LDM recipe picks
   * scale_factor = 1 / std(VAE latents) (0.18215 for SD's VAE). A VAE trained here has latents of
   * std ≈ 1, and with 0.18215 the noise drowns the signal 30-fold: the default model trained that way
   * produced saturated noise whatever its loss said.
   */
  private void checkLatentScale(NDArray scaled) {
    float[] v = HostArrays.read(scaled);
    double sum = 0;
    double sq = 0;
    for (float x : v) {
      sum += x;
      sq += (double) x * x;
    }
    double mean = sum / v.length;
    double std = Math.sqrt(Math.max(0, sq / v.length - mean * mean));
    if (std < 0.5 || std > 2) {
      LOG.warn("diffusion latents have std {} (scale_factor {} x VAE latent std {}); the LDM recipe wants about 1: "
          + "set scale_factor to about {} in the model YAML", String.format(java.util.Locale.ROOT, "%.3f", std), cfg.scaleFactor(),
          String.format(java.util.Locale.ROOT, "%.3f", std / cfg.scaleFactor()), String.format(java.util.Locale.ROOT, "%.3f", cfg.scaleFactor() / std));
    }
  }

  /** [N, D] line embeddings, rows in (sample, line) order (MODEL.md §3.5, TRAINING.md §3.3 (a)). */
  NDArray lineEmbeddings(DjlOps op, TrainingBatch b) {
    return lineEmbeddings(op, ForwardInputs.Lines.upload(op, b), b.styleGroups);
  }

  /** {@link #lineEmbeddings(DjlOps, TrainingBatch)} from uploaded inputs; {@code styleGroups} as {@link TrainingBatch#styleGroups}. */
  NDArray lineEmbeddings(DjlOps op, ForwardInputs.Lines in, int[] styleGroups) {
    return op.scoped(() -> {
      op.batchNormGroups(styleGroups);
      EmbeddingManager.Terms<NDArray> t;
      try {
        t = embeddingManager.terms(op, in.recog(), in.style(), in.positions(), in.colors());
      } finally {
        op.batchNormGroups(null);
      }
      NDArray styleByLine = op.own(t.style().get(new NDIndex("{}", in.styleRowOfLine())));
      return new EmbeddingManager.Terms<>(t.glyph(), t.position(), styleByLine, t.color()).sum(op);
    });
  }

  /**
   * CLIP over rows of ids [R, 77], the token embedding at every placeholder replaced by its line
   * embedding (before the position embedding is added, MODEL.md §3.3) → [R, 77, D].
   */
  NDArray encode(DjlOps op, NDArray ids, int[] lineAt, NDArray lines, int rows) {
    int d = cfg.clip().hiddenSize();
    ForwardInputs.Placeholders at = ForwardInputs.Placeholders.upload(op, lineAt, (int) lines.getShape().get(0), rows);
    return encode(op, ids, at, op.create(new float[d], 1, d), lines, rows);
  }

  /** {@link #encode(DjlOps, NDArray, int[], NDArray, int)} with uploaded placeholders and zero row [1, D]. */
  NDArray encode(DjlOps op, NDArray ids, ForwardInputs.Placeholders at, NDArray zeroRow, NDArray lines, int rows) {
    return op.scoped(() -> {
      NDArray padded = op.concat(0, List.of(lines, zeroRow));
      NDArray injected = op.own(padded.get(new NDIndex("{}", at.index())));
      return clip.forward(op, ids, op.reshape(injected, rows, 77, cfg.clip().hiddenSize()), at.mask());
    });
  }

  LossSettings losses() {
    return losses;
  }

  /** A schedule buffer at each sample's timestep. */
  float[] atTimesteps(String buffer, int[] t) {
    float[] table = schedule.get(buffer);
    float[] v = new float[t.length];
    for (int i = 0; i < t.length; i++) v[i] = table[t[i]];
    return v;
  }

  /** The OCR terms' weight per sample: ᾱ_t with {@code with_step_weight}, else 1. */
  float[] stepWeights(int[] t) {
    float[] ac = schedule.get("alphas_cumprod");
    float[] w = new float[t.length];
    for (int i = 0; i < t.length; i++) w[i] = losses.stepWeight() ? ac[t[i]] : 1f;
    return w;
  }

  /** Per-sample means of the per-line OCR and CTC terms ([B] each; ctc null when β = 0). */
  private NDArray[] ocrTerms(DjlOps op, ForwardInputs in, NDArray xt, NDArray epsHat) {
    ForwardInputs.Ocr o = in.ocr;
    // §3.5.2 step 2: x̂0 = √(1/ᾱ) x_t − √(1/ᾱ − 1) ε̂ (predict_start_from_noise)
    NDArray x0hat = op.sub(op.mul(xt, o.sqrtRecipAlphasCumprod()), op.mul(epsHat, o.sqrtRecipm1AlphasCumprod()));
    NDArray decoded = OpCounter.part("ocr: vae decode", () -> op.scoped(() -> {
      NDArray img = op.clip(vae.decode(op, op.scale(x0hat, 1f / cfg.scaleFactor())), -1f, 1f);
      return op.scale(op.add(img, op.scalar(1f)), 127.5f); // (D + 1) / 2 · 255
    }));
    NDArray gt = op.scale(op.add(in.images, op.scalar(1f)), 127.5f);
    OcrLosses.PerLine perLine = OpCounter.part("ocr", () -> OcrLosses.compute(op, textPredictor, decoded, gt, o.crops(), o.targets(),
        o.langWeight()));
    long lines = o.crops().lines();
    long batch = op.shape(in.images)[0];
    NDArray ocr = op.reshape(op.matmul(o.lineAverage(), op.reshape(perLine.ocr(), lines, 1)), batch);
    NDArray ctc = perLine.ctc() == null ? null : op.reshape(op.matmul(o.lineAverage(), op.reshape(perLine.ctc(), lines, 1)), batch);
    return new NDArray[] {ocr, ctc};
  }
}
