package io.anytext2.sdk.sched;

import java.util.Arrays;

/**
 * The DDIM sampler of the original ({@code cldm/ddim_hacked.py}, ε parameterization, MODEL.md
 * §3.10), computed in float32 exactly as the torch code does.
 *
 * <p>Schedule: β_i = (√start + (√end − √start)·i/(T−1))² and ᾱ = cumprod(1 − β) in float64, then
 * stored as float32 (the model's {@code alphas_cumprod} buffer). Timesteps "uniform" with the +1
 * offset: {@code range(0, T, T // S) + 1}, so there may be more than S of them.
 *
 * <p>Arithmetic mirrored from {@code make_schedule} / {@code p_sample_ddim} (all float32 unless
 * noted): {@code a_t = ᾱ[τ_k]}; {@code a_prev = ᾱ[0]} for k = 0 (not 1) else {@code ᾱ[τ_{k−1}]};
 * {@code sqrt_one_minus_at = sqrt(1 − a_t)}; σ_k in float64 as {@code eta·sqrt((1 − a_prev) /
 * (1 − a_t) · (1 − a_t / a_prev))} with {@code 1 − a_t} taken in float32 (torch tensor) and the rest
 * in float64 (numpy), then cast to float32; per element {@code e = u + s·(c − u)},
 * {@code pred_x0 = (x − sqrt_one_minus_at·e) / sqrt(a_t)},
 * {@code x_prev = (sqrt(a_prev)·pred_x0 + sqrt(1 − a_prev − σ²)·e) + σ·z}, each operation rounded
 * to float32 in that order (no fused multiply-add). No clipping, thresholding or temperature.
 * Immutable and thread-safe.
 */
public final class DdimScheduler {

  /** SD1.5 / AnyText2 YAML values (MODEL.md §3.10, {@code linear_start}, {@code linear_end}, {@code timesteps}). */
  public static final double SD15_LINEAR_START = 0.00085;
  public static final double SD15_LINEAR_END = 0.012;
  public static final int SD15_TIMESTEPS = 1000;

  private final float[] alphasCumprod;
  private final int[] timesteps;
  private final double eta;
  private final float[] alphas;
  private final float[] alphasPrev;
  private final float[] sigmas;
  private final float[] sqrtAlphas;
  private final float[] sqrtOneMinusAlphas;
  private final float[] sqrtAlphasPrev;
  private final float[] directionScales;

  private DdimScheduler(float[] alphasCumprod, int steps, double eta) {
    if (!(eta >= 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("expected eta >= 0, found " + eta);
    }
    this.alphasCumprod = alphasCumprod.clone();
    this.timesteps = uniformTimesteps(steps, alphasCumprod.length);
    this.eta = eta;
    int m = timesteps.length;
    alphas = new float[m];
    alphasPrev = new float[m];
    sigmas = new float[m];
    sqrtAlphas = new float[m];
    sqrtOneMinusAlphas = new float[m];
    sqrtAlphasPrev = new float[m];
    directionScales = new float[m];
    for (int k = 0; k < m; k++) {
      float a = alphasCumprod[timesteps[k]];
      float aPrev = k == 0 ? alphasCumprod[0] : alphasCumprod[timesteps[k - 1]];
      float oneMinusA = 1f - a;
      double sigma = eta * Math.sqrt((1.0 - aPrev) / (double) oneMinusA * (1.0 - (double) a / aPrev));
      alphas[k] = a;
      alphasPrev[k] = aPrev;
      sigmas[k] = (float) sigma;
      sqrtAlphas[k] = sqrtF(a);
      sqrtOneMinusAlphas[k] = sqrtF(oneMinusA);
      sqrtAlphasPrev[k] = sqrtF(aPrev);
      directionScales[k] = sqrtF((1f - aPrev) - sigmas[k] * sigmas[k]);
    }
  }

  /** DDIM over the SD1.5 schedule (linear 0.00085 .. 0.012, 1000 training steps). */
  public static DdimScheduler sd15(int steps, double eta) {
    return create(alphasCumprod(SD15_LINEAR_START, SD15_LINEAR_END, SD15_TIMESTEPS), steps, eta);
  }

  /** DDIM over a given float32 {@code alphas_cumprod} (e.g. read from a checkpoint). */
  public static DdimScheduler create(float[] alphasCumprod, int steps, double eta) {
    if (alphasCumprod.length < 2) {
      throw new IllegalArgumentException("expected at least 2 alphas_cumprod values, found " + alphasCumprod.length);
    }
    return new DdimScheduler(alphasCumprod, steps, eta);
  }

  /**
   * The "linear" beta schedule's {@code alphas_cumprod} (LDM {@code make_beta_schedule} +
   * {@code register_schedule}): √β on a float64 linspace (torch's two-sided formula), squared,
   * cumulative product of 1 − β in float64, stored as float32.
   */
  public static float[] alphasCumprod(double linearStart, double linearEnd, int timesteps) {
    if (timesteps < 2) {
      throw new IllegalArgumentException("expected at least 2 diffusion timesteps, found " + timesteps);
    }
    if (!(linearStart > 0 && linearEnd > 0 && linearStart < 1 && linearEnd < 1)) {
      throw new IllegalArgumentException("expected linear_start and linear_end in (0, 1), found " + linearStart
          + " and " + linearEnd);
    }
    double start = Math.sqrt(linearStart);
    double end = Math.sqrt(linearEnd);
    double step = (end - start) / (timesteps - 1);
    int halfway = timesteps / 2;
    float[] out = new float[timesteps];
    double product = 1.0;
    for (int i = 0; i < timesteps; i++) {
      double root = i < halfway ? start + step * i : end - step * (timesteps - i - 1);
      double beta = root * root;
      product *= 1.0 - beta;
      out[i] = (float) product;
    }
    return out;
  }

  private static int[] uniformTimesteps(int steps, int trainTimesteps) {
    if (steps < 1) {
      throw new IllegalArgumentException("expected at least 1 DDIM step, found " + steps);
    }
    int stride = trainTimesteps / steps;
    // range(0, T, c) + 1 must stay inside alphas_cumprod (the original fails with an IndexError)
    if (stride < 1 || (trainTimesteps - 1) / stride * stride + 1 >= trainTimesteps) {
      throw new IllegalArgumentException("expected a DDIM step count whose timesteps stay below " + trainTimesteps
          + " (stride T // S >= 2), found " + steps + " steps");
    }
    int count = (trainTimesteps + stride - 1) / stride;
    int[] out = new int[count];
    for (int k = 0; k < count; k++) {
      out[k] = k * stride + 1;
    }
    return out;
  }

  private static float sqrtF(float v) {
    return (float) Math.sqrt(v); // double sqrt rounded to float is the correctly rounded float sqrt
  }

  /** Number of sampling steps M (may exceed the requested S when T % S != 0). */
  public int stepCount() {
    return timesteps.length;
  }

  /** The timesteps τ in ascending order (sampling runs k = M−1 down to 0). */
  public int[] timesteps() {
    return timesteps.clone();
  }

  public int timestep(int k) {
    return timesteps[checkStep(k)];
  }

  /** {@code a_k = ᾱ[τ_k]} (float32). */
  public float alpha(int k) {
    return alphas[checkStep(k)];
  }

  /** {@code ᾱ[τ_{k−1}]}, or ᾱ[0] for k = 0 (float32). */
  public float alphaPrev(int k) {
    return alphasPrev[checkStep(k)];
  }

  /** σ_k (float32; 0 when eta is 0). */
  public float sigma(int k) {
    return sigmas[checkStep(k)];
  }

  /** {@code sqrt(a_k)} (float32), the divisor of pred_x0. */
  public float sqrtAlpha(int k) {
    return sqrtAlphas[checkStep(k)];
  }

  /** {@code sqrt(1 − a_k)} (float32). */
  public float sqrtOneMinusAlpha(int k) {
    return sqrtOneMinusAlphas[checkStep(k)];
  }

  /** {@code sqrt(a_prev)} (float32). */
  public float sqrtAlphaPrev(int k) {
    return sqrtAlphasPrev[checkStep(k)];
  }

  /** {@code sqrt(1 − a_prev − σ_k²)} (float32), the scale of the direction pointing to x_t. */
  public float directionScale(int k) {
    return directionScales[checkStep(k)];
  }

  public double eta() {
    return eta;
  }

  /** A copy of the float32 {@code alphas_cumprod} the scheduler reads. */
  public float[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  private int checkStep(int k) {
    if (k < 0 || k >= timesteps.length) {
      throw new IllegalArgumentException("expected a step index in [0, " + timesteps.length + "), found " + k);
    }
    return k;
  }

  /**
   * Classifier-free guidance {@code u + cfg·(c − u)} in float32; {@code epsCond} itself (copied)
   * when {@code epsUncond} is null or {@code cfg == 1}, as the original skips the second call then.
   */
  public static float[] guidedEps(float[] epsCond, float[] epsUncond, float cfg) {
    if (epsUncond == null || cfg == 1f) {
      return epsCond.clone();
    }
    requireSameLength(epsCond, epsUncond, "epsUncond");
    float[] out = new float[epsCond.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = epsUncond[i] + cfg * (epsCond[i] - epsUncond[i]);
    }
    return out;
  }

  /** One deterministic step (eta must be 0); see {@link #step(float[], float[], float[], float, int, NoiseSource)}. */
  public DdimStep step(float[] x, float[] epsCond, float[] epsUncond, float cfg, int k) {
    if (sigmas[checkStep(k)] != 0f) {
      throw new IllegalArgumentException("expected a NoiseSource for eta " + eta + " (sigma_" + k + " = " + sigmas[k]
          + "), found none");
    }
    return step(x, epsCond, epsUncond, cfg, k, null);
  }

  /**
   * Step k (timestep τ_k) from latent {@code x} and the two model outputs at it; arrays hold the
   * whole batch flattened. {@code noise} is asked for one N(0, 1) array of x's size when σ_k > 0 and
   * may be null otherwise. Inputs are not modified.
   */
  public DdimStep step(float[] x, float[] epsCond, float[] epsUncond, float cfg, int k, NoiseSource noise) {
    checkStep(k);
    requireSameLength(x, epsCond, "epsCond");
    float[] e = guidedEps(epsCond, epsUncond, cfg);
    float sigma = sigmas[k];
    float[] z = null;
    if (sigma != 0f) {
      if (noise == null) {
        throw new IllegalArgumentException("expected a NoiseSource for sigma_" + k + " = " + sigma + ", found none");
      }
      z = new float[x.length];
      noise.fillStandardNormal(z);
    }
    float sqrtA = sqrtAlphas[k];
    float sqrtOneMinusA = sqrtOneMinusAlphas[k];
    float sqrtAPrev = sqrtAlphasPrev[k];
    float direction = directionScales[k];
    float[] predX0 = new float[x.length];
    float[] xPrev = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float p = (x[i] - sqrtOneMinusA * e[i]) / sqrtA;
      predX0[i] = p;
      float next = sqrtAPrev * p + direction * e[i];
      xPrev[i] = z == null ? next : next + sigma * z[i];
    }
    return new DdimStep(predX0, xPrev);
  }

  private static void requireSameLength(float[] x, float[] other, String name) {
    if (other.length != x.length) {
      throw new IllegalArgumentException("expected " + name + " of length " + x.length + ", found " + other.length);
    }
  }

  @Override
  public String toString() {
    return "DdimScheduler[steps=" + timesteps.length + ", eta=" + eta + ", timesteps=" + Arrays.toString(timesteps) + "]";
  }
}
