package io.anytext2.sdk.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.anytext2.nn.pkg.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the first execution provider that loads, falling back to the next
 * (and finally to CPU) with one logged reason, or failing when the options are strict. A provider
 * that failed once is not tried again for the package's other graphs (one warning, not one per graph).
 *
 * <p>CUDA sessions use ONNX Runtime's CUDA options {@code arena_extend_strategy=kSameAsRequested}
 * (each graph's arena grows by what it needs instead of to the next power of two: every graph has
 * its own arena, so doubling would multiply the waste). The system property {@value
 * #CUDA_OPTIONS_PROPERTY} ({@code key=value,key=value}) adds or overrides CUDA options, e.g.
 * {@code cudnn_conv_algo_search=EXHAUSTIVE} (see {@link #cudaOptionMap}).
 *
 * <p>A factory for a package whose graphs have CUDA-only nodes ({@link #forPackage}: ONNX Runtime's channels-last
 * {@code com.microsoft.GroupNorm}, {@code BiasSplitGelu}, packed {@code MultiHeadAttention} inputs) never falls back
 * to the CPU, where the graphs cannot load or run: it fails with one line that names the nodes and the convert
 * options that wrote them instead. With the GroupNorm nodes it also sets {@code prefer_nhwc=1} (the convolutions
 * around them then run channels-last and the Transposes between them cancel) and cuDNN's heuristic algorithm choice.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  /** System property with extra CUDA provider options, {@code key=value,key=value}. */
  public static final String CUDA_OPTIONS_PROPERTY = "anytext2.cuda.options";

  /**
   * A folder: every session then records ONNX Runtime's profile (per node: provider, kernel time, shapes) into
   * {@code <folder>/<graph>_<timestamp>.json}, written when the session closes ({@link GraphStage#close}); for
   * finding where a step's time goes (chrome://tracing or Perfetto read the files). Off when unset.
   */
  public static final String PROFILE_PROPERTY = "anytext2.ort.profile";

  /** The {@link #PROFILE_PROPERTY} folder, or null when profiling is off. */
  public static Path profileFolder() {
    String v = System.getProperty(PROFILE_PROPERTY, "").trim();
    return v.isEmpty() ? null : Path.of(v);
  }

  private final RuntimeOptions options;
  private final boolean preferNhwc;
  /** {@link #cudaOnly} for this factory's package; null when its graphs run on every provider (the CPU may take them). */
  private final String cudaOnlyReason;
  private final java.util.Map<ExecutionProvider, String> unusable = new java.util.concurrent.ConcurrentHashMap<>();
  private ExecutionProvider chosen;

  public SessionFactory(RuntimeOptions options) {
    this(options, null, false);
  }

  private SessionFactory(RuntimeOptions options, String cudaOnlyNodes, boolean preferNhwc) {
    this.options = options;
    this.preferNhwc = preferNhwc;
    this.cudaOnlyReason = cudaOnlyNodes == null ? null : cudaOnly(cudaOnlyNodes);
  }

  /**
   * The factory for a package's graphs: the standard one, or where the manifest records CUDA-only nodes one that
   * never falls back to the CPU and says which nodes (see the class comment).
   */
  public static SessionFactory forPackage(ModelManifest m, RuntimeOptions options) {
    if (!m.cudaOnly()) return new SessionFactory(options);
    List<String> nodes = new ArrayList<>(), flags = new ArrayList<>();
    if (m.fusedGroupNorm()) { nodes.add("GroupNorm"); flags.add("--fused-group-norm"); }
    if (m.fusedGeglu()) { nodes.add("BiasSplitGelu"); flags.add("--fused-geglu"); }
    if (m.packedAttention()) { nodes.add("packed MultiHeadAttention"); flags.add("--packed-attention"); }
    String names = nodes.size() == 1 ? nodes.get(0)
        : String.join(", ", nodes.subList(0, nodes.size() - 1)) + " and " + nodes.get(nodes.size() - 1);
    return new SessionFactory(options, names + " nodes (convert " + String.join(" ", flags) + ")", m.fusedGroupNorm());
  }

  /** What a package with CUDA-only {@code nodes} says when no GPU provider can open them. */
  static String cudaOnly(String nodes) {
    return "this package's " + nodes + " run on the CUDA provider only";
  }

  /** The provider the last session was created with (null before the first). */
  public ExecutionProvider chosen() {
    return chosen;
  }

  /** Providers compiled into the loaded ONNX Runtime library. */
  public static EnumSet<OrtProvider> available() {
    return OrtEnvironment.getAvailableProviders();
  }

  /** Opens {@code model}; the caller owns and closes the session. */
  public OrtSession open(Path model) throws OrtException {
    List<ExecutionProvider> order = new ArrayList<>(options.providers());
    if (!options.strict() && order.stream().noneMatch(p -> p instanceof ExecutionProvider.Cpu)) {
      order.add(new ExecutionProvider.Cpu());
    }
    if (cudaOnlyReason != null) order.removeIf(p -> p instanceof ExecutionProvider.Cpu);
    if (order.isEmpty()) throw new OrtException(cudaOnlyReason + "; pick it (--device cuda, RuntimeOptions.of(new ExecutionProvider.Cuda(0), …))");
    OrtException last = null;
    for (ExecutionProvider p : order) {
      if (unusable.containsKey(p) && !options.strict()) continue;
      try (OrtSession.SessionOptions so = sessionOptions(p)) {
        Path profile = profileFolder();
        if (profile != null) {
          Files.createDirectories(profile);
          String file = model.getFileName().toString();
          so.enableProfiling(profile.resolve(file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file).toString());
        }
        OrtSession s = env.createSession(model.toString(), so);
        if (chosen != null && !chosen.equals(p)) {
          LOG.warn("{} runs on {} while earlier graphs run on {}", model.getFileName(), describe(p), describe(chosen));
        }
        chosen = p;
        CublasWorkspace.adviseOnce(lowGpuMemoryOnGpu());
        return s;
      } catch (OrtException | RuntimeException | java.io.IOException e) {
        if (options.strict()) {
          throw new OrtException("cannot use " + describe(p) + " for " + model.getFileName() + ": " + e.getMessage());
        }
        if (!(p instanceof ExecutionProvider.Cpu)) {
          unusable.put(p, firstLine(e.getMessage()));
          // with nothing left to try (a CUDA-only package without CUDA) the refusal below says it in one line
          if (p != order.get(order.size() - 1)) LOG.warn("{} is not usable ({}); falling back", describe(p), firstLine(e.getMessage()));
        }
        last = e instanceof OrtException oe ? oe : new OrtException(e.getMessage());
      }
    }
    if (cudaOnlyReason != null) throw new OrtException(cudaOnlyReason + ", which is not usable here: " + unusable.values().stream().findFirst()
        .orElse(last == null ? "" : firstLine(last.getMessage())));
    if (last == null) throw new OrtException("no execution provider left to try for " + model.getFileName() + ": " + unusable);
    throw last;
  }

  /**
   * Run options for calls of a session opened on {@code provider}: with {@link
   * RuntimeOptions#lowGpuMemory} on a GPU, the arena shrinkage entry for that device; otherwise null
   * (ONNX Runtime's defaults). The caller owns and closes them.
   */
  public OrtSession.RunOptions runOptions(ExecutionProvider provider) throws OrtException {
    int device;
    if (provider instanceof ExecutionProvider.Cuda c) device = c.deviceId();
    else if (provider instanceof ExecutionProvider.TensorRt t) device = t.deviceId();
    else return null;
    if (!options.lowGpuMemory()) return null;
    OrtSession.RunOptions ro = new OrtSession.RunOptions();
    try {
      ro.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "gpu:" + device);
      return ro;
    } catch (OrtException | RuntimeException e) {
      ro.close();
      throw e;
    }
  }

  /** Whether the sessions were asked to save GPU memory ({@link RuntimeOptions#lowGpuMemory}) and run on a GPU. */
  public boolean lowGpuMemoryOnGpu() {
    return options.lowGpuMemory() && chosen != null && !(chosen instanceof ExecutionProvider.Cpu);
  }

  /** Providers that failed to load, with the reason (empty when none did). */
  public java.util.Map<ExecutionProvider, String> unusable() {
    return java.util.Map.copyOf(unusable);
  }

  private OrtSession.SessionOptions sessionOptions(ExecutionProvider p) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.intraOpThreads() > 0) so.setIntraOpNumThreads(options.intraOpThreads());
      if (options.lowGpuMemory() && !(p instanceof ExecutionProvider.Cpu)) {
        so.addConfigEntry("session.use_device_allocator_for_initializers", "1");
      }
      if (p instanceof ExecutionProvider.Cuda c) {
        requireProvider(OrtProvider.CUDA, c);
        so.addCUDA(cudaOptions(c.deviceId()));
      } else if (p instanceof ExecutionProvider.TensorRt t) {
        requireProvider(OrtProvider.TENSOR_RT, t);
        OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(t.deviceId());
        trt.add("trt_fp16_enable", t.fp16() ? "1" : "0");
        if (t.engineCache() != null) {
          Files.createDirectories(t.engineCache());
          trt.add("trt_engine_cache_enable", "1");
          trt.add("trt_engine_cache_path", t.engineCache().toString());
          trt.add("trt_timing_cache_enable", "1");
          trt.add("trt_timing_cache_path", t.engineCache().toString());
        }
        so.addTensorrt(trt);
        so.addCUDA(cudaOptions(t.deviceId())); // nodes TensorRT cannot take run on CUDA
      }
      return so;
    } catch (OrtException | RuntimeException | java.io.IOException e) {
      so.close();
      throw e instanceof OrtException oe ? oe : new OrtException(e.getMessage());
    }
  }

  private OrtCUDAProviderOptions cudaOptions(int deviceId) throws OrtException {
    OrtCUDAProviderOptions o = new OrtCUDAProviderOptions(deviceId);
    for (var e : cudaOptionMap(preferNhwc, System.getProperty(CUDA_OPTIONS_PROPERTY, "")).entrySet()) o.add(e.getKey(), e.getValue());
    return o;
  }

  /**
   * The CUDA provider options of a session, in order: {@code arena_extend_strategy=kSameAsRequested}; for the
   * channels-last packages ({@code channelsLast}: fused GroupNorm) {@code prefer_nhwc=1} and
   * {@code cudnn_conv_algo_search=HEURISTIC} (measured on an H100 with those packages: as fast per step as ONNX
   * Runtime's exhaustive default, ≈ 0.1 GiB less memory, the first request 10.5 → 5.0 s; README "Benchmarks");
   * then the {@link #CUDA_OPTIONS_PROPERTY} entries ({@code key=value,…}), which override any of these.
   */
  static java.util.Map<String, String> cudaOptionMap(boolean channelsLast, String property) {
    java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
    o.put("arena_extend_strategy", "kSameAsRequested");
    if (channelsLast) {
      o.put("prefer_nhwc", "1");
      o.put("cudnn_conv_algo_search", "HEURISTIC");
    }
    String extra = property == null ? "" : property.trim();
    for (String kv : extra.isEmpty() ? new String[0] : extra.split(",")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException(CUDA_OPTIONS_PROPERTY + ": expected key=value, found '" + kv + "'");
      o.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    return o;
  }

  private static void requireProvider(OrtProvider needed, ExecutionProvider p) throws OrtException {
    if (!available().contains(needed)) {
      throw new OrtException(describe(p) + " is not in this ONNX Runtime build (use a CUDA-enabled one, e.g. ANYTEXT2_ORT_JAR=onnxruntime_gpu-1.28.0.jar; README \"GPU (CUDA) and TensorRT\")");
    }
  }

  public static String describe(ExecutionProvider p) {
    if (p instanceof ExecutionProvider.Cuda c) return "CUDA device " + c.deviceId();
    if (p instanceof ExecutionProvider.TensorRt t) return "TensorRT device " + t.deviceId() + (t.fp16() ? " (fp16)" : "");
    return "CPU";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
