package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
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
  public final GraphStage controlNet;
  public final GraphStage vaeDecoder;
  /** Null while released ({@link #releaseVaeEncoder}); {@link #vaeEncoder()} opens it again. */
  private GraphStage vaeEncoder;
  private final SessionFactory factory;
  private final List<GraphStage> opened;
  private final ModelPackage pkg;
  private GraphStage vaeDecoderFp32;
  private GraphStage unet;
  private GraphStage sampler;
  /** {@link #samplerTakesBranchControls}, read once from the manifest. */
  private final boolean branchControls;

  private ModelStages(List<GraphStage> s, SessionFactory factory, ModelPackage pkg) {
    this.opened = s;
    this.factory = factory;
    this.pkg = pkg;
    embedding = s.get(0);
    textEncoder = s.get(1);
    controlNet = s.get(2);
    vaeEncoder = s.get(3);
    vaeDecoder = s.get(4);
    // open() has tried every graph once (a broken package fails there); released later in low-GPU-memory mode
    if (s.get(5).name().equals(GraphNames.SAMPLER)) sampler = s.get(5);
    else unet = s.get(5);
    ModelManifest.Graph g = pkg.manifest().graphs().get(GraphNames.SAMPLER);
    branchControls = g != null && g.inputs().stream().filter(t -> t.name().equals(GraphNames.controlName(0)))
        .anyMatch(t -> GraphNames.SMP_CONTROL_ROWS.equals(t.shape().get(0)));
  }

  /** Opens the stages for step-by-step UNet calls (the UNet graph opens now, a sampler graph on first use). */
  public static ModelStages open(ModelPackage pkg, RuntimeOptions options) {
    return open(pkg, options, false);
  }

  /**
   * Opens the stages; of the UNet and sampler graphs (each holds the UNet weights, and a run uses one of
   * them) only the one a run will use opens now, so that a session holds one copy on the device and a
   * broken graph is reported here; the other opens on first use.
   *
   * @param useSampler whether runs will use the package's sampler graph (see {@link SamplerOptions#loopChunk})
   */
  public static ModelStages open(ModelPackage pkg, RuntimeOptions options, boolean useSampler) {
    SessionFactory factory = SessionFactory.forPackage(pkg.manifest(), options);
    List<GraphStage> opened = new ArrayList<>();
    try {
      for (String name : List.of(GraphNames.EMBEDDING, GraphNames.TEXT_ENCODER, GraphNames.CONTROLNET,
          GraphNames.VAE_ENCODER, GraphNames.VAE_DECODER)) {
        opened.add(GraphStage.open(pkg, name, factory));
      }
      boolean sampler = useSampler && hasSampler(pkg);
      opened.add(GraphStage.open(pkg, sampler ? GraphNames.SAMPLER : GraphNames.UNET, factory));
      return new ModelStages(opened, factory, pkg);
    } catch (RuntimeException e) {
      closeAll(opened, e);
      throw e;
    }
  }

  /** The UNet graph (one denoising call); opened on first use when the stages were opened for the sampler graph. */
  public synchronized GraphStage unet() {
    if (unet == null) {
      unet = GraphStage.open(pkg, GraphNames.UNET, factory);
      opened.add(unet);
    }
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

  /** The VAE encoder, opened again on first use after {@link #releaseVaeEncoder}. */
  public synchronized GraphStage vaeEncoder() {
    if (vaeEncoder == null) {
      vaeEncoder = GraphStage.open(pkg, GraphNames.VAE_ENCODER, factory);
      opened.add(vaeEncoder);
    }
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

  /** Whether the package has the optional {@link GraphNames#SAMPLER} graph (older packages do not). */
  public boolean hasSampler() {
    return hasSampler(pkg);
  }

  /** The {@link GraphNames#SAMPLER} graph, opened on first use; null when the package has none. */
  public synchronized GraphStage sampler() {
    if (sampler == null && hasSampler()) {
      sampler = GraphStage.open(pkg, GraphNames.SAMPLER, factory);
      opened.add(sampler);
    }
    return sampler;
  }

  /**
   * Whether the sampler graph takes the control maps with one row per branch and widens them to the
   * batch itself (dim 0 named {@link GraphNames#SMP_CONTROL_ROWS}); older graphs take 2·batch rows.
   */
  public boolean samplerTakesBranchControls() {
    return branchControls;
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
      vaeDecoderFp32 = GraphStage.open(pkg, GraphNames.VAE_DECODER_FP32, factory);
      opened.add(vaeDecoderFp32);
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
