package io.anytext2.trainer.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Whole-file replacement that readers never see half-written. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes the bytes to a hidden sibling {@code .<name>.<random>.tmp}, flushes it to disk and renames
   * it over {@code target} (folders created). The temporary file is made with createFile, not
   * createTempFile, so the result has the default permissions rather than owner-only ones.
   */
  static void write(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = Files.createFile(absolute.resolveSibling("." + absolute.getFileName() + "."
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      move(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Renames atomically where the file system can, replacing the target. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
