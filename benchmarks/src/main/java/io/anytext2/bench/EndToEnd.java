package io.anytext2.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.pipeline.SamplerOptions;
import io.anytext2.sdk.runtime.ExecutionProvider;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end speed of a model package on one execution provider: session creation and the first
 * request, one UNet call (batch 1 and 2, inputs converted per call or pinned), ms per CFG step,
 * whole requests (20 steps × 1 image, 50 × 1, 20 × 4; 512×512, two text lines, cfg 9), and peak
 * GPU memory; optionally the agreement with a reference package (PSNR of the images for the same
 * seed, relative error of single UNet and VAE decoder calls). Writes {@code report.json} and
 * {@code report.md} into the output folder, and prints the Markdown.
 *
 * <pre>{@code
 * java -cp anytext2-benchmarks.jar:lib/* io.anytext2.bench.EndToEnd --package pkg-fp16 --provider cuda \
 *     --runs 3 --out bench-fp16 [--reference pkg-fp32] [--sampler default|stepwise|loopN|unbatched|batched|pinned] [--probe-batches 1,2|none]
 *     [--keep-gpu-arenas] [--warmup N] [--memory-probe]
 * }</pre>
 *
 * <p>Each case runs {@code --warmup} untimed requests first (default 1: new shapes, cuDNN's algorithm search); more
 * of them let the JIT compile the CPU preprocessing as a long-running server would have.
 */
public final class EndToEnd {
  static final String PROMPT = "a shop sign at night that reads \"OPEN\" and \"Fresh Bread\", photo";

  private record Case(int steps, int images) {
    String name() {
      return steps + " steps × " + images + " image" + (images > 1 ? "s" : "");
    }
  }

  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    Path pkg = Path.of(required(a, "package"));
    Path out = Path.of(a.getOrDefault("out", "bench-report"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "1"));
    if (runs < 1 || warmup < 1) throw new IllegalArgumentException("--runs and --warmup: expected at least 1, found " + runs + ", " + warmup);
    int size = Integer.parseInt(a.getOrDefault("size", "512"));
    SamplerOptions sampler = sampler(a.getOrDefault("sampler", "default"));
    RuntimeOptions options = runtime(a.getOrDefault("provider", "cuda"), a.get("trt-cache"))
        .withLowGpuMemory(!a.containsKey("keep-gpu-arenas"));
    List<Case> cases = new ArrayList<>();
    for (String c : a.getOrDefault("cases", "20x1,50x1,20x4").split(",")) {
      String[] p = c.trim().split("x");
      cases.add(new Case(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
    }
    Files.createDirectories(out);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("package", pkg.toString());
    report.put("sampler", sampler.toString());
    report.put("size", size);
    report.put("java", System.getProperty("java.version"));
    report.put("cuda_options", System.getProperty("anytext2.cuda.options", "") + (options.lowGpuMemory() ? " low-gpu-memory" : " keep-gpu-arenas"));
    // cuBLAS's workspaces follow the process environment only (CublasWorkspace; ./anytext2 sets it)
    report.put("cublas_workspace_config", System.getenv().getOrDefault(io.anytext2.sdk.runtime.CublasWorkspace.VARIABLE, "unset"));
    try (GpuMemoryMonitor gpu = GpuMemoryMonitor.start(0)) {
      report.put("gpu_memory_before_mib", gpu.currentMiB());
      long t0 = System.nanoTime();
      try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, options, sampler)) {
        double openMs = ms(t0);
        // where the peak goes: the CUDA context and library handles plus every graph's weights (sessions open, nothing run)
        report.put("gpu_memory_after_sessions_mib", gpu.currentMiB());
        report.put("provider", p.provider());
        report.put("precision", p.manifest().precision());
        report.put("fused_attention", p.manifest().fusedAttention());
        report.put("fused_group_norm", p.manifest().fusedGroupNorm());
        report.put("fused_geglu", p.manifest().fusedGeglu());
        report.put("packed_attention", p.manifest().packedAttention());
        long t1 = System.nanoTime();
        GenerationResult first = p.run(request(size, 20, 1));
        report.put("session_creation_ms", openMs);
        report.put("first_request_ms", ms(t1));
        report.put("first_request_incl_sessions_ms", ms(t0));
        report.put("gpu_memory_after_first_request_mib", gpu.currentMiB()); // + arenas kept after a 20 x 1 request
        report.put("peak_gpu_mib_first_request", gpu.peakMiB());
        if (a.containsKey("memory-probe")) {
          report.put("memory_probe", memoryProbe(p, gpu, size));
          gpu.resetPeak(); // the timed cases' peaks below are their own
        }
        ImageFiles.write(first.images().get(0), out.resolve("image-20x1-seed1.png"));
        log("sessions %.0f ms, first request %.0f ms on %s", openMs, ms(t1), p.provider());

        int latent = size / 8;
        Map<String, Object> unetCalls = new LinkedHashMap<>();
        String probes = a.getOrDefault("probe-batches", "1,2,8"); // "none": no UNet probe
        for (String bs : probes.equals("none") ? new String[0] : probes.split(",")) {
          // opens the UNet graph beside the sampler graph: a second copy of the UNet's weights on the device, so the peak
          // memory below counts it (run --probe-batches none for the pipeline's own peak)
          GraphStage unet = p.stages().unet();
          int b = Integer.parseInt(bs.trim());
          var in = UNetProbe.inputs(p.manifest().graphs().get(GraphNames.UNET), b, latent, 7);
          int n = b >= 8 ? 5 : 15;
          unetCalls.put("batch" + b + "_input_mb", UNetProbe.bytes(in) / 1e6);
          unetCalls.put("batch" + b + "_ms", UNetProbe.medianMs(unet, in, 2, n, false));
          unetCalls.put("batch" + b + "_pinned_ms", UNetProbe.medianMs(unet, in, 2, n, true));
          log("UNet batch %d: %.2f ms per call, %.2f ms pinned", b, unetCalls.get("batch" + b + "_ms"),
              unetCalls.get("batch" + b + "_pinned_ms"));
        }
        report.put("unet_call", unetCalls);

        List<Map<String, Object>> results = new ArrayList<>();
        for (Case c : cases) {
          if (c.images() > 1 && !report.containsKey("peak_gpu_mib_1_image")) report.put("peak_gpu_mib_1_image", gpu.peakMiB());
          results.add(runCase(p, c, size, runs, warmup));
        }
        if (!report.containsKey("peak_gpu_mib_1_image")) report.put("peak_gpu_mib_1_image", gpu.peakMiB());
        report.put("peak_gpu_mib_all", gpu.peakMiB());
        report.put("requests", results);

        if (a.containsKey("reference")) report.put("reference", compare(p, Path.of(a.get("reference")), options, size, out));
      }
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("report.json").toFile(), report);
    String md = BenchMarkdown.of(report);
    Files.writeString(out.resolve("report.md"), md);
    System.out.println(md);
  }

  /** default (sampler graph in chunks of 5 where the package has it), stepwise (batched + pinned UNet calls), loopN, unbatched, batched, pinned. */
  private static SamplerOptions sampler(String name) {
    if (name.matches("loop\\d+")) return SamplerOptions.DEFAULT.withLoopChunk(Integer.parseInt(name.substring(4)));
    return switch (name) {
      case "default" -> SamplerOptions.DEFAULT;
      case "stepwise" -> SamplerOptions.DEFAULT.withLoopChunk(0);
      case "unbatched" -> SamplerOptions.UNBATCHED;
      case "batched" -> new SamplerOptions(true, false);
      case "pinned" -> new SamplerOptions(false, true);
      default -> throw new IllegalArgumentException("--sampler: expected default, stepwise, loopN, unbatched, batched or pinned, found "
          + name);
    };
  }

  private static Map<String, Object> runCase(AnyText2Pipeline p, Case c, int size, int runs, int warmup) {
    AnyText2Request r = request(size, c.steps(), c.images());
    for (int i = 0; i < warmup; i++) p.run(r); // new shapes, cuDNN algorithm search; then the JIT
    List<Double> wall = new ArrayList<>();
    List<Double> steps = new ArrayList<>();
    Map<String, List<Double>> phases = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      long[] last = {0, 0}; // time and step count of the listener's last call
      List<Double> perStep = new ArrayList<>();
      long t0 = System.nanoTime();
      GenerationResult res = p.run(r, (done, total, x0) -> {
        long now = System.nanoTime();
        // the first call also holds the text encoder and ControlNet; the sampler graph reports per chunk
        if (last[1] > 0) perStep.add((now - last[0]) / 1e6 / (done - last[1]));
        last[0] = now;
        last[1] = done;
        return true;
      });
      wall.add(ms(t0));
      res.phaseMillis().forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      // one sampler call for all steps (no interval between listener calls): the denoise phase over its steps
      Double denoise = res.phaseMillis().get("denoise");
      steps.add(!perStep.isEmpty() ? Stats.median(perStep) : denoise != null ? denoise / c.steps() : Double.NaN);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("case", c.name());
    m.put("steps", c.steps());
    m.put("images", c.images());
    m.put("runs", runs);
    m.put("warmup", warmup);
    m.put("min_ms", Stats.min(wall));
    m.put("median_ms", Stats.median(wall));
    m.put("cfg_step_median_ms", Stats.median(steps));
    m.put("all_ms", wall);
    Map<String, Double> phaseMedians = new LinkedHashMap<>();
    phases.forEach((k, v) -> phaseMedians.put(k, Stats.median(v)));
    m.put("phase_median_ms", phaseMedians); // prepare, condition, denoise, decode: what lies outside the loop
    log("%s: min %.0f ms, median %.0f ms, %.2f ms per CFG step; phases %s", c.name(), Stats.min(wall), Stats.median(wall),
        Stats.median(steps), phaseMedians);
    return m;
  }

  /**
   * Which part of a request makes its transient peak: nvidia-smi's peak above the level before, for the VAE
   * decoder alone (1 and 4 latents, {@link AnyText2Pipeline#preview}) and for whole 1-step requests (text
   * encoder, ControlNet, one loop step, decoder; then 5, 10 and 20 steps at one image). Arenas keep what a graph once took, so the readings show
   * the transient only with arena shrinkage after every call (the default; not with --keep-gpu-arenas).
   */
  private static Map<String, Object> memoryProbe(AnyText2Pipeline p, GpuMemoryMonitor gpu, int size) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!gpu.available()) {
      m.put("skipped", "no nvidia-smi readings");
      return m;
    }
    int channels = p.manifest().config().unet().inChannels();
    int latent = size / 8;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    for (int n : new int[] {1, 4}) {
      float[] z = new float[n * channels * latent * latent];
      for (int i = 0; i < z.length; i++) z[i] = (float) (rng.nextDouble() * 2 - 1);
      gpu.resetPeak();
      long before = gpu.currentMiB();
      p.preview(new io.anytext2.sdk.tensor.FloatTensor(z, new long[] {n, channels, latent, latent}));
      m.put("decode_" + n + "_above_mib", gpu.peakMiB() - before);
    }
    for (int n : new int[] {1, 4}) {
      gpu.resetPeak();
      long before = gpu.currentMiB();
      p.run(request(size, 1, n));
      m.put("request_1_step_" + n + "_above_mib", gpu.peakMiB() - before);
    }
    // a sampler call of more steps lasts long enough for the 20 ms poller: growth with the steps is the Loop's,
    // a flat series above the 1-step reading means that reading missed its peak
    for (int steps : new int[] {5, 10, 20}) {
      gpu.resetPeak();
      long before = gpu.currentMiB();
      p.run(request(size, steps, 1));
      m.put("request_" + steps + "_steps_1_above_mib", gpu.peakMiB() - before);
    }
    // the same 20 steps with a progress listener: the sampler graph runs in the sampler options' chunks (--sampler loopN),
    // the arena shrunk after each call; then four images that way (the decoder one image per call unless --keep-gpu-arenas)
    for (int n : new int[] {1, 4}) {
      gpu.resetPeak();
      long before = gpu.currentMiB();
      p.run(request(size, 20, n), (done, total, x0) -> true);
      m.put("request_20_steps_" + n + "_chunked_above_mib", gpu.peakMiB() - before);
    }
    log("memory probe (MiB above the level before each call): %s", m);
    return m;
  }

  /** Agreement with a reference package on the same provider: same request and seed, same graph inputs. */
  private static Map<String, Object> compare(AnyText2Pipeline p, Path refPkg, RuntimeOptions options, int size, Path out)
      throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("package", refPkg.toString());
    try (AnyText2Pipeline ref = AnyText2Pipeline.open(refPkg, options)) {
      for (int steps : new int[] {1, 20}) {
        var a = p.run(request(size, steps, 1)).images().get(0);
        var b = ref.run(request(size, steps, 1)).images().get(0);
        if (steps == 20) ImageFiles.write(b, out.resolve("reference-20x1-seed1.png"));
        m.put("psnr_db_" + steps + "_steps", a.psnr(b));
      }
      int latent = size / 8;
      var unetIn = UNetProbe.inputs(p.manifest().graphs().get(GraphNames.UNET), 1, latent, 11);
      m.put("unet_rel_l2", UNetProbe.relativeError(p.stages().unet(), ref.stages().unet(), unetIn, GraphNames.UNET_OUT));
      var cnIn = UNetProbe.inputs(p.manifest().graphs().get(GraphNames.CONTROLNET), 1, latent, 12);
      m.put("controlnet_rel_l2_map0", UNetProbe.relativeError(p.stages().controlNet(), ref.stages().controlNet(), cnIn,
          GraphNames.controlName(0)));
      var vaeIn = UNetProbe.inputs(p.manifest().graphs().get(GraphNames.VAE_DECODER), 1, latent, 13);
      m.put("vae_decoder_rel_l2", UNetProbe.relativeError(p.stages().vaeDecoder, ref.stages().vaeDecoder, vaeIn,
          GraphNames.VAE_DEC_OUT));
    }
    log("reference: %s", m);
    return m;
  }

  static AnyText2Request request(int size, int steps, int images) {
    return AnyText2Request.generate(PROMPT).line("OPEN").line("Fresh Bread").size(size, size).steps(steps).count(images)
        .cfgScale(9f).seed(1).build();
  }

  static RuntimeOptions runtime(String provider, String trtCache) {
    return switch (provider) {
      case "cpu" -> RuntimeOptions.cpu();
      case "cuda" -> RuntimeOptions.of(new ExecutionProvider.Cuda(0), true);
      case "tensorrt" -> new RuntimeOptions(List.of(new ExecutionProvider.TensorRt(0, trtCache == null ? null : Path.of(trtCache), true),
          new ExecutionProvider.Cuda(0)), false, 0);
      default -> throw new IllegalArgumentException("--provider: expected cpu, cuda or tensorrt, found " + provider);
    };
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, found " + args[i]);
      String k = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) m.put(k, args[++i]);
      else m.put(k, "true");
    }
    return m;
  }

  private static String required(Map<String, String> a, String k) {
    String v = a.get(k);
    if (v == null) throw new IllegalArgumentException("--" + k + " is required");
    return v;
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }
}
