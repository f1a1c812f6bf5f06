package io.anytext2.eval.metrics;

import java.util.stream.IntStream;

/**
 * The Fréchet distance between two Gaussians (the FID formula of pytorch-fid, TRAINING.md §5.4):
 * {@code |μ1 − μ2|² + Tr(Σ1) + Tr(Σ2) − 2·Tr((Σ1·Σ2)^½)}.
 *
 * <p>pytorch-fid takes {@code scipy.linalg.sqrtm} of the non-symmetric product Σ1Σ2. Its trace
 * equals {@code Tr((Σ1^½ Σ2 Σ1^½)^½)}: the two products are similar matrices, so their
 * eigenvalues agree, and the second one is symmetric positive semi-definite. Here Σ1^½ comes
 * from a symmetric eigen-decomposition, and the trace is the sum of the square roots of the
 * eigenvalues of Σ1^½ Σ2 Σ1^½ — no complex arithmetic, no Schur form. Round-off can make tiny
 * eigenvalues negative; they are taken as 0.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  public static double between(Gaussian a, Gaussian b) {
    if (a.dim() != b.dim()) throw new IllegalArgumentException("expected features of equal size, found " + a.dim() + " and " + b.dim());
    int n = a.dim();
    double diff = 0;
    for (int i = 0; i < n; i++) {
      double d = a.mean()[i] - b.mean()[i];
      diff += d * d;
    }
    return diff + trace(a.cov()) + trace(b.cov()) - 2 * traceSqrtProduct(a.cov(), b.cov());
  }

  /** {@code Tr((A·B)^½)} for symmetric positive semi-definite A and B. */
  public static double traceSqrtProduct(double[][] a, double[][] b) {
    double[][] sa = sqrtPsd(a);
    double[][] m = multiply(multiply(sa, b), sa);
    int n = m.length;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (m[i][j] + m[j][i]);
        m[i][j] = s;
        m[j][i] = s;
      }
    }
    double tr = 0;
    for (double v : SymmetricEigen.valuesOf(m)) tr += Math.sqrt(Math.max(v, 0));
    return tr;
  }

  /** The symmetric square root V·diag(√max(λ,0))·Vᵀ of a symmetric positive semi-definite matrix. */
  public static double[][] sqrtPsd(double[][] a) {
    SymmetricEigen e = SymmetricEigen.of(a);
    double[] lambda = e.values();
    double[][] v = e.vectors();
    int n = lambda.length;
    double[][] scaled = new double[n][n]; // V·diag(√λ)
    for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) scaled[i][k] = v[i][k] * Math.sqrt(Math.max(lambda[k], 0));
    return multiply(scaled, SymmetricEigen.transpose(v));
  }

  static double trace(double[][] a) {
    double t = 0;
    for (int i = 0; i < a.length; i++) t += a[i][i];
    return t;
  }

  /** Dense product, rows in parallel (2048² matrices take a few seconds). */
  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int m = b[0].length;
    if (a[0].length != k) throw new IllegalArgumentException("expected inner sizes to match, found " + a[0].length + " and " + k);
    double[][] c = new double[n][m];
    IntStream.range(0, n).parallel().forEach(i -> {
      double[] ci = c[i];
      double[] ai = a[i];
      for (int p = 0; p < k; p++) {
        double x = ai[p];
        if (x == 0) continue;
        double[] bp = b[p];
        for (int j = 0; j < m; j++) ci[j] += x * bp[j];
      }
    });
    return c;
  }
}
