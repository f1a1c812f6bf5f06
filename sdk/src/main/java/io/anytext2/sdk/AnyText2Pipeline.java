package io.anytext2.sdk;

import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.pipeline.DiffusionRunner;
import io.anytext2.sdk.pipeline.EditBlend;
import io.anytext2.sdk.pipeline.ModelStages;
import io.anytext2.sdk.pipeline.PackageTokenizer;
import io.anytext2.sdk.pipeline.PhaseClock;
import io.anytext2.sdk.pipeline.Preprocessor;
import io.anytext2.sdk.pipeline.SamplerOptions;
import io.anytext2.sdk.pipeline.SeededNoise;
import io.anytext2.sdk.pipeline.StepListener;
import io.anytext2.sdk.pipeline.TextConditioner;
import io.anytext2.sdk.pipeline.Trace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * AnyText2 on ONNX Runtime: open a model package once, then run generation and edit requests.
 *
 * <pre>{@code
 * try (AnyText2Pipeline p = AnyText2Pipeline.open(Path.of("onnx"), RuntimeOptions.cpu())) {
 *   GenerationResult r = p.run(AnyText2Request.generate("a shop sign, photo")
 *       .line(TextLine.of("OPEN").withColor(new Rgb(200, 30, 40))).seed(7).build());
 *   r.images().get(0).write(Path.of("sign.png"));
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests may run concurrently (ONNX Runtime sessions are shared; every call owns
 * its tensors). Closing while a request runs is not allowed.
 */
public final class AnyText2Pipeline implements AutoCloseable {
  private final ModelPackage pkg;
  private final ModelStages stages;
  private final DiffusionRunner runner;
  private final Preprocessor prep;
  private volatile boolean closed;

  private AnyText2Pipeline(ModelPackage pkg, ModelStages stages, DiffusionRunner runner, Preprocessor prep) {
    this.pkg = pkg;
    this.stages = stages;
    this.runner = runner;
    this.prep = prep;
  }

  /** Opens the package in {@code modelDir}; fails with a {@code ModelLoadException} naming what is wrong. */
  public static AnyText2Pipeline open(Path modelDir, RuntimeOptions options) {
    return open(modelDir, options, SamplerOptions.DEFAULT);
  }

  /** Opens with explicit UNet call options (benchmarks compare them; results agree up to rounding). */
  public static AnyText2Pipeline open(Path modelDir, RuntimeOptions options, SamplerOptions sampler) {
    ModelPackage pkg = ModelPackage.open(modelDir);
    var tokenizer = PackageTokenizer.load(pkg);
    ModelManifest m = pkg.manifest();
    ModelStages stages = ModelStages.open(pkg, options, sampler.loopChunk() > 0);
    TextConditioner text = new TextConditioner(stages.textEncoder, tokenizer, m.tokenizer().placeholderId(),
        m.config().clip().hiddenSize(), m.tokenizer().maxLength());
    DiffusionRunner runner =
        new DiffusionRunner(stages, text, m.scheduler().scaleFactor(), m.scheduler().alphasCumprod(), sampler);
    return new AnyText2Pipeline(pkg, stages, runner, new Preprocessor(FontLibrary.bundled(), m.config().vae().downFactor()));
  }

  public ModelManifest manifest() {
    return pkg.manifest();
  }

  /** The picture side the model was trained at (manifest {@code nativeSize}): the size of generate requests that give none. */
  public int nativeSize() {
    return pkg.manifest().nativeSize();
  }

  /** The graph sessions (benchmarks time single graph calls through them). */
  public ModelStages stages() {
    return stages;
  }

  /**
   * How many times the VAE encoder has run: generate requests encode a constant masked picture, so
   * consecutive ones of one size share a single encoder call; every edit request encodes its own picture.
   */
  public long vaeEncoderCalls() {
    return runner.encoderCalls();
  }

  /** Where the graphs run after provider fallback ("CPU", "CUDA device 0", …). */
  public String provider() {
    return stages.provider();
  }

  public GenerationResult run(AnyText2Request request) {
    return run(request, StepListener.NONE);
  }

  /**
   * Runs a request; {@code listener} sees every DDIM step and may cancel. A generate request without
   * a size runs at {@link #nativeSize()}.
   */
  public GenerationResult run(AnyText2Request request, StepListener listener) {
    if (closed) throw new IllegalStateException("pipeline is closed");
    request = request.withNativeSize(nativeSize());
    long t0 = System.nanoTime();
    PhaseClock clock = new PhaseClock();
    long seed = request.seed() >= 0 ? request.seed() : ThreadLocalRandom.current().nextLong(0, 100_000_000L);
    Preprocessor.Prepared p = prep.prepare(request, seed);
    clock.mark("prepare");
    int h = p.inputs().height() / prep.downFactor();
    int w = p.inputs().width() / prep.downFactor();
    int channels = manifest().config().unet().inChannels();
    FloatTensor xT = request.initialNoise() != null ? request.initialNoise() : SeededNoise.initial(seed, request.count(), channels, h, w);
    long[] want = {request.count(), channels, h, w};
    if (!java.util.Arrays.equals(xT.shape(), want)) {
      throw new IllegalArgumentException("initial noise has shape " + java.util.Arrays.toString(xT.shape()) + ", expected "
          + java.util.Arrays.toString(want));
    }
    FloatTensor latent = runner.sample(p.inputs(), p.captions(), request.sampling(), xT,
        SeededNoise.posterior(seed, manifest().config().vae().embedDim(), h, w), SeededNoise.steps(seed), listener, Trace.NONE, clock);
    FloatTensor decoded = runner.decode(latent);
    byte[] hwc = DiffusionRunner.toUint8Hwc(decoded);
    int H = p.inputs().height();
    int W = p.inputs().width();
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < request.count(); i++) {
      byte[] one = java.util.Arrays.copyOfRange(hwc, i * H * W * 3, (i + 1) * H * W * 3);
      RgbImage img = new RgbImage(W, H, one);
      if (request.mode() == AnyText2Request.Mode.EDIT && request.blend()) {
        img = EditBlend.compose(request.image(), img, p.editMask());
      }
      images.add(img);
    }
    int steps = io.anytext2.sdk.sched.DdimScheduler.create(manifest().scheduler().alphasCumprod(), request.sampling().steps(), 0).stepCount();
    clock.mark("decode");
    return new GenerationResult(images, seed, p.captions().lines(), p.positions(), steps, (System.nanoTime() - t0) / 1_000_000,
        provider(), clock.millis());
  }

  /**
   * A preview picture of a step's x0 prediction (the {@code predX0} a {@link StepListener} receives):
   * one VAE decode, so call it every few steps rather than every step.
   */
  public List<RgbImage> preview(FloatTensor predX0) {
    if (closed) throw new IllegalStateException("pipeline is closed");
    FloatTensor decoded = runner.decode(predX0);
    int n = (int) decoded.dim(0);
    int h = (int) decoded.dim(2);
    int w = (int) decoded.dim(3);
    byte[] hwc = DiffusionRunner.toUint8Hwc(decoded);
    List<RgbImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new RgbImage(w, h, java.util.Arrays.copyOfRange(hwc, i * h * w * 3, (i + 1) * h * w * 3)));
    return out;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    stages.close();
  }
}
