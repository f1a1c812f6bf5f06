package io.anytext2.exporter.pkg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 13 diffusion schedule buffers an official checkpoint stores next to the networks (MODEL.md
 * §4.2), computed as the original's {@code DDPM.register_schedule} does: betas from a float64
 * {@code torch.linspace} of √linear_start..√linear_end, squared ("linear" schedule); everything
 * else in float64 numpy arithmetic with {@code v_posterior = 0}; stored as float32. {@code logvar}
 * is {@code torch.full((timesteps,), logvar_init = 0)}.
 */
public final class DiffusionSchedule {
  /** Buffer names in registration (= file) order. */
  public static final List<String> BUFFERS = List.of("betas", "alphas_cumprod", "alphas_cumprod_prev",
      "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod",
      "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod", "posterior_variance",
      "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2", "logvar");

  private DiffusionSchedule() {}

  /** Every buffer of {@link #BUFFERS}, each {@code timesteps} long, as float32. */
  public static Map<String, float[]> buffers(double linearStart, double linearEnd, int timesteps) {
    if (timesteps < 2) throw new IllegalArgumentException("expected at least 2 timesteps, found " + timesteps);
    if (!(linearStart > 0 && linearEnd > linearStart && linearEnd < 1)) {
      throw new IllegalArgumentException("expected 0 < linear_start < linear_end < 1, found " + linearStart + ", " + linearEnd);
    }
    int n = timesteps;
    double[] betas = betas(linearStart, linearEnd, n);
    double[] alphas = new double[n];
    double[] ac = new double[n];
    double[] acPrev = new double[n];
    double product = 1;
    for (int i = 0; i < n; i++) {
      alphas[i] = 1. - betas[i];
      acPrev[i] = product; // np.append(1., alphas_cumprod[:-1])
      product *= alphas[i]; // np.cumprod multiplies left to right
      ac[i] = product;
    }
    Map<String, double[]> d = new LinkedHashMap<>();
    d.put("betas", betas);
    d.put("alphas_cumprod", ac);
    d.put("alphas_cumprod_prev", acPrev);
    d.put("sqrt_alphas_cumprod", map(n, i -> Math.sqrt(ac[i])));
    d.put("sqrt_one_minus_alphas_cumprod", map(n, i -> Math.sqrt(1. - ac[i])));
    d.put("log_one_minus_alphas_cumprod", map(n, i -> Math.log(1. - ac[i])));
    d.put("sqrt_recip_alphas_cumprod", map(n, i -> Math.sqrt(1. / ac[i])));
    d.put("sqrt_recipm1_alphas_cumprod", map(n, i -> Math.sqrt(1. / ac[i] - 1)));
    double[] posteriorVariance = map(n, i -> betas[i] * (1. - acPrev[i]) / (1. - ac[i]));
    d.put("posterior_variance", posteriorVariance);
    d.put("posterior_log_variance_clipped", map(n, i -> Math.log(Math.max(posteriorVariance[i], 1e-20))));
    d.put("posterior_mean_coef1", map(n, i -> betas[i] * Math.sqrt(acPrev[i]) / (1. - ac[i])));
    d.put("posterior_mean_coef2", map(n, i -> (1. - acPrev[i]) * Math.sqrt(alphas[i]) / (1. - ac[i])));
    d.put("logvar", new double[n]);
    Map<String, float[]> out = new LinkedHashMap<>();
    d.forEach((k, v) -> {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = (float) v[i];
      out.put(k, f);
    });
    return out;
  }

  /**
   * {@code torch.linspace(√start, √end, n, dtype=float64) ** 2}. torch fills the first half as
   * {@code start + step·i} and the second as {@code end − step·(n−1−i)}, which differs from
   * numpy's {@code start + step·i} in the last bit for some i.
   */
  static double[] betas(double linearStart, double linearEnd, int n) {
    double lo = Math.sqrt(linearStart);
    double hi = Math.sqrt(linearEnd);
    double step = (hi - lo) / (n - 1);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      double x = i < n / 2 ? lo + step * i : hi - step * (n - 1 - i);
      b[i] = x * x;
    }
    return b;
  }

  private interface Element {
    double at(int i);
  }

  private static double[] map(int n, Element f) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = f.at(i);
    return out;
  }
}
