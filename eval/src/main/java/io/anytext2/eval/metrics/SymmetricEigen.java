package io.anytext2.eval.metrics;

/**
 * Eigen-decomposition of a real symmetric matrix in double precision: Householder reduction to
 * tridiagonal form followed by the implicit QL algorithm (the EISPACK routines {@code tred2} and
 * {@code tql2}, in the formulation of the public-domain JAMA library). Eigenvalues come out in
 * ascending order, eigenvectors as the columns of {@link #vectors()}; A = V·diag(λ)·Vᵀ.
 */
public final class SymmetricEigen {
  private final double[] values;
  private final double[][] vectors; // null when only values were asked for

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /** Values and vectors of {@code a} (only its lower triangle is read; {@code a} is not modified). */
  public static SymmetricEigen of(double[][] a) {
    return decompose(a, true);
  }

  /** Eigenvalues only (skips accumulating the transformations: about half the work). */
  public static double[] valuesOf(double[][] a) {
    return decompose(a, false).values;
  }

  public double[] values() {
    return values.clone();
  }

  /** Eigenvectors as columns: {@code vectors()[row][k]} belongs to {@code values()[k]}. */
  public double[][] vectors() {
    if (vectors == null) throw new IllegalStateException("eigenvectors were not computed");
    double[][] c = new double[vectors.length][];
    for (int i = 0; i < c.length; i++) c[i] = vectors[i].clone();
    return c;
  }

  private static SymmetricEigen decompose(double[][] a, boolean wantVectors) {
    int n = a.length;
    if (n == 0) throw new IllegalArgumentException("expected a non-empty matrix, found 0x0");
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) throw new IllegalArgumentException("expected a square " + n + "x" + n + " matrix, found a row of " + a[i].length);
      for (int j = 0; j <= i; j++) {
        double x = a[i][j];
        if (!Double.isFinite(x)) throw new IllegalArgumentException("expected finite matrix entries, found " + x + " at (" + i + "," + j + ")");
        v[i][j] = x;
        v[j][i] = x;
      }
    }
    double[] d = new double[n];
    double[] e = new double[n];
    tred2(v, d, e, wantVectors);
    // tql2 rotates pairs of eigenvector columns; on the transpose these are contiguous rows
    double[][] vt = wantVectors ? transpose(v) : null;
    tql2(d, e, vt);
    sortAscending(d, vt);
    return new SymmetricEigen(d, wantVectors ? transpose(vt) : null);
  }

  /** Householder tridiagonalisation; leaves the diagonal in d, the sub-diagonal in e[1..n-1]. */
  private static void tred2(double[][] v, double[] d, double[] e, boolean accumulate) {
    int n = d.length;
    for (int j = 0; j < n; j++) d[j] = v[n - 1][j];
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[i - 1][j];
          v[i][j] = 0;
          v[j][i] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) g = -g;
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) e[j] = 0;
        for (int j = 0; j < i; j++) {
          f = d[j];
          v[j][i] = f;
          g = e[j] + v[j][j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k][j] * d[k];
            e[k] += v[k][j] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) e[j] -= hh * d[j];
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
          d[j] = v[i - 1][j];
          v[i][j] = 0;
        }
      }
      d[i] = h;
    }
    if (accumulate) {
      for (int i = 0; i < n - 1; i++) {
        v[n - 1][i] = v[i][i];
        v[i][i] = 1;
        double h = d[i + 1];
        if (h != 0) {
          for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
          for (int j = 0; j <= i; j++) {
            double g = 0;
            for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
            for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
          }
        }
        for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
      }
      for (int j = 0; j < n; j++) {
        d[j] = v[n - 1][j];
        v[n - 1][j] = 0;
      }
      v[n - 1][n - 1] = 1;
    } else {
      // the diagonal of the tridiagonal matrix, without building the transformation
      for (int i = 0; i < n; i++) d[i] = v[i][i];
    }
    e[0] = 0;
  }

  /** Implicit QL on the tridiagonal (d, e); rotates the rows of vt (= columns of V) when given. */
  private static void tql2(double[] d, double[] e, double[][] vt) {
    int n = d.length;
    for (int i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    final double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n) {
        if (Math.abs(e[m]) <= eps * tst1) break;
        m++;
      }
      if (m > l) {
        int iter = 0;
        do {
          if (++iter > 300) throw new IllegalStateException("eigen-decomposition did not converge (QL iteration " + iter + ")");
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) r = -r;
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) d[i] -= h;
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            if (vt != null) {
              double[] vi = vt[i];
              double[] vi1 = vt[i + 1];
              for (int k = 0; k < n; k++) {
                h = vi1[k];
                vi1[k] = s * vi[k] + c * h;
                vi[k] = c * vi[k] - s * h;
              }
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
  }

  private static void sortAscending(double[] d, double[][] vt) {
    int n = d.length;
    for (int i = 0; i < n - 1; i++) {
      int k = i;
      for (int j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
      if (k != i) {
        double t = d[k];
        d[k] = d[i];
        d[i] = t;
        if (vt != null) {
          double[] r = vt[k];
          vt[k] = vt[i];
          vt[i] = r;
        }
      }
    }
  }

  static double[][] transpose(double[][] a) {
    int n = a.length;
    int m = a[0].length;
    double[][] t = new double[m][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) t[j][i] = a[i][j];
    return t;
  }
}
