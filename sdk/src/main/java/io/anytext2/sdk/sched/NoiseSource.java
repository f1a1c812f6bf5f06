package io.anytext2.sdk.sched;

/**
 * Standard normal noise for DDIM with eta > 0 (MODEL.md §3.10, {@code noise_like(x.shape)}); an
 * implementation may replay a reference run's random stream.
 */
@FunctionalInterface
public interface NoiseSource {

  /** Fills {@code out} with independent N(0, 1) samples (one call per sampling step, whole batch). */
  void fillStandardNormal(float[] out);
}
