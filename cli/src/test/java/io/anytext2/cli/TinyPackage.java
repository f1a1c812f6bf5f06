package io.anytext2.cli;

import io.anytext2.exporter.pkg.FixturePackages;
import java.io.IOException;
import java.nio.file.Path;

/** The tiny parity checkpoint converted once per JVM (random weights: tests check machinery, not looks). */
final class TinyPackage {
  private TinyPackage() {}

  static Path get() throws IOException {
    return FixturePackages.tinyOnce(Fixtures.tiny());
  }
}
