package io.anytext2.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as Linux reports it in /proc/self/status (-1 elsewhere). */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Resident set size (VmRSS) in bytes: Java heap plus native memory such as ONNX Runtime's arenas. */
  public static long residentBytes() {
    return field("VmRSS:");
  }

  /** Virtual size (VmSize) in bytes. */
  public static long virtualBytes() {
    return field("VmSize:");
  }

  private static long field(String name) {
    if (!Files.isReadable(STATUS)) return -1;
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          String[] p = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(p[0]) * 1024; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
