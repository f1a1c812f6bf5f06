package io.anytext2.exporter.pkg;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.nn.config.AnyText2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Model packages made from parity fixture folders (shared/parity/README.md: {@code model.ckpt},
 * {@code tiny.yaml} with its CLIP folder, {@code en_dict.txt}). Tests of every module that needs a
 * runnable package (the command line, the HTTP service) convert the tiny fixture through here
 * instead of each repeating the conversion.
 */
public final class FixturePackages {
  private static final Map<Path, Path> CONVERTED = new HashMap<>();

  private FixturePackages() {}

  /** Converts {@code checkpoint} with the architecture of {@code yaml} (and its CLIP folder) into a package at {@code out}. */
  public static Path convert(Path checkpoint, Path yaml, Path ocrDictionary, Path out) throws IOException {
    return convert(checkpoint, yaml, ocrDictionary, out, Precision.FP32, false);
  }

  /** {@link #convert(Path, Path, Path, Path)} in {@code precision}, with or without fused attention. */
  public static Path convert(Path checkpoint, Path yaml, Path ocrDictionary, Path out, Precision precision,
      boolean fusedAttention) throws IOException {
    try (Checkpoint ckpt = Checkpoints.open(checkpoint)) {
      Path clip = ModelConfigLoader.clipFolder(yaml, ModelConfigLoader.readYaml(yaml));
      AnyText2Config cfg = ModelConfigLoader.load(yaml, clip, ckpt);
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, checkpoint.getFileName().toString(), cfg,
          yaml.getFileName().toString(), clip, ocrDictionary, out, false, precision, fusedAttention), (name, index, graphs) -> {});
    }
    return out;
  }

  /**
   * The tiny fixture folder {@code fixtureDir} converted once per JVM into a temporary folder (random
   * weights: good for testing machinery, not looks).
   */
  public static synchronized Path tinyOnce(Path fixtureDir) throws IOException {
    Path key = fixtureDir.toAbsolutePath().normalize();
    Path done = CONVERTED.get(key);
    if (done != null && Files.isRegularFile(done.resolve("manifest.json"))) return done;
    Path out = convert(key.resolve("model.ckpt"), key.resolve("tiny.yaml"), key.resolve("en_dict.txt"),
        Files.createTempDirectory("anytext2-tinypkg-").resolve("pkg"));
    CONVERTED.put(key, out);
    return out;
  }
}
