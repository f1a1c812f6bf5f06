package io.anytext2.trainer.model;

import java.util.SplittableRandom;

/**
 * The random draws of one micro-batch (TRAINING.md Appendix A): timesteps t ~ UI(0, T−1), the
 * diffusion noise ε and the two VAE posterior samples' noise, all N(0, 1). Drawn on the host from
 * a generator seeded by (run seed, micro-batch number), so a resumed run draws exactly what an
 * uninterrupted one would, and a run on a GPU draws the same values as one on the CPU (they are
 * uploaded with the micro-batch).
 */
public record StepNoise(int[] timesteps, float[] eps, float[] imagePosterior, float[] maskedPosterior, long[] latentShape) {

  /** Draws for {@code batch} samples with latents [batch, channels, h, w]. */
  public static StepNoise draw(long seed, long microBatch, int batch, int channels, int h, int w, int timesteps) {
    SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (microBatch + 1)));
    int[] t = new int[batch];
    for (int i = 0; i < batch; i++) t[i] = r.nextInt(timesteps);
    int n = batch * channels * h * w;
    return new StepNoise(t, gaussian(r, n), gaussian(r, n), gaussian(r, n), new long[] {batch, channels, h, w});
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
    return v;
  }
}
