package io.anytext2.trainer.model;

import ai.djl.ndarray.NDArray;
import io.anytext2.exporter.pkg.GraphBuilders;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.sdk.sched.DdimScheduler;
import io.anytext2.sdk.sched.DdimStep;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.HostArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training image log of TRAINING.md §3.8, computed with the model in eval mode and without
 * gradient on the first min(4, B) samples of a micro-batch: the VAE reconstruction, the decoded
 * masked image, the position hint, the source image, the glyphs, and a DDIM sample (η = 0, CFG;
 * the unconditional branch has empty image and text captions but the same glyph, position and
 * masked-image inputs). Every panel is [N, 3, S, S] in [−1, 1].
 */
public final class ImageLogSampler {
  /** Panels by the original's log keys, plus the captions of the {@code conditioning} panel. */
  public record Panels(Map<String, float[]> images, int count, int size, List<String> captions) {}

  private final AnyText2TrainingModel model;

  public ImageLogSampler(AnyText2TrainingModel model) {
    this.model = model;
  }

  /**
   * @param steps DDIM steps (50 in the original)
   * @param cfg guidance scale (9.0 in the original)
   * @param seed seed of the initial noise
   */
  public Panels render(DjlOps op, TrainingBatch full, StepNoise noise, int steps, float cfg, long seed) {
    int n = Math.min(4, full.batch);
    TrainingBatch b = n == full.batch ? full : new TrainingBatch(full.samples.subList(0, n));
    var cfgAll = model.config();
    AutoencoderKL vae = new AutoencoderKL(cfgAll.vae(), GraphBuilders.VAE);
    int s = b.size;
    int lat = s / cfgAll.vae().downFactor();
    int channels = cfgAll.unet().inChannels();
    int plane = channels * lat * lat;
    float[] imageNoise = java.util.Arrays.copyOf(noise.imagePosterior(), n * plane);
    float[] maskedNoise = java.util.Arrays.copyOf(noise.maskedPosterior(), n * plane);
    Map<String, float[]> out = new LinkedHashMap<>();
    long[] img = {n, 3, s, s};
    NDArray x0 = model.latentSample(op, op.create(b.images(), img), imageNoise);
    NDArray maskedX = model.latentSample(op, op.create(b.maskedImages(), img), maskedNoise);
    out.put("reconstruction", decode(op, vae, x0));
    out.put("masked_image", decode(op, vae, maskedX));
    out.put("control", threeChannels(clipSum(b.positionSums(), n * s * s), n, s, true));
    out.put("img", b.images());
    out.put("glyph", glyphPanel(b, n, s));

    ClipTokenizer tok = model.tokenizer();
    NDArray lines = model.lineEmbeddings(op, b);
    NDArray cText = model.encode(op, op.createLongs(b.textIds(), n, 77), b.textLineAt(), lines, n);
    int rows = n * b.chunkCount();
    NDArray cImg = op.reshape(model.encode(op, op.createLongs(b.imageIds(tok.bosId(), tok.eosId()), rows, 77), b.imageLineAt(), lines, rows),
        n, (long) b.chunkCount() * 77, cfgAll.clip().hiddenSize());
    long[] emptyText = repeat(tok.encodePadded("", 77), n);
    long[] emptyImage = repeat(tok.encodeChunks("")[0], n);
    int[] none = new int[n * 77];
    java.util.Arrays.fill(none, -1);
    NDArray uText = model.encode(op, op.createLongs(emptyText, n, 77), none, lines, n);
    NDArray uImg = model.encode(op, op.createLongs(emptyImage, n, 77), none, lines, n);
    ControlNetModel cn = new ControlNetModel(cfgAll.controlNet(), GraphBuilders.CONTROL);
    long[] one = {n, 1, s, s};
    NDArray glyph = op.create(b.glyphMasks(), one);
    NDArray pos = op.create(b.positionSums(), one);
    List<NDArray> ctrlC = op.scopedList(() -> cn.forward(op, glyph, pos, maskedX, cText));
    List<NDArray> ctrlU = op.scopedList(() -> cn.forward(op, glyph, pos, maskedX, uText));

    UNetModel unet = new UNetModel(cfgAll.unet(), GraphBuilders.UNET);
    DdimScheduler ddim = DdimScheduler.create(model.alphasCumprod(), steps, 0);
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * plane];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    long[] latent = {n, channels, lat, lat};
    for (int k = ddim.stepCount() - 1; k >= 0; k--) {
      float[] t = new float[n];
      java.util.Arrays.fill(t, ddim.timestep(k));
      float[] xs = x;
      float[] epsC = HostArrays.read(op.scoped(() -> unet.forward(op, op.create(xs, latent), op.create(t, n), cImg, ctrlC, op.scalar(1f))));
      float[] epsU = HostArrays.read(op.scoped(() -> unet.forward(op, op.create(xs, latent), op.create(t, n), uImg, ctrlU, op.scalar(1f))));
      DdimStep step = ddim.step(x, epsC, epsU, cfg, k);
      x = step.xPrev();
    }
    out.put(String.format(java.util.Locale.ROOT, "samples_cfg_scale_%.2f", cfg), decode(op, vae, op.create(x, latent)));
    List<String> captions = b.samples.stream().map(p -> p.imageCaption + " " + p.textCaption).toList();
    return new Panels(out, n, s, captions);
  }

  private float[] decode(DjlOps op, AutoencoderKL vae, NDArray latent) {
    return HostArrays.read(op.scoped(() -> vae.decode(op, op.scale(latent, 1f / model.config().scaleFactor()))));
  }

  /** Σ glyphs · 2 − 1 (the glyph images of all lines summed, as the original logs them). */
  private static float[] glyphPanel(TrainingBatch b, int n, int s) {
    int plane = 3 * s * s;
    float[] out = new float[n * plane];
    for (int i = 0; i < n; i++) {
      for (float[] g : b.samples.get(i).glyphs) for (int k = 0; k < plane; k++) out[i * plane + k] += g[k];
    }
    for (int k = 0; k < out.length; k++) out[k] = out[k] * 2 - 1;
    return out;
  }

  private static float[] clipSum(float[] v, int len) {
    float[] out = new float[len];
    for (int i = 0; i < len; i++) out[i] = Math.min(1f, Math.max(0f, v[i]));
    return out;
  }

  /** [N,1,S,S] in 0..1 → [N,3,S,S] in [−1,1] (hint · 2 − 1). */
  private static float[] threeChannels(float[] one, int n, int s, boolean signed) {
    int plane = s * s;
    float[] out = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < plane; k++) out[(i * 3 + c) * plane + k] = signed ? one[i * plane + k] * 2 - 1 : one[i * plane + k];
      }
    }
    return out;
  }

  private static long[] repeat(long[] row, int times) {
    long[] out = new long[row.length * times];
    for (int i = 0; i < times; i++) System.arraycopy(row, 0, out, i * row.length, row.length);
    return out;
  }
}
