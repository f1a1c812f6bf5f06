package io.anytext2.eval.metrics;

/**
 * Streams feature vectors into mean and covariance without keeping them: sums of the vectors and
 * of their outer products, both taken relative to the first vector (a shift that keeps the
 * one-pass formula accurate in double precision).
 */
public final class GaussianAccumulator {
  private final int dim;
  private double[] shift;
  private final double[] sum;
  private final double[] outer; // upper triangle, row-major, dim x dim
  private long count;

  public GaussianAccumulator(int dim) {
    if (dim < 1) throw new IllegalArgumentException("expected a positive feature size, found " + dim);
    this.dim = dim;
    this.sum = new double[dim];
    this.outer = new double[dim * dim];
  }

  public long count() {
    return count;
  }

  public void add(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) d[i] = x[i];
    add(d);
  }

  public void add(double[] x) {
    if (x.length != dim) throw new IllegalArgumentException("expected " + dim + " features, found " + x.length);
    for (double v : x) if (!Double.isFinite(v)) throw new IllegalArgumentException("expected finite features, found " + v);
    if (shift == null) shift = x.clone();
    double[] d = new double[dim];
    for (int i = 0; i < dim; i++) {
      d[i] = x[i] - shift[i];
      sum[i] += d[i];
    }
    for (int i = 0; i < dim; i++) {
      double di = d[i];
      if (di == 0) continue;
      int row = i * dim;
      for (int j = i; j < dim; j++) outer[row + j] += di * d[j];
    }
    count++;
  }

  /** Mean and unbiased covariance; needs at least two vectors. */
  public Gaussian result() {
    if (count < 2) throw new IllegalArgumentException("expected at least 2 feature vectors for a covariance, found " + count);
    double[] m = new double[dim];
    double[] mean = new double[dim];
    for (int i = 0; i < dim; i++) {
      m[i] = sum[i] / count;
      mean[i] = shift[i] + m[i];
    }
    double[][] cov = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        double c = (outer[i * dim + j] - count * m[i] * m[j]) / (count - 1);
        cov[i][j] = c;
        cov[j][i] = c;
      }
    }
    return new Gaussian(count, mean, cov);
  }
}
