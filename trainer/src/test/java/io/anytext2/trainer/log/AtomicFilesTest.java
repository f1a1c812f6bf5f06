package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheTargetLeavesNoTemporaryFileAndKeepsDefaultPermissions() throws Exception {
    Path target = dir.resolve("sub/out.bin");
    AtomicFiles.write(target, new byte[] {1, 2});
    AtomicFiles.write(target, new byte[] {3});
    assertEquals(1, Files.size(target));
    assertEquals(3, Files.readAllBytes(target)[0]);
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertEquals(List.of(target), s.toList());
    }
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions are not supported here");
    Path plain = Files.createFile(dir.resolve("plain"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target),
        "same permissions as a file created normally (createTempFile would make it owner-only)");
  }
}
