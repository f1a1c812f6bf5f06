package io.anytext2.sdk.prep;

/**
 * Least-squares similarity transform between 2-D point sets (Umeyama 1991), as scikit-image's
 * {@code _umeyama(src, dst, estimate_scale=True)} that the original's {@code crop_image} calls
 * (MODEL.md §3.4.3 step 4), with a closed-form 2x2 SVD.
 */
final class Similarity2d {

  /** float32 machine epsilon: the original's point arrays are float32, and so is its rank test. */
  private static final double FLOAT32_EPS = Math.ulp(1.0f);

  private Similarity2d() {}

  /**
   * The 3x3 matrix {@code [[s R, t], [0, 0, 1]]} (row-major) mapping {@code src} onto {@code dst}
   * (both {@code [x0, y0, x1, y1, ...]} of float32 values, as the original's point arrays).
   *
   * <p>The original runs scikit-image on float32 arrays under NumPy 2 promotion rules: means,
   * covariance, variances and {@code 1 / variance} stay float32, the SVD is LAPACK's float32 one
   * (approximated here by a double SVD rounded to float32), and the scale and translation are then
   * float64. Emulating that matters: {@code 1 / var} in float32 makes an exact translation carry a
   * scale of {@code 1 + 3e-8}, which shifts the sampling grid by a float32 ulp.
   */
  static double[] estimate(float[] src, float[] dst) {
    int n = src.length / 2;
    float[] ms = mean(src);
    float[] md = mean(dst);
    float[] a = new float[4]; // A = dst_demeanᵀ · src_demean / n
    float[] sd = new float[src.length];
    for (int k = 0; k < n; k++) {
      sd[2 * k] = src[2 * k] - ms[0];
      sd[2 * k + 1] = src[2 * k + 1] - ms[1];
      float dx = dst[2 * k] - md[0];
      float dy = dst[2 * k + 1] - md[1];
      a[0] += dx * sd[2 * k];
      a[1] += dx * sd[2 * k + 1];
      a[2] += dy * sd[2 * k];
      a[3] += dy * sd[2 * k + 1];
    }
    for (int i = 0; i < 4; i++) {
      a[i] /= n;
    }
    float[] sdMean = mean(sd);
    float varX = 0;
    float varY = 0;
    for (int k = 0; k < n; k++) {
      float ex = sd[2 * k] - sdMean[0];
      float ey = sd[2 * k + 1] - sdMean[1];
      varX += ex * ex;
      varY += ey * ey;
    }
    float varSum = varX / n + varY / n;
    double[] ad = {a[0], a[1], a[2], a[3]};
    double[] d = {1, det(ad) < 0 ? -1 : 1};
    double[][] usv = svd2(ad);
    double[] u = toFloat32(usv[0]);
    double[] s = toFloat32(usv[1]);
    double[] vh = toFloat32(usv[2]);
    double tol = Math.max(s[0], s[1]) * 2 * FLOAT32_EPS;
    int rank = (s[0] > tol ? 1 : 0) + (s[1] > tol ? 1 : 0);
    double[] r;
    if (rank == 0) {
      throw new IllegalArgumentException(
          "expected a non-degenerate crop box, found all corners equal");
    } else if (rank == 1) {
      r = det(u) * det(vh) > 0 ? mul(u, vh) : mul(mul(u, new double[] {1, 0, 0, -1}), vh);
    } else {
      r = mul(mul(u, new double[] {d[0], 0, 0, d[1]}), vh);
    }
    double scale = (double) (1.0f / varSum) * (s[0] * d[0] + s[1] * d[1]);
    double tx = md[0] - scale * (r[0] * ms[0] + r[1] * ms[1]);
    double ty = md[1] - scale * (r[2] * ms[0] + r[3] * ms[1]);
    return new double[] {scale * r[0], scale * r[1], tx, scale * r[2], scale * r[3], ty, 0, 0, 1};
  }

  private static double[] toFloat32(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  /** SVD of a 2x2 matrix: {U, singular values (descending, >= 0), Vh}, A = U diag(S) Vh. */
  static double[][] svd2(double[] m) {
    double e = (m[0] + m[3]) / 2;
    double f = (m[0] - m[3]) / 2;
    double g = (m[2] + m[1]) / 2;
    double h = (m[2] - m[1]) / 2;
    double q = Math.hypot(e, h);
    double rr = Math.hypot(f, g);
    double sx = q + rr;
    double sy = q - rr;
    double a1 = Math.atan2(g, f);
    double a2 = Math.atan2(h, e);
    double theta = (a2 - a1) / 2;
    double phi = (a2 + a1) / 2;
    double[] u = rot(phi);
    double[] vh = rot(theta);
    if (sy < 0) {
      sy = -sy;
      vh = new double[] {vh[0], vh[1], -vh[2], -vh[3]};
    }
    return new double[][] {u, {sx, sy}, vh};
  }

  private static double[] rot(double t) {
    double c = Math.cos(t);
    double s = Math.sin(t);
    return new double[] {c, -s, s, c};
  }

  static double det(double[] m) {
    return m[0] * m[3] - m[1] * m[2];
  }

  static double[] mul(double[] x, double[] y) {
    return new double[] {
      x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3],
      x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3]
    };
  }

  private static float[] mean(float[] p) {
    int n = p.length / 2;
    float mx = 0;
    float my = 0;
    for (int k = 0; k < n; k++) {
      mx += p[2 * k];
      my += p[2 * k + 1];
    }
    return new float[] {mx / n, my / n};
  }
}
