package io.anytext2.trainer.model;

import ai.djl.ndarray.NDArray;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.loss.LineCrops;
import io.anytext2.trainer.loss.RecognizerCrop;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one micro-batch of the AnyText2 objective reads from the host, uploaded together
 * before the forward pass queues any device work. On a GPU an upload first waits for all work
 * queued before it, so uploads scattered between the networks would make the host wait for the
 * device again and again; here they all find an idle device. Values and shapes are those the
 * forward pass created in place before.
 */
final class ForwardInputs {
  /** The embedding manager's inputs per line (style inputs in the batch's style order). */
  record Lines(NDArray recog, NDArray style, NDArray positions, NDArray colors, NDArray styleRowOfLine) {
    static Lines upload(DjlOps op, TrainingBatch b) {
      int n = b.lines;
      return new Lines(op.create(b.recogInputs(), n, 3, 48, 320), op.create(b.styleInputs(), n, 3, 48, 320),
          op.create(b.positions(), n, 1, b.size, b.size), op.create(b.colors(), n, 3), op.createLongs(b.styleRowOfLine(), n));
    }
  }

  /**
   * Where CLIP's placeholder tokens take line embeddings: per token its row in [lines; a zero
   * row] (the zero row n where there is none) and a 0/1 mask [rows, 77, 1].
   */
  record Placeholders(NDArray index, NDArray mask) {
    static Placeholders upload(DjlOps op, int[] lineAt, int lines, int rows) {
      long[] index = new long[lineAt.length];
      float[] mask = new float[lineAt.length];
      for (int p = 0; p < lineAt.length; p++) {
        index[p] = lineAt[p] >= 0 ? lineAt[p] : lines; // row n: zeros
        mask[p] = lineAt[p] >= 0 ? 1f : 0f;
      }
      return new Placeholders(op.createLongs(index, index.length), op.create(mask, rows, 77, 1));
    }
  }

  final NDArray images;
  final NDArray maskedImages;
  final NDArray imageNoise;
  final NDArray maskedNoise;
  final Lines lines;
  /** [1, D] zeros: the embedding of tokens without a line. */
  final NDArray zeroRow;
  final NDArray textIds;
  final Placeholders textPlaceholders;
  final NDArray imageIds;
  final Placeholders imagePlaceholders;
  final NDArray eps;
  final NDArray sqrtAlphasCumprod;
  final NDArray sqrtOneMinusAlphasCumprod;
  final NDArray glyphMasks;
  final NDArray positionSums;
  final NDArray timesteps;
  final NDArray keep;
  /** The OCR terms' inputs; null when they are off. */
  final Ocr ocr;

  /** The inputs of the OCR terms (TRAINING.md §3.5.2). */
  record Ocr(LineCrops crops, NDArray sqrtRecipAlphasCumprod, NDArray sqrtRecipm1AlphasCumprod, NDArray stepWeight,
      NDArray langWeight, NDArray lineAverage, List<int[]> targets) {}

  private ForwardInputs(DjlOps op, AnyText2TrainingModel model, TrainingBatch b, StepNoise noise) {
    int batch = b.batch;
    int s = b.size;
    int[] t = noise.timesteps();
    long[] image = {batch, 3, s, s};
    int lat = s / model.config().vae().downFactor();
    long[] posterior = {batch, model.config().vae().embedDim(), lat, lat};
    images = op.create(b.images(), image);
    maskedImages = op.create(b.maskedImages(), image);
    imageNoise = op.create(noise.imagePosterior(), posterior);
    maskedNoise = op.create(noise.maskedPosterior(), posterior);
    lines = Lines.upload(op, b);
    int d = model.config().clip().hiddenSize();
    zeroRow = op.create(new float[d], 1, d);
    textIds = op.createLongs(b.textIds(), batch, 77);
    textPlaceholders = Placeholders.upload(op, b.textLineAt(), b.lines, batch);
    int imageRows = batch * b.chunkCount();
    imageIds = op.createLongs(b.imageIds(model.tokenizer().bosId(), model.tokenizer().eosId()), imageRows, 77);
    imagePlaceholders = Placeholders.upload(op, b.imageLineAt(), b.lines, imageRows);
    long[] ls = noise.latentShape();
    eps = op.create(noise.eps(), ls);
    sqrtAlphasCumprod = perSample(op, model.atTimesteps("sqrt_alphas_cumprod", t));
    sqrtOneMinusAlphasCumprod = perSample(op, model.atTimesteps("sqrt_one_minus_alphas_cumprod", t));
    long[] plane = {batch, 1, s, s};
    glyphMasks = op.create(b.glyphMasks(), plane);
    positionSums = op.create(b.positionSums(), plane);
    float[] ts = new float[batch];
    for (int i = 0; i < batch; i++) ts[i] = t[i];
    timesteps = op.create(ts, batch);
    keep = op.create(b.keepMasks(), batch, 1, ls[2], ls[3]);
    ocr = model.losses().ocrTerms() ? ocr(op, model, b, t) : null;
  }

  static ForwardInputs upload(DjlOps op, AnyText2TrainingModel model, TrainingBatch b, StepNoise noise) {
    return new ForwardInputs(op, model, b, noise);
  }

  private static Ocr ocr(DjlOps op, AnyText2TrainingModel model, TrainingBatch b, int[] t) {
    LossSettings losses = model.losses();
    List<RecognizerCrop> plans = new ArrayList<>();
    List<int[]> targets = losses.beta() > 0 ? new ArrayList<>() : null;
    float[] langWeight = new float[b.lines];
    for (int l = 0; l < b.lines; l++) {
      PreparedSample.Line line = b.line(l);
      plans.add(line.crop());
      if (targets != null) targets.add(line.target());
      langWeight[l] = "Latin".equals(line.language()) ? losses.latinWeight() : 1f;
    }
    // per sample: the mean over its lines (§3.5.2 step 7), as a [B, N] averaging matrix
    float[] average = new float[b.batch * b.lines];
    int[] counts = new int[b.batch];
    for (int l = 0; l < b.lines; l++) counts[b.lineSample[l]]++;
    for (int l = 0; l < b.lines; l++) average[b.lineSample[l] * b.lines + l] = 1f / counts[b.lineSample[l]];
    return new Ocr(LineCrops.upload(op, plans, b.lineSample, b.batch), perSample(op, model.atTimesteps("sqrt_recip_alphas_cumprod", t)),
        perSample(op, model.atTimesteps("sqrt_recipm1_alphas_cumprod", t)), op.create(model.stepWeights(t), b.batch),
        op.create(langWeight, b.lines), op.create(average, b.batch, b.lines), targets);
  }

  /** Per-sample values as [B, 1, 1, 1]. */
  private static NDArray perSample(DjlOps op, float[] v) {
    return op.create(v, v.length, 1, 1, 1);
  }
}
