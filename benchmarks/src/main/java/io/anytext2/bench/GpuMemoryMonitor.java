package io.anytext2.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak GPU memory in use, read by polling {@code nvidia-smi} every 20 ms in a child process. It
 * counts everything on the device (CUDA context, ONNX Runtime arenas, cuDNN workspaces), so run
 * one benchmark process per GPU. Without nvidia-smi (CPU runs) every reading is -1.
 */
final class GpuMemoryMonitor implements AutoCloseable {
  private final Process process;
  private final AtomicLong peakMiB = new AtomicLong(-1);
  private final AtomicLong lastMiB = new AtomicLong(-1);

  private GpuMemoryMonitor(Process process) {
    this.process = process;
  }

  /** Starts polling device {@code gpu}; a monitor that reads nothing when nvidia-smi is missing. */
  static GpuMemoryMonitor start(int gpu) {
    Process p;
    try {
      p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i",
          Integer.toString(gpu), "-lms", "20").redirectErrorStream(true).start();
    } catch (IOException e) {
      return new GpuMemoryMonitor(null);
    }
    GpuMemoryMonitor m = new GpuMemoryMonitor(p);
    Thread reader = new Thread(() -> m.read(p), "nvidia-smi-reader");
    reader.setDaemon(true);
    reader.start();
    return m;
  }

  private void read(Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        try {
          long v = Long.parseLong(line.trim());
          lastMiB.set(v);
          peakMiB.accumulateAndGet(v, Math::max);
        } catch (NumberFormatException ignored) {
          // a header or message line
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  boolean available() {
    return process != null;
  }

  /** Highest reading since the start or the last {@link #resetPeak}, MiB (-1 = none). */
  long peakMiB() {
    sleepOnePoll();
    return peakMiB.get();
  }

  long currentMiB() {
    sleepOnePoll();
    return lastMiB.get();
  }

  /** Starts a new peak from the current reading. */
  void resetPeak() {
    sleepOnePoll();
    peakMiB.set(lastMiB.get());
  }

  private void sleepOnePoll() {
    if (process == null) return;
    try {
      Thread.sleep(60);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null) process.destroy();
  }
}
