package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.sched.NoiseSource;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.Random;

/**
 * Standard normal noise from a seed, reproducible on every JVM ({@link Random#nextGaussian} is
 * specified exactly). The streams for x_T, the masked-image posterior and η-noise are separate, so
 * changing one setting does not shift another's noise. PyTorch's generators are not reproduced: the
 * same seed gives a different (equally valid) picture than the original; parity runs inject noise.
 */
public final class SeededNoise implements NoiseSource {
  private final Random random;

  private SeededNoise(long seed) {
    this.random = new Random(seed);
  }

  /** x_T for {@code count} images: [count, channels, h, w]. */
  public static FloatTensor initial(long seed, int count, int channels, int h, int w) {
    return sample(new SeededNoise(mix(seed, 1)), new long[] {count, channels, h, w});
  }

  /** The posterior ε of the masked-image latent: [1, channels, h, w]. */
  public static FloatTensor posterior(long seed, int channels, int h, int w) {
    return sample(new SeededNoise(mix(seed, 2)), new long[] {1, channels, h, w});
  }

  /** Per-step noise for η > 0. */
  public static NoiseSource steps(long seed) {
    return new SeededNoise(mix(seed, 3));
  }

  @Override
  public void fillStandardNormal(float[] out) {
    for (int i = 0; i < out.length; i++) out[i] = (float) random.nextGaussian();
  }

  private static FloatTensor sample(SeededNoise n, long[] shape) {
    FloatTensor t = FloatTensor.zeros(shape);
    n.fillStandardNormal(t.data());
    return t;
  }

  private static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream; // SplitMix64 finaliser: unrelated streams per purpose
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
