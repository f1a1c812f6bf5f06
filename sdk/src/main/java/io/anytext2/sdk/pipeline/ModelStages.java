package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.MaskedImage;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.runtime.SessionFactory;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The graphs a pipeline runs, each with its own session. Opening is all-or-nothing: a graph that
 * fails to load closes the ones already opened. {@link #close()} closes in reverse order and keeps
 * going after a failure (later failures are attached as suppressed).
 */
public final class ModelStages implements AutoCloseable {
  public final GraphStage embedding;
  public final GraphStage textEncoder;
  public final GraphStage vaeDecoder;
  /** Null until first use when the stages were opened for a sampler graph that computes the control maps itself. */
  private GraphStage controlNet;
  /** Null while released ({@link #releaseVaeEncoder}); {@link #vaeEncoder()} opens it again. */
  private GraphStage vaeEncoder;
  private final SessionFactory factory;
  private final List<GraphStage> opened;
  private final ModelPackage pkg;
  private GraphStage vaeDecoderFp32;
  private GraphStage unet;
  private GraphStage sampler;
  /** {@link #samplerComputesControls}, read once from the manifest. */
  private final boolean samplerControlNet;
  /** The constant picture's moments when {@link #open} encoded it before the large graphs opened, else null. */
  private final ConstantPicture constantAtOpen;

  /**
   * The VAE encoder's moments of a constant picture (every pixel and channel {@code value}, shape {@code imageShape}), as
   * {@link DiffusionRunner} caches them for generate requests.
   *
   * @param imageShape [1, 3, H, W]
   */
  public record ConstantPicture(long[] imageShape, float value, FloatTensor mean, FloatTensor logvar) {}

  /**
   * Set to {@code true}, {@link #open} encodes the constant picture before the large graphs on any provider, as it does in
   * low-GPU-memory mode on a GPU (for tests of that order on a CPU).
   */
  public static final String ENCODE_CONSTANT_FIRST_PROPERTY = "anytext2.encodeConstantFirst";

  private ModelStages(List<GraphStage> s, SessionFactory factory, ModelPackage pkg, ConstantPicture constantAtOpen) {
    this.constantAtOpen = constantAtOpen;
    this.opened = s;
    this.factory = factory;
    this.pkg = pkg;
    embedding = named(s, GraphNames.EMBEDDING);
    textEncoder = named(s, GraphNames.TEXT_ENCODER);
    controlNet = named(s, GraphNames.CONTROLNET);
    // open() has tried every graph once (a broken package fails there); released later in low-GPU-memory mode
    vaeEncoder = named(s, GraphNames.VAE_ENCODER);
    vaeDecoder = named(s, GraphNames.VAE_DECODER);
    sampler = named(s, GraphNames.SAMPLER);
    unet = named(s, GraphNames.UNET);
    samplerControlNet = computesControls(pkg);
  }

  private static GraphStage named(List<GraphStage> stages, String name) {
    return stages.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
  }

  private static boolean computesControls(ModelPackage pkg) {
    ModelManifest.Graph g = pkg.manifest().graphs().get(GraphNames.SAMPLER);
    return g != null && g.inputs().stream().anyMatch(t -> t.name().equals(GraphNames.SMP_IN_CONTROL_CONTEXT));
  }

  /** Opens the stages for step-by-step UNet calls (the UNet graph opens now, a sampler graph on first use). */
  public static ModelStages open(ModelPackage pkg, RuntimeOptions options) {
    return open(pkg, options, false);
  }

  /**
   * Opens the stages; of the UNet and sampler graphs (each holds the UNet weights, and a run uses one of
   * them) only the one a run will use opens now, so that a session holds one copy on the device and a
   * broken graph is reported here; the other opens on first use. A sampler graph that computes the control maps
   * itself ({@link #samplerComputesControls}) also holds the ControlNet's weights: the ControlNet graph then opens only
   * when a run needs it (step by step, or unequal context lengths). In low-GPU-memory mode on a GPU the VAE encoder
   * encodes the native size's constant picture ({@link #constantAtOpen}) before the decoder and the UNet or sampler graph
   * open, and is closed until a request needs it.
   *
   * @param useSampler whether runs will use the package's sampler graph (see {@link SamplerOptions#loopChunk})
   */
  public static ModelStages open(ModelPackage pkg, RuntimeOptions options, boolean useSampler) {
    SessionFactory factory = SessionFactory.forPackage(pkg.manifest(), options);
    List<GraphStage> opened = new ArrayList<>();
    try {
      boolean sampler = useSampler && hasSampler(pkg) && computesControls(pkg); // an older-form sampler is never used
      for (String name : List.of(GraphNames.EMBEDDING, GraphNames.TEXT_ENCODER, GraphNames.CONTROLNET, GraphNames.VAE_ENCODER)) {
        if (name.equals(GraphNames.CONTROLNET) && sampler) continue; // the sampler graph holds the ControlNet
        opened.add(GraphStage.open(pkg, name, factory));
      }
      ConstantPicture constant = null;
      if (factory.lowGpuMemoryOnGpu() || Boolean.getBoolean(ENCODE_CONSTANT_FIRST_PROPERTY)) {
        // low GPU memory: generate requests at the native size need the encoder only for this picture, so encode it now,
        // while the large graphs are not yet on the device (its working memory then adds to far less), and close it
        GraphStage encoder = named(opened, GraphNames.VAE_ENCODER);
        constant = encodeConstant(encoder, pkg.manifest().nativeSize());
        opened.remove(encoder);
        encoder.close();
      }
      opened.add(GraphStage.open(pkg, GraphNames.VAE_DECODER, factory));
      opened.add(GraphStage.open(pkg, sampler ? GraphNames.SAMPLER : GraphNames.UNET, factory));
      return new ModelStages(opened, factory, pkg, constant);
    } catch (RuntimeException e) {
      closeAll(opened, e);
      throw e;
    }
  }

  /** Encodes a generate request's masked picture at {@code size} (what {@link MaskedImage#of} makes without a picture). */
  private static ConstantPicture encodeConstant(GraphStage encoder, int size) {
    long[] shape = {1, 3, size, size};
    FloatTensor picture = new FloatTensor(MaskedImage.of(null, Mask.empty(size, size)).data(), shape);
    Map<String, FloatTensor> out = encoder.run(Map.of(GraphNames.VAE_ENC_IN, picture));
    return new ConstantPicture(shape, picture.data()[0], out.get(GraphNames.VAE_ENC_OUT_MEAN), out.get(GraphNames.VAE_ENC_OUT_LOGVAR));
  }

  /**
   * The moments of a generate request's masked picture at the package's native size when {@link #open} encoded it before
   * the large graphs (low GPU memory on a GPU; the encoder is then closed until a request needs it), else null.
   */
  public ConstantPicture constantAtOpen() {
    return constantAtOpen;
  }

  /** The UNet graph (one denoising call); opened on first use when the stages were opened for the sampler graph. */
  public synchronized GraphStage unet() {
    if (unet == null) unet = openNow(GraphNames.UNET);
    return unet;
  }

  /** Held while the encoder runs or is released (not the stages' monitor: the other graphs' getters need not wait for a run). */
  private final Object encoderLock = new Object();

  /**
   * Runs the VAE encoder, opening it if it was released; {@code releaseAfter} then closes it ({@link #releaseVaeEncoder}).
   * Runs are serialized, so that a release never closes the session under another thread's run.
   */
  public Map<String, FloatTensor> encode(Map<String, Object> in, boolean releaseAfter) {
    synchronized (encoderLock) {
      Map<String, FloatTensor> out = vaeEncoder().run(in);
      if (releaseAfter) releaseVaeEncoder();
      return out;
    }
  }

  /** Opens graph {@code name} now and adds it to the stages that {@link #close} closes. */
  private GraphStage openNow(String name) {
    GraphStage g = GraphStage.open(pkg, name, factory);
    opened.add(g);
    return g;
  }

  /** The VAE encoder, opened again on first use after {@link #releaseVaeEncoder}. */
  public synchronized GraphStage vaeEncoder() {
    if (vaeEncoder == null) vaeEncoder = openNow(GraphNames.VAE_ENCODER);
    return vaeEncoder;
  }

  /**
   * Closes the VAE encoder's session (its weights, arena and per-session CUDA state: ≈ 150 MiB on an H100 for SD1.5,
   * README "Benchmarks") until {@link #vaeEncoder()} needs it again. Generation requests encode only the constant
   * all −1 picture, whose moments {@link DiffusionRunner} keeps, so a process that only generates holds no encoder.
   */
  public void releaseVaeEncoder() {
    synchronized (encoderLock) { // never under a run (encode holds it), then the stages' list (the same order as encode)
      synchronized (this) {
        if (vaeEncoder == null) return;
        opened.remove(vaeEncoder);
        GraphStage e = vaeEncoder;
        vaeEncoder = null;
        e.close();
      }
    }
  }

  /** The ControlNet graph; opened on first use when the stages were opened for a sampler graph that computes the maps. */
  public synchronized GraphStage controlNet() {
    if (controlNet == null) controlNet = openNow(GraphNames.CONTROLNET);
    return controlNet;
  }

  /**
   * Whether the sampler graph computes the control maps itself, before its loop, from the ControlNet's inputs
   * ({@link GraphNames#SMP_IN_CONTROL_CONTEXT}); older sampler graphs take the maps as inputs.
   */
  public boolean samplerComputesControls() {
    return samplerControlNet;
  }

  /** Whether the package has the optional {@link GraphNames#SAMPLER} graph (older packages do not). */
  public boolean hasSampler() {
    return hasSampler(pkg);
  }

  /**
   * The {@link GraphNames#SAMPLER} graph, opened on first use; null when the package has none, or one of the older
   * form that takes the control maps as inputs ({@link #samplerComputesControls}), which runs no more.
   */
  public synchronized GraphStage sampler() {
    if (sampler == null && samplerControlNet) sampler = openNow(GraphNames.SAMPLER); // samplerControlNet: it exists
    return sampler;
  }

  private static boolean hasSampler(ModelPackage pkg) {
    return pkg.manifest().graphs().containsKey(GraphNames.SAMPLER);
  }

  /**
   * The float32 VAE decoder of a half-precision package, opened on first use (it is only needed when
   * the fp16 decoder fails, see {@link DiffusionRunner#decode}); null when the package has none.
   */
  public synchronized GraphStage vaeDecoderFp32() {
    if (vaeDecoderFp32 == null && pkg.manifest().graphs().containsKey(GraphNames.VAE_DECODER_FP32)) {
      vaeDecoderFp32 = openNow(GraphNames.VAE_DECODER_FP32);
    }
    return vaeDecoderFp32;
  }

  /** The package's precision: "fp32" or "fp16". */
  public String precision() {
    return pkg.manifest().precision();
  }

  /** Whether runs should trade a little speed for GPU memory ({@link RuntimeOptions#lowGpuMemory} on a GPU). */
  public boolean lowGpuMemory() {
    return factory.lowGpuMemoryOnGpu();
  }

  /** The provider the graphs run on (after fallback). */
  public String provider() {
    return SessionFactory.describe(factory.chosen());
  }

  @Override
  public synchronized void close() {
    RuntimeException first = closeAll(opened, null);
    if (first != null) throw first;
  }

  private static RuntimeException closeAll(List<GraphStage> stages, RuntimeException primary) {
    RuntimeException first = primary;
    for (int i = stages.size() - 1; i >= 0; i--) {
      try {
        stages.get(i).close();
      } catch (RuntimeException e) {
        if (first == null) first = e;
        else first.addSuppressed(e);
      }
    }
    return primary == null ? first : null;
  }
}
