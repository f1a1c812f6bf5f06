package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} start-up failures end the command with one line (the API itself is tested in the server module). */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void aModelThatCannotBeLoadedEndsTheCommand() {
    CliRun r = CliRun.of("serve", "--model", tmp.resolve("missing").toString(), "--port", "0");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("error: cannot load the model:"), r.err());
  }

  @Test
  void badLimitsAreUsageErrors() {
    CliRun r = CliRun.of("serve", "--model", tmp.toString(), "--port", "0", "--workers", "0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("workers must be 1-64"), r.err());
  }
}
