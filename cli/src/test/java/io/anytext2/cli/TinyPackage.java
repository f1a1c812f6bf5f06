package io.anytext2.cli;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.nn.config.AnyText2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny parity checkpoint converted once per JVM (random weights: tests check machinery, not looks). */
final class TinyPackage {
  private static Path dir;

  private TinyPackage() {}

  static synchronized Path get() throws IOException {
    if (dir != null) return dir;
    Path tiny = Fixtures.tiny();
    Path out = Files.createTempDirectory("anytext2-tinypkg-").resolve("pkg");
    try (Checkpoint ckpt = Checkpoints.open(tiny.resolve("model.ckpt"))) {
      Path yaml = tiny.resolve("tiny.yaml");
      Path clip = ModelConfigLoader.clipFolder(yaml, ModelConfigLoader.readYaml(yaml));
      AnyText2Config cfg = ModelConfigLoader.load(yaml, clip, ckpt);
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "model.ckpt", cfg, "tiny.yaml", clip,
          tiny.resolve("en_dict.txt"), out, false), (n, i, k) -> {});
    }
    dir = out;
    return dir;
  }
}
