package io.anytext2.cli;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.exporter.pkg.GeneratedCheckpoint;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.pkg.ModelManifest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 convert}: checkpoint → ONNX model package. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert an AnyText2 checkpoint (.ckpt/.pth PyTorch zip, or .safetensors) into an ONNX model package.",
      "The pickle inside a .ckpt is read with an allow-list: nothing in the file is ever executed."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 convert --checkpoint models/anytext_v2.0.ckpt --out models/anytext2-onnx",
      "  anytext2 convert --checkpoint tiny/model.ckpt --config tiny/tiny.yaml --ocr-dict tiny/en_dict.txt --out tiny-pkg",
      "  anytext2 convert --checkpoint models/anytext_v2.0.ckpt --fp16 --out models/anytext2-onnx-fp16",
      "  anytext2 convert --random-init --seed 7 --fp16 --out /tmp/random-fp16   (seeded random weights, no file; for benchmarks)",
      "  anytext2 convert --checkpoint models/anytext_v2.0.ckpt --fp16 --fused-attention --out models/anytext2-onnx-fp16-fused",
      "  anytext2 convert --checkpoint models/anytext_v2.0.ckpt --cuda --out models/anytext2-cuda   (the fastest for NVIDIA "
          + "GPUs; CUDA only)"
    })
final class ConvertCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", description = "checkpoint file (.ckpt, .pth, .safetensors); or --random-init")
  Path checkpoint;

  @Option(names = "--judge", paramLabel = "FILE", description = "take the OCR judge (ocr_recognizer.onnx, what evaluations read "
      + "with) from FILE's text_predictor.* weights, e.g. a recognizer trained on longer than the model's; the embedding "
      + "graph keeps the checkpoint's recognizer, the one the model was trained with")
  Path judge;

  @Option(names = "--random-init", description = "no checkpoint: seeded random weights of the config (official key layout, "
      + "the parity fixtures' initialisation recipe, official OCR sizes); for benchmarks and tests, never for images")
  boolean randomInit;

  @Option(names = "--seed", defaultValue = "0", description = "seed of --random-init (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--fp16", description = "half-precision package: weights and compute in float16 for the text encoder, "
      + "ControlNet, UNet and VAE, float32 inputs/outputs, plus a float32 VAE decoder as fallback")
  boolean fp16;

  @Option(names = "--fp32-norms", description = "with --fp16: run GroupNorm/LayerNorm and softmax in float32 (slower; for comparison)")
  boolean fp32Norms;

  @Option(names = "--fused-attention", description = "GPU packages: attention of the UNet, ControlNet, sampler and VAE as "
      + "ONNX Runtime's com.microsoft.MultiHeadAttention (flash/memory-efficient kernels on CUDA; no score matrices in "
      + "memory) instead of MatMul-Softmax-MatMul; the package then needs ONNX Runtime (manifest: fusedAttention)")
  boolean fusedAttention;

  @Option(names = "--fused-group-norm", description = "CUDA packages: GroupNorm (+ SiLU) of the UNet, ControlNet, sampler "
      + "and VAE as ONNX Runtime's channels-last com.microsoft.GroupNorm (one kernel instead of five or seven; the SDK then "
      + "runs convolutions channels-last, CUDA option prefer_nhwc); the package runs on the CUDA provider only (manifest: "
      + "fusedGroupNorm)")
  boolean fusedGroupNorm;

  @Option(names = "--fused-geglu", description = "CUDA packages: the GEGLU feed-forwards of the UNet, ControlNet and sampler "
      + "as a MatMul and ONNX Runtime's com.microsoft.BiasSplitGelu (bias, split, GELU and product in one kernel) where "
      + "the kernel takes the width (8x 320, 640 or 1280 channels: SD1.5's; other widths stay standard); the package "
      + "runs on the CUDA provider only (manifest: fusedGeglu)")
  boolean fusedGeglu;

  @Option(names = "--packed-attention", description = "CUDA packages, with --fused-attention: one MatMul for q, k and v "
      + "of each self-attention (for k and v of each cross-attention) of the transformer blocks, fed to "
      + "MultiHeadAttention in its packed formats, which ONNX Runtime's CPU kernel does not run; the package runs on "
      + "the CUDA provider only (manifest: packedAttention)")
  boolean packedAttention;

  @Option(names = "--cuda", description = "the fastest package measured for NVIDIA GPUs: --fp16 --fused-attention "
      + "--fused-group-norm --fused-geglu --packed-attention together (runs on the CUDA provider only)")
  boolean cuda;

  @Option(names = "--no-sampler", description = "leave out the optional sampler graph (an ONNX Loop over DDIM steps with a "
      + "second copy of the UNet weights): it saves host-device transfers on GPUs and only adds size for CPU packages")
  boolean noSampler;

  @Option(names = "--config", description = "models_yaml config (default: the bundled official anytext2_sd15.yaml)")
  Path config;

  @Option(names = "--tokenizer", description = "CLIP folder with config.json, vocab.json, merges.txt (default: from the config's version, or the bundled CLIP ViT-L/14 vocabulary)")
  Path tokenizer;

  @Option(names = "--ocr-dict", description = "character dictionary of the OCR recognizer (e.g. ppocr_keys_v1.txt); optional, needed for OCR evaluation")
  Path ocrDict;

  @Option(names = "--out", required = true, description = "output package folder (must not exist unless --overwrite)")
  Path out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (randomInit == (checkpoint != null)) {
      throw new IllegalArgumentException("expected exactly one of --checkpoint FILE and --random-init");
    }
    if (judge != null) requireFile(judge, "judge checkpoint");
    if (cuda) fp16 = fusedAttention = fusedGroupNorm = fusedGeglu = packedAttention = true;
    if (fp32Norms && !fp16) throw new IllegalArgumentException("--fp32-norms needs --fp16");
    if (packedAttention && !fusedAttention) throw new IllegalArgumentException("--packed-attention needs --fused-attention");
    if (checkpoint != null) requireFile(checkpoint, "checkpoint");
    if (config != null) requireFile(config, "config");
    if (ocrDict != null) requireFile(ocrDict, "OCR dictionary");
    refuseExisting(out, overwrite);
    try {
      return convert();
    } catch (OutOfMemoryError e) {
      // the writer has already removed its partial output; say what to change instead of a stack trace
      throw new IllegalStateException("out of Java heap (-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m): the converter "
          + "needs the largest tensor plus about 10 MB (-Xmx160m for SD1.5); raise it with ANYTEXT2_JAVA_OPTS=-Xmx1g", e);
    }
  }

  private int convert() throws Exception {
    long t0 = System.nanoTime();
    Path clipDir = tokenizer != null ? tokenizer : ModelConfigLoader.clipFolder(config, ModelConfigLoader.readYaml(config));
    AnyText2Config randomCfg = randomInit ? ModelConfigLoader.loadWithOcr(config, clipDir, OcrConfig.official()) : null;
    Precision precision = !fp16 ? Precision.FP32 : fp32Norms ? Precision.FP16_FP32_NORMS : Precision.FP16;
    String source = randomInit ? "random-init(seed=" + seed + ")" : checkpoint.getFileName().toString();
    try (Checkpoint ckpt = randomInit ? new GeneratedCheckpoint(new RandomCheckpoint(randomCfg, seed))
        : Checkpoints.open(checkpoint); Checkpoint judged = judge == null ? null : Checkpoints.open(judge)) {
      AnyText2Config cfg = randomInit ? randomCfg : ModelConfigLoader.load(config, clipDir, ckpt);
      ModelManifest m;
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("convert").setStyle(ProgressBarStyle.ASCII)
          .setInitialMax(1).setUnit(" MB", 1 << 20).showSpeed().continuousUpdate().build()) {
        bar.maxHint(totalBytes(ckpt));
        m = ModelPackageWriter.write(
            new ModelPackageWriter.Request(ckpt, source, cfg,
                config == null ? ModelConfigLoader.BUNDLED_SD15 : config.getFileName().toString(), clipDir, ocrDict, out, overwrite,
                precision, fusedAttention, !noSampler, fusedGroupNorm).withFusions(fusedGeglu, packedAttention).withJudge(judged),
            new ModelPackageWriter.Progress() {
              @Override
              public void graph(String name, int index, int graphs) {
                bar.setExtraMessage(" " + name + " (" + (index + 1) + "/" + graphs + ")");
              }

              @Override
              public void weight(String key, long bytes) {
                bar.stepBy(bytes);
              }
            });
        bar.stepTo(bar.getMax());
      }
      System.out.printf("wrote %s (%s%s, native size %dx%d): %d graphs, %d tensors, %.1f s, peak heap %d MB%n", out, m.precision(),
          (m.fusedAttention() ? ", fused attention" : "") + (m.fusedGroupNorm() ? ", fused GroupNorm" : "")
              + (m.fusedGeglu() ? ", fused GEGLU" : "") + (m.packedAttention() ? ", packed attention" : "")
              + (m.cudaOnly() ? " (CUDA only)" : ""), m.nativeSize(), m.nativeSize(), m.graphs().size(),
          m.source().tensors(), (System.nanoTime() - t0) / 1e9, peakHeapBytes() >> 20);
    }
    return 0;
  }

  /**
   * Sum of the heap pools' peak usages since the JVM started: an upper bound of the live heap at
   * any moment (pools peak at different times), which is what -Xmx must accommodate.
   */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  private static long totalBytes(Checkpoint ckpt) {
    long n = 0;
    for (String k : ckpt.keys()) n += 4 * ckpt.info(k).numel();
    return Math.max(1, n);
  }

  static void requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) throw new IllegalArgumentException(what + " " + p + " does not exist");
  }

  /** Refuses to write over {@code out} unless {@code overwrite}: the commands' one rule for existing outputs. */
  static void refuseExisting(Path out, boolean overwrite) {
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException("output " + out + " already exists (pass --overwrite to replace it)");
    }
  }
}
