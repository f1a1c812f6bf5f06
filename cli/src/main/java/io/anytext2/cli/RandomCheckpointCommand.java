package io.anytext2.cli;

import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 random-checkpoint}: a developer tool writing seeded random weights in the official layout. */
@Command(
    name = "random-checkpoint",
    mixinStandardHelpOptions = true,
    description = {
      "Write a checkpoint of seeded random weights in the official AnyText2 key layout.",
      "A developer tool: it tests the converter and runtime at any model size without the real weights",
      "(the images such a model makes are noise)."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 random-checkpoint --out /tmp/sd15-random.ckpt    (full size, 6 GB)",
      "  anytext2 random-checkpoint --config tiny/tiny.yaml --ocr-classes 97 \\",
      "      --ocr-scale 0.25 --out tiny-random.safetensors"
    })
final class RandomCheckpointCommand implements Callable<Integer> {
  @Option(names = "--config", description = "models_yaml config (default: the bundled official anytext2_sd15.yaml)")
  Path config;

  @Option(names = "--clip-config", description = "folder with the text encoder's config.json (default: from the config's version, or CLIP ViT-L/14)")
  Path clipConfig;

  @Option(names = "--ocr-classes", defaultValue = "6625", description = "CTC classes of the OCR recognizers (default: ${DEFAULT-VALUE}, the official dictionary)")
  int ocrClasses;

  @Option(names = "--ocr-scale", defaultValue = "0.5", description = "OCR backbone scale; 32 x scale must be whole (default: ${DEFAULT-VALUE})")
  double ocrScale;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output file: .ckpt/.pth (PyTorch zip) or .safetensors")
  Path out;

  @Option(names = "--overwrite", description = "replace an existing output file")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (config != null) ConvertCommand.requireFile(config, "config");
    if (clipConfig != null && !Files.isDirectory(clipConfig)) {
      throw new IllegalArgumentException("text encoder folder " + clipConfig + " does not exist");
    }
    ConvertCommand.refuseExisting(out, overwrite);
    if (Files.isDirectory(out)) throw new IllegalArgumentException("output " + out + " is a folder, expected a file");
    RandomCheckpoint.isSafetensors(out); // rejects other file names before any work
    long t0 = System.nanoTime();
    RandomCheckpoint rc = new RandomCheckpoint(config(), seed);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("random-checkpoint").setStyle(ProgressBarStyle.ASCII)
        .setInitialMax(Math.max(1, rc.byteSize())).setUnit(" MB", 1 << 20).showSpeed().continuousUpdate().build()) {
      rc.save(out, (key, bytes) -> bar.stepBy(bytes));
    }
    System.out.printf("wrote %s: %d tensors, %,d values, %.2f GB, %.1f s%n", out, rc.tensors().size(), rc.numel(),
        Files.size(out) / 1e9, (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  private AnyText2Config config() {
    if (ocrClasses < 2) throw new IllegalArgumentException("expected --ocr-classes >= 2, found " + ocrClasses);
    double channels = 32 * ocrScale;
    if (!(channels >= 1) || channels != Math.rint(channels)) {
      throw new IllegalArgumentException("expected --ocr-scale with 32 x scale a whole number >= 1 (0.25, 0.5, 1), found " + ocrScale);
    }
    Map<String, Object> tree = ModelConfigLoader.readYaml(config);
    Path clipDir = clipConfig != null ? clipConfig : ModelConfigLoader.clipFolder(config, tree);
    ClipConfig clip = clipDir == null ? ClipConfig.vitL14() : ModelConfigLoader.readClipConfig(clipDir);
    return AnyText2Config.fromYaml(tree, clip, OcrConfig.fromShapes((long) channels, ocrClasses));
  }
}
