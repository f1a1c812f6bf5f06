package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.prompt.Captions;
import io.anytext2.sdk.sched.DdimScheduler;
import io.anytext2.sdk.sched.DdimStep;
import io.anytext2.sdk.sched.NoiseSource;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model side of a request, in the order of MODEL.md §1.2: line embeddings, the four caption
 * encodings, the masked-image latent, the two ControlNet passes (once per request and branch,
 * §3.9), the DDIM loop with two UNet calls per step (conditional first; batched, or as chunks of steps in the
 * package's sampler graph where {@link SamplerOptions} allow), and the VAE decoder.
 * Thread-safe: it keeps no per-run state.
 */
public final class DiffusionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DiffusionRunner.class);
  private final ModelStages stages;
  private final TextConditioner text;
  private final float scaleFactor;
  private final float[] alphasCumprod;
  private final SamplerOptions sampler;
  /**
   * The VAE encoder's moments of the last constant masked image: a generate request's masked image is
   * one value everywhere (an all −1 picture, MODEL.md §1.2 (b)), so every generate request of a size encodes the same picture
   * and one encoder call (a full-resolution pass) can serve them all. One entry (the last such picture; at first the one
   * the stages encoded while opening, {@link ModelStages#constantAtOpen}, if any); shared by {@link #withSampler} copies.
   */
  private final AtomicReference<ModelStages.ConstantPicture> constantMoments;
  private final AtomicLong encoderCalls;

  public DiffusionRunner(ModelStages stages, TextConditioner text, float scaleFactor, float[] alphasCumprod) {
    this(stages, text, scaleFactor, alphasCumprod, SamplerOptions.DEFAULT);
  }

  public DiffusionRunner(ModelStages stages, TextConditioner text, float scaleFactor, float[] alphasCumprod,
      SamplerOptions sampler) {
    this(stages, text, scaleFactor, alphasCumprod, sampler, new AtomicReference<>(stages.constantAtOpen()), new AtomicLong());
  }

  private DiffusionRunner(ModelStages stages, TextConditioner text, float scaleFactor, float[] alphasCumprod,
      SamplerOptions sampler, AtomicReference<ModelStages.ConstantPicture> constantMoments, AtomicLong encoderCalls) {
    this.stages = stages;
    this.text = text;
    this.scaleFactor = scaleFactor;
    this.alphasCumprod = alphasCumprod.clone();
    this.sampler = sampler;
    this.constantMoments = constantMoments;
    this.encoderCalls = encoderCalls;
  }

  /** The same runner with other UNet call options. */
  public DiffusionRunner withSampler(SamplerOptions options) {
    return new DiffusionRunner(stages, text, scaleFactor, alphasCumprod, options, constantMoments, encoderCalls);
  }

  /** How many times the VAE encoder ran (a constant masked image equal to the last one is not encoded again). */
  public long encoderCalls() {
    return encoderCalls.get();
  }

  /**
   * One run for {@code xT.dim(0)} images sharing the same conditioning.
   *
   * @param xT initial noise [B,4,h,w]
   * @param posteriorNoise N(0,1) of the masked-image posterior sample, [1,4,h,w]
   * @param stepNoise noise for η > 0 (may be null for η = 0)
   * @return the final latents [B,4,h,w]
   */
  public FloatTensor sample(PreparedInputs in, Captions captions, SamplingParams params, FloatTensor xT,
      FloatTensor posteriorNoise, NoiseSource stepNoise, StepListener listener, Trace trace) {
    return sample(in, captions, params, xT, posteriorNoise, stepNoise, listener, trace, new PhaseClock());
  }

  /** As above; {@code clock} is marked "condition" after the encoders and ControlNet, "denoise" after the loop. */
  public FloatTensor sample(PreparedInputs in, Captions captions, SamplingParams params, FloatTensor xT,
      FloatTensor posteriorNoise, NoiseSource stepNoise, StepListener listener, Trace trace, PhaseClock clock) {
    int batch = (int) xT.dim(0);
    FloatTensor lines = lineEmbeddings(in);
    trace.tensor("em/text_embs", lines);
    boolean guided = params.cfgScale() != 1f;
    // the (two or four) captions in one text-encoder call
    List<long[][]> rows = new ArrayList<>(List.of(text.imageCaptionRows(captions.condImage()), text.textCaptionRows(captions.condText())));
    if (guided) rows.addAll(List.of(text.imageCaptionRows(captions.uncondImage()), text.textCaptionRows(captions.uncondText())));
    List<FloatTensor> encoded = text.encodeCaptions(rows, lines);
    FloatTensor cImg = encoded.get(0);
    FloatTensor cText = encoded.get(1);
    trace.tensor("cond/c_img", cImg);
    trace.tensor("cond/c_text", cText);
    FloatTensor uImg = guided ? encoded.get(2) : null;
    FloatTensor uText = guided ? encoded.get(3) : null;
    if (guided) {
      trace.tensor("uncond/c_img", uImg);
      trace.tensor("uncond/c_text", uText);
    }
    FloatTensor maskedX = maskedLatent(in.maskedImage(), posteriorNoise);
    trace.tensor("cond/masked_x", maskedX);
    DdimScheduler ddim = DdimScheduler.create(alphasCumprod, params.steps(), params.eta());
    FloatTensor ctxCond = cImg.repeatBatch(batch);
    FloatTensor ctxUncond = guided ? uImg.repeatBatch(batch) : null;
    if (SamplerGraphLoop.usable(stages, sampler, ddim, ctxCond, ctxUncond, trace) && cText.dim(1) == uText.dim(1)) {
      // The sampler graph runs the ControlNet itself (both branches, one row each), before its loop: only the
      // ControlNet's small inputs cross to the device, once per call.
      clock.mark("condition");
      FloatTensor latent = SamplerGraphLoop.run(stages, loopChunk(ddim, listener), ddim, xT, ctxCond, ctxUncond,
          SamplerGraphLoop.controlNetInputs(in.glyphMask(), in.positionSum(), maskedX, FloatTensor.concatBatch(cText, uText),
              params.strength()), params, listener);
      clock.mark("denoise");
      return latent;
    }
    FloatTensor maskedXb = maskedX.repeatBatch(batch);
    List<FloatTensor> ctrlCond = controls(in, maskedXb, cText.repeatBatch(batch), params.strength());
    traceControls(trace, "cond", ctrlCond);
    List<FloatTensor> ctrlUncond = guided ? controls(in, maskedXb, uText.repeatBatch(batch), params.strength()) : null;
    if (guided) traceControls(trace, "uncond", ctrlUncond);

    clock.mark("condition");
    try (UNetCalls unet = UNetCalls.prepare(this, ctxCond, ctrlCond, ctxUncond, ctrlUncond, params.attnxScale())) {
      FloatTensor latent = loop(ddim, unet, xT, params, stepNoise, listener, trace);
      clock.mark("denoise");
      return latent;
    }
  }

  private FloatTensor loop(DdimScheduler ddim, UNetCalls unet, FloatTensor xT, SamplingParams params, NoiseSource stepNoise,
      StepListener listener, Trace trace) {
    boolean guided = params.cfgScale() != 1f;
    float[] x = xT.data().clone();
    int total = ddim.stepCount();
    for (int i = 0; i < total; i++) {
      int k = total - 1 - i; // timesteps are traversed high → low
      float t = ddim.timestep(k);
      FloatTensor xt = new FloatTensor(x, xT.shape());
      trace.tensor("sample/step" + i + "_x", xt);
      float[][] e = unet.eps(xt, t);
      float[] epsC = e[0];
      float[] epsU = e[1];
      DdimStep s = ddim.step(x, epsC, epsU, params.cfgScale(), k, stepNoise);
      trace.tensor("sample/step" + i + "_eps_cond", new FloatTensor(epsC, xT.shape()));
      if (guided) trace.tensor("sample/step" + i + "_eps_uncond", new FloatTensor(epsU, xT.shape()));
      trace.tensor("sample/step" + i + "_pred_x0", new FloatTensor(s.predX0(), xT.shape()));
      trace.tensor("sample/step" + i + "_x_prev", new FloatTensor(s.xPrev(), xT.shape()));
      x = s.xPrev();
      if (!listener.onStep(i + 1, total, new FloatTensor(s.predX0(), xT.shape()))) {
        throw new CancellationException("cancelled after step " + (i + 1) + " of " + total);
      }
    }
    FloatTensor latent = new FloatTensor(x, xT.shape());
    trace.tensor("sample/final_latent", latent);
    return latent;
  }

  /** [n, D] line embeddings (MODEL.md §3.5); null when there are no lines (nothing to inject). */
  public FloatTensor lineEmbeddings(PreparedInputs in) {
    if (in.lineCount() == 0) return null;
    return stages.embedding.run(Map.of(
        GraphNames.EMB_IN_RECOG, in.recogBatch(),
        GraphNames.EMB_IN_STYLE, in.styleBatch(),
        GraphNames.EMB_IN_POSITIONS, in.positions(),
        GraphNames.EMB_IN_COLORS, in.colors())).get(GraphNames.EMB_OUT);
  }

  /** scale_factor · (mean + std · ε), a posterior sample (MODEL.md §6 item 14), [1,4,h,w]. */
  public FloatTensor maskedLatent(FloatTensor maskedImage, FloatTensor noise) {
    FloatTensor[] moments = moments(maskedImage);
    float[] mean = moments[0].data();
    float[] logvar = moments[1].data();
    if (noise.numel() != mean.length) {
      throw new IllegalArgumentException("posterior noise " + noise + " does not match the latent size " + mean.length);
    }
    float[] z = new float[mean.length];
    for (int i = 0; i < z.length; i++) {
      float std = (float) Math.exp(0.5f * logvar[i]); // torch.exp(0.5 * logvar) in float32
      z[i] = scaleFactor * (mean[i] + std * noise.data()[i]);
    }
    return new FloatTensor(z, moments[0].shape());
  }

  /** The encoder's mean and log variance for {@code image}, from the cache when it is the cached constant picture. */
  private FloatTensor[] moments(FloatTensor image) {
    float[] px = image.data();
    boolean constant = px.length > 0;
    for (int i = 1; i < px.length && constant; i++) constant = Float.floatToIntBits(px[i]) == Float.floatToIntBits(px[0]);
    ModelStages.ConstantPicture c = constantMoments.get();
    if (constant && c != null && c.value() == px[0] && java.util.Arrays.equals(c.imageShape(), image.shape())) {
      return new FloatTensor[] {c.mean(), c.logvar()};
    }
    encoderCalls.incrementAndGet();
    // low GPU memory: the constant picture's moments are kept below, so generation needs the encoder no more; edits keep it
    Map<String, FloatTensor> p = stages.encode(Map.of(GraphNames.VAE_ENC_IN, image), constant && stages.lowGpuMemory());
    FloatTensor mean = p.get(GraphNames.VAE_ENC_OUT_MEAN);
    FloatTensor logvar = p.get(GraphNames.VAE_ENC_OUT_LOGVAR);
    if (constant) constantMoments.set(new ModelStages.ConstantPicture(image.shape().clone(), px[0], mean, logvar));
    return new FloatTensor[] {mean, logvar};
  }

  /** The ControlNet maps for one branch, already × strength, batch B. */
  public List<FloatTensor> controls(PreparedInputs in, FloatTensor maskedX, FloatTensor textContext, float strength) {
    Map<String, FloatTensor> out = stages.controlNet().run(controlNetInputs(in, maskedX, textContext, strength));
    List<FloatTensor> maps = new ArrayList<>();
    for (int k = 0; k < out.size(); k++) maps.add(out.get(GraphNames.controlName(k)));
    return maps;
  }

  /**
   * Steps per sampler-graph call: the options' chunk, or all steps in one call when nobody listens (each call sends
   * the contexts and the ControlNet's inputs again and runs the ControlNet once).
   */
  private int loopChunk(DdimScheduler ddim, StepListener listener) {
    return listener == StepListener.NONE ? ddim.stepCount() : sampler.loopChunk();
  }

  /** The ControlNet's inputs for the rows of {@code maskedX} (glyphs and positions repeated to match). */
  private static Map<String, Object> controlNetInputs(PreparedInputs in, FloatTensor maskedX, FloatTensor textContext, float strength) {
    int rows = (int) maskedX.dim(0);
    return Map.of(
        GraphNames.CN_IN_GLYPH, in.glyphMask().repeatBatch(rows),
        GraphNames.CN_IN_POSITION, in.positionSum().repeatBatch(rows),
        GraphNames.CN_IN_MASKED_X, maskedX,
        GraphNames.CN_IN_CONTEXT, textContext,
        GraphNames.CN_IN_STRENGTH, FloatTensor.scalar(strength));
  }

  /** One UNet call: ε for latent x at timestep t. */
  public float[] eps(FloatTensor x, float t, FloatTensor context, List<FloatTensor> controls, float attnxScale) {
    Map<String, Object> in = new HashMap<>(UNetCalls.fixedInputs(context, controls, attnxScale));
    in.putAll(UNetCalls.stepInputs(x, t));
    return stages.unet().run(in).get(GraphNames.UNET_OUT).data();
  }

  ModelStages stages() {
    return stages;
  }

  SamplerOptions sampler() {
    return sampler;
  }

  /**
   * VAE decoder: latent in diffusion scale → [B,3,H,W] float image (not clipped). When the result
   * has non-finite values or a blank image (a float16 overflow) and the package ships a float32
   * decoder, decodes again with it and logs a warning.
   */
  public FloatTensor decode(FloatTensor latent) {
    // the decoder's activations at full resolution are its peak (4 latents at 512² in fp16: 1.5–2.0 GiB, one: 0.3 GiB,
    // measured on an H100: README "Benchmarks"); one image per call, the arena shrunk after each, keeps it at one image's
    return stages.lowGpuMemory() ? perItem(latent, this::decodeBatch) : decodeBatch(latent);
  }

  /** {@code f} applied to each item of the leading axis alone ([1, …] slices), the results joined in order. */
  static FloatTensor perItem(FloatTensor batch, java.util.function.UnaryOperator<FloatTensor> f) {
    if (batch.dim(0) == 1) return f.apply(batch);
    List<FloatTensor> items = new ArrayList<>();
    for (int i = 0; i < batch.dim(0); i++) items.add(f.apply(batch.sliceBatch(i, i + 1)).item(0));
    return FloatTensor.stack(items);
  }

  private FloatTensor decodeBatch(FloatTensor latent) {
    FloatTensor image = stages.vaeDecoder.run(Map.of(GraphNames.VAE_DEC_IN, latent)).get(GraphNames.VAE_DEC_OUT);
    String problem = DecodedImageCheck.problem(image);
    if (problem == null) return image;
    GraphStage fp32 = stages.vaeDecoderFp32();
    if (fp32 == null) {
      LOG.warn("the VAE decoder gave {}; the package has no float32 decoder to fall back to", problem);
      return image;
    }
    LOG.warn("the {} VAE decoder gave {}; decoding again with the float32 decoder", stages.precision(), problem);
    return fp32.run(Map.of(GraphNames.VAE_DEC_IN, latent)).get(GraphNames.VAE_DEC_OUT);
  }

  /** {@code clip(v·127.5 + 127.5, 0, 255)} truncated to uint8, HWC per image (MODEL.md §3.12). */
  public static byte[] toUint8Hwc(FloatTensor decoded) {
    int b = (int) decoded.dim(0), c = (int) decoded.dim(1), h = (int) decoded.dim(2), w = (int) decoded.dim(3);
    byte[] out = new byte[b * h * w * c];
    float[] d = decoded.data();
    for (int n = 0; n < b; n++)
      for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
          for (int x = 0; x < w; x++) {
            float v = d[((n * c + ch) * h + y) * w + x] * 127.5f + 127.5f;
            v = Math.max(0f, Math.min(255f, v));
            out[((n * h + y) * w + x) * c + ch] = (byte) (int) v;
          }
    return out;
  }

  private static void traceControls(Trace trace, String branch, List<FloatTensor> maps) {
    for (int k = 0; k < maps.size(); k++) trace.tensor(branch + "/" + GraphNames.controlName(k), maps.get(k));
  }
}
