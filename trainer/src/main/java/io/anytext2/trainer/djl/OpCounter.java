package io.anytext2.trainer.djl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Counts the host-side work of a training step: tensor operations issued from Java (each one a JNI
 * call, a libtorch dispatch and, on a GPU, a kernel launch: tens of microseconds of host time),
 * uploads of host values (on a GPU a synchronous copy that first waits for all queued work) and
 * reads of values back to the host (a wait for the device). Off unless the system property
 * {@value #PROPERTY} is {@code true}; then the trainer logs the counts per micro-batch and per
 * optimizer step, split by model part ({@link #part}).
 *
 * <p>What counts as one operation: an array produced by {@link DjlOps} (also views and scalar
 * fills), an upload ({@link HostArrays#floats}/{@link HostArrays#longs}), and the direct DJL calls of
 * the crop and the optimizer, which count themselves. The autograd backward pass is one call from
 * Java (its kernels are launched by libtorch's C++ engine) and is counted once.
 *
 * <p>Single-threaded, like the training loop; the counts are global.
 */
public final class OpCounter {
  public static final String PROPERTY = "anytext2.trainer.countOps";
  private static final String OTHER = "other";

  private static boolean enabled = Boolean.getBoolean(PROPERTY);
  private static Tally tally = new Tally();
  private static String part = OTHER;

  private OpCounter() {}

  public static boolean enabled() {
    return enabled;
  }

  /** Switches counting on or off (tests and probes; the trainer follows the system property). */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /** {@code n} tensor operations issued from Java. */
  public static void ops(int n) {
    if (enabled) tally.add(part, n, 0, 0);
  }

  static void upload() {
    if (enabled) tally.add(part, 1, 1, 0);
  }

  static void read() {
    if (enabled) tally.add(part, 0, 0, 1);
  }

  /** Runs {@code body}, attributing its operations (and time) to {@code name} (innermost part wins). */
  public static <T> T part(String name, Supplier<T> body) {
    if (!enabled) return body.get();
    String outer = part;
    part = name;
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      tally.time(name, System.nanoTime() - start);
      part = outer;
    }
  }

  /** {@link #part} for a body without a result. */
  public static void part(String name, Runnable body) {
    part(name, () -> {
      body.run();
      return null;
    });
  }

  /** The counts since the last call, then starts afresh. */
  public static Tally take() {
    Tally t = tally;
    tally = new Tally();
    return t;
  }

  /** Operations, uploads and host reads, in total and by part (in the order parts were first seen). */
  public static final class Tally {
    private final Map<String, long[]> byPart = new LinkedHashMap<>(); // ops, uploads, reads, nanos (inclusive)
    private long ops;
    private long uploads;
    private long reads;

    void add(String name, int op, int upload, int read) {
      long[] c = byPart.computeIfAbsent(name, k -> new long[4]);
      c[0] += op;
      c[1] += upload;
      c[2] += read;
      ops += op;
      uploads += upload;
      reads += read;
    }

    void time(String name, long nanos) {
      byPart.computeIfAbsent(name, k -> new long[4])[3] += nanos;
    }

    public long ops() {
      return ops;
    }

    public long uploads() {
      return uploads;
    }

    public long reads() {
      return reads;
    }

    /** Operations attributed to {@code name} itself (not to parts nested in it). */
    public long ops(String name) {
      long[] c = byPart.get(name);
      return c == null ? 0 : c[0];
    }

    /** One line: totals, then per part "name ops/uploads/reads (ms)"; times include nested parts. */
    public String describe() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d ops, %d uploads, %d host reads", ops, uploads, reads));
      if (byPart.size() > 1 || !byPart.containsKey(OTHER)) {
        s.append(" | by part (ops/uploads/reads, ms):");
        byPart.forEach((name, c) -> s.append(String.format(Locale.ROOT, " %s %d/%d/%d (%.0f)", name, c[0], c[1], c[2], c[3] / 1e6)));
      }
      return s.toString();
    }
  }
}
