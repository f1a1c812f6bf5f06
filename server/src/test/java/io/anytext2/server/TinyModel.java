package io.anytext2.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.exporter.pkg.FixturePackages;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny parity model (random weights, 128×128) as a package, converted once per JVM; skips without the fixtures. */
final class TinyModel {
  private TinyModel() {}

  static Path fixture() {
    Path p = Path.of(System.getProperty("anytext2.parity.dir", "../shared/parity"), "tiny");
    assumeTrue(Files.isRegularFile(p.resolve("model.ckpt")),
        "parity fixtures not found at " + p.toAbsolutePath() + " (set -Danytext2.parity.dir); skipping");
    return p;
  }

  static Path packageDir() throws IOException {
    return FixturePackages.tinyOnce(fixture());
  }

  /** An engine on the tiny package (2 intra-op threads: the test machines are small). */
  static Engine engine() {
    try {
      return Engine.of(AnyText2Pipeline.open(packageDir(), RuntimeOptions.cpu().withThreads(2)), "tiny");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
