package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the tiny parity fixtures; tests that need them are skipped when they are absent. */
final class ParityFixtures {
  private ParityFixtures() {}

  static Path tinyDir() {
    String dir = System.getProperty("anytext2.parity.dir");
    assumeTrue(dir != null, "system property anytext2.parity.dir is not set; parity fixtures skipped");
    Path tiny = Path.of(dir, "tiny");
    assumeTrue(Files.isDirectory(tiny), "parity fixtures not found at " + tiny + "; skipped");
    return tiny;
  }

  static Path tinyFile(String name) {
    Path file = tinyDir().resolve(name);
    assumeTrue(Files.isRegularFile(file), "parity fixture " + file + " is absent; skipped");
    return file;
  }

  static JsonNode fixturesJson() throws IOException {
    return new ObjectMapper().readTree(tinyFile("fixtures.json").toFile());
  }
}
