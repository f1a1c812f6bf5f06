package io.anytext2.exporter.pkg;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File moves for packages: the finished folder replaces the destination in as few steps as possible. */
final class PackageFiles {
  private PackageFiles() {}

  /** Moves {@code fresh} to {@code dest}; an existing {@code dest} is moved aside first and deleted last. */
  static void replace(Path fresh, Path dest) throws IOException {
    Path old = null;
    if (Files.exists(dest)) {
      old = dest.resolveSibling("." + dest.getFileName() + ".old-" + System.nanoTime());
      Files.move(dest, old);
    }
    try {
      try {
        Files.move(fresh, dest, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(fresh, dest);
      }
    } catch (IOException e) {
      if (old != null) Files.move(old, dest); // put the user's package back
      throw e;
    }
    if (old != null) deleteTree(old);
  }

  /** Temp folders are created owner-only; a finished package is an ordinary, shareable folder. */
  static void readableByAll(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the default permissions stay
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp folder is harmless and named as such
    }
  }
}
