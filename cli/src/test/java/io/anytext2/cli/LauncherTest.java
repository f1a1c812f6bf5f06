package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./anytext2}, run from a copy whose build is already up to date and with {@code ANYTEXT2_JAVA}
 * a script that prints what the JVM would get: the cuBLAS workspace variable it exports (README "Benchmarks").
 */
class LauncherTest {
  @TempDir Path root;

  private String launch(String cublas, String... args) throws IOException, InterruptedException {
    Path launcher = Path.of("..", "anytext2").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(launcher) && Files.isExecutable(Path.of("/bin/bash")), "no launcher or bash here; skipping");
    Files.copy(launcher, root.resolve("anytext2"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(root.resolve("cli/target/lib"));
    Files.writeString(root.resolve("cli/target/anytext2-cli.jar"), "");
    Files.writeString(root.resolve("cli/target/.built"), ""); // newer than every (absent) source: no build
    Path java = root.resolve("fake-java");
    Files.writeString(java, "#!/usr/bin/env bash\necho \"cublas=${CUBLAS_WORKSPACE_CONFIG:-unset}\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("anytext2").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ANYTEXT2_JAVA", java.toString());
    pb.environment().remove("CUBLAS_WORKSPACE_CONFIG");
    if (cublas != null) pb.environment().put("CUBLAS_WORKSPACE_CONFIG", cublas);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assumeTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theLauncherSetsSmallCublasWorkspacesInLowGpuMemoryMode() throws Exception {
    assertEquals("cublas=:16:8", launch(null, "generate", "--device", "cuda"));
  }

  @Test
  void aUsersValueAndTheFastModeAreLeftAlone() throws Exception {
    assertEquals("cublas=:4096:8", launch(":4096:8", "generate"));
    assertEquals("cublas=unset", launch(null, "generate", "--no-low-gpu-memory"));
  }
}
