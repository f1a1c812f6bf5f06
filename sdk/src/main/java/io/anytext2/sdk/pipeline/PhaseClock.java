package io.anytext2.sdk.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time of a request's phases (preprocessing, conditioning, denoising, decoding), so that the time
 * outside the denoising loop can be told apart without a profiler. {@link #mark} closes the phase
 * that ran since the previous mark; a phase marked twice adds up.
 */
public final class PhaseClock {
  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private long last = System.nanoTime();

  /** Ends phase {@code name} now (it began at the previous mark or at construction). */
  public void mark(String name) {
    long now = System.nanoTime();
    nanos.merge(name, now - last, Long::sum);
    last = now;
  }

  /** Milliseconds per phase, in the order the phases were first marked. */
  public Map<String, Double> millis() {
    Map<String, Double> out = new LinkedHashMap<>();
    nanos.forEach((k, v) -> out.put(k, v / 1e6));
    return Collections.unmodifiableMap(out);
  }
}
