package io.anytext2.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/parity (system property anytext2.parity.dir); tests skip with a message without it. */
final class Fixtures {
  private Fixtures() {}

  static Path tiny() {
    String dir = System.getProperty("anytext2.parity.dir", "../shared/parity");
    Path p = Path.of(dir, "tiny");
    assumeTrue(Files.isRegularFile(p.resolve("fixtures.safetensors")),
        "parity fixtures not found at " + p.toAbsolutePath() + " (set -Danytext2.parity.dir); skipping");
    return p;
  }
}
