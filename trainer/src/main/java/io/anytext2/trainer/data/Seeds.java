package io.anytext2.trainer.data;

/** Seed derivation shared by the loader and the synthetic generator. */
final class Seeds {

  private Seeds() {}

  /** SplitMix64's step and finaliser: nearby inputs give unrelated outputs. */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed for item {@code index} of stream {@code stream} of a run seeded with {@code seed}. */
  static long derive(long seed, long stream, long index) {
    return mix(mix(mix(seed) + stream) + index);
  }
}
