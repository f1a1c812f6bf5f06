package io.anytext2.trainer.model;

import ai.djl.ndarray.NDArray;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.trainer.loss.LineCrops;
import io.anytext2.trainer.loss.OcrLosses;
import io.anytext2.trainer.loss.RecognizerCrop;
import java.util.ArrayList;
import java.util.List;

/**
 * The objectives of the pre-training stages ({@link TrainingStage#VAE}, {@link TrainingStage#RECOGNIZER})
 * that the default model needs because no pretrained SD1.5 VAE or PP-OCRv3 recognizer exists here.
 * Both read the same training batches as the AnyText2 stage.
 */
public final class PretrainingLosses {
  static final String RECOGNIZER_PREFIX = "text_predictor.";
  /**
   * Log-variance the posterior starts from in a fresh VAE stage (σ = e^−4 ≈ 0.02). A random
   * {@code quant_conv} gives log σ² ≈ 0, i.e. latent noise as large as the signal, and Adam lowers a
   * bias by about one learning rate per step, so the decoder would long see noise and learn only the
   * mean picture (measured: the loss stayed at the mean-picture level for 90 steps).
   */
  static final float VAE_START_LOGVAR = -8f;

  private PretrainingLosses() {}

  /** Sets the log-variance half of {@code first_stage_model.quant_conv.bias} to {@link #VAE_START_LOGVAR} (fresh VAE stages). */
  public static void startVae(io.anytext2.trainer.djl.ParameterStore params, int embedDim) {
    String key = "first_stage_model.quant_conv.bias";
    float[] bias = params.read(key);
    if (bias.length != 2 * embedDim) throw new IllegalArgumentException(key + ": expected " + 2 * embedDim + " values, found " + bias.length);
    for (int c = embedDim; c < 2 * embedDim; c++) bias[c] = VAE_START_LOGVAR;
    params.set(key, bias);
  }

  /**
   * VAE: x̂ = D(z), z = μ + σ·ε' from the encoder's posterior; loss = mean|x − x̂| + mean (x − x̂)² +
   * w_KL · KL, KL = ½ Σ (μ² + σ² − 1 − log σ²) per sample, averaged over the batch (the LDM
   * autoencoder's KL term). {@code simple} reports the reconstruction, {@code extra} the KL.
   */
  static AnyText2TrainingModel.Losses vae(DjlOps op, AutoencoderKL vae, TrainingBatch b, StepNoise noise, float klWeight) {
    int batch = b.batch;
    NDArray x = op.create(b.images(), batch, 3, b.size, b.size);
    int lat = b.size / vae.config().downFactor();
    NDArray eps = op.create(noise.imagePosterior(), batch, vae.config().embedDim(), lat, lat); // before any work: see ForwardInputs
    AutoencoderKL.Posterior<NDArray> p = vae.encode(op, x);
    NDArray z = op.add(p.mean(), op.mul(op.exp(op.scale(p.logvar(), 0.5f)), eps));
    NDArray diff = op.sub(vae.decode(op, z), x);
    NDArray rec = op.add(op.own(op.own(diff.abs()).mean()), op.own(op.mul(diff, diff).mean()));
    NDArray klTerms = op.add(op.mul(p.mean(), p.mean()), op.sub(op.exp(p.logvar()), op.add(p.logvar(), op.scalar(1f))));
    NDArray kl = op.scale(op.sumKeepDims(klTerms, 0, 1, 2, 3), 0.5f / batch);
    NDArray total = op.own(op.add(rec, op.scale(op.reshape(kl), klWeight)).mean());
    return AnyText2TrainingModel.Losses.of(op, total, rec, null, null, kl);
  }

  /**
   * Recognizer: CTC of {@code text_predictor} on every line twice, as the crop of the training
   * image (what the OCR losses and the evaluation read) and as the rendered glyph line (what the
   * embedding manager reads). BatchNorm uses batch statistics (train mode). {@code ctc} reports the
   * mean CTC per line, {@code extra} the share of inputs whose greedy decode is exactly the text.
   */
  static AnyText2TrainingModel.Losses recognizer(DjlOps op, OcrRecognizer recognizer, TrainingBatch b) {
    int n = b.lines;
    List<RecognizerCrop> plans = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    for (int l = 0; l < n; l++) {
      PreparedSample.Line line = b.line(l);
      plans.add(line.crop());
      targets.add(line.target());
    }
    targets.addAll(List.copyOf(targets));
    // every upload first: on a GPU an upload waits for the work queued before it
    NDArray image = op.create(b.images(), b.batch, 3, b.size, b.size);
    NDArray glyphLines = op.create(b.recogInputs(), n, 3, 48, 320);
    LineCrops crops = LineCrops.upload(op, plans, b.lineSample, b.batch);
    NDArray gt = op.scale(op.add(image, op.scalar(1f)), 127.5f);
    NDArray cropped = OpCounter.part("crops", () -> crops.apply(op, gt));
    op.trainMode(RECOGNIZER_PREFIX, true);
    try {
      NDArray neck = OpCounter.part("recognizer", () -> recognizer.neck(op, op.concat(0, List.of(cropped, glyphLines))));
      OcrLosses.Ctc ctc = OpCounter.part("ctc", () -> OcrLosses.ctc(op, recognizer, neck, targets));
      NDArray total = op.own(ctc.nll().mean());
      NDArray accuracy = op.create(new float[] {ctc.exactMatches() / (float) targets.size()}); // a metric, not a constant to keep
      return AnyText2TrainingModel.Losses.of(op, total, null, null, total, accuracy);
    } finally {
      op.trainMode(RECOGNIZER_PREFIX, false);
    }
  }
}
