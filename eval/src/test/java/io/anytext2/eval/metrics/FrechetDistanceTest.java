package io.anytext2.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

  static Gaussian g(double[] mean, double[][] cov) {
    return new Gaussian(100, mean, cov);
  }

  @Test
  void diagonalCovariances() {
    // |Δμ|² = 2; Tr Σ1 + Tr Σ2 = 5 + 13; Tr (Σ1Σ2)^½ = √4 + √36 = 8  →  2 + 18 − 16 = 4
    Gaussian a = g(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});
    Gaussian b = g(new double[] {1, 1}, new double[][] {{4, 0}, {0, 9}});
    assertEquals(4.0, FrechetDistance.between(a, b), 1e-12);
    assertEquals(4.0, FrechetDistance.between(b, a), 1e-12);
  }

  @Test
  void nonDiagonalCovariances() {
    double[][] s1 = {{2, 1}, {1, 2}};
    // against the identity: Tr Σ1^½ = √3 + √1, so FID = 4 + 2 − 2(√3 + 1)
    assertEquals(4 - 2 * Math.sqrt(3), FrechetDistance.between(g(new double[] {0, 0}, s1),
        g(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}})), 1e-12);
    // non-commuting pair: for 2x2, (√λ1 + √λ2)² = tr P + 2√det P with P = Σ1Σ2 = [[2,4],[1,8]] (tr 10, det 12)
    double expected = 5 + (4 + 5) - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
    Gaussian a = g(new double[] {1, 2}, s1);
    Gaussian b = g(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});
    assertEquals(expected, FrechetDistance.between(a, b), 1e-12);
    assertEquals(expected, FrechetDistance.between(b, a), 1e-12);
  }

  @Test
  void scaledCovarianceOfAnyShapeGivesItsTrace() {
    // Tr (Σ·4Σ)^½ = 2 Tr Σ, so FID(N(0,Σ), N(0,4Σ)) = Tr Σ + 4 Tr Σ − 4 Tr Σ = Tr Σ
    int n = 40;
    double[][] r = SymmetricEigenTest.randomSymmetric(n, 5);
    double[][] sigma = FrechetDistance.multiply(r, SymmetricEigen.transpose(r)); // positive semi-definite
    double[][] four = new double[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) four[i][j] = 4 * sigma[i][j];
    double[] zero = new double[n];
    double fid = FrechetDistance.between(g(zero, sigma), g(zero, four));
    assertEquals(FrechetDistance.trace(sigma), fid, 1e-9 * FrechetDistance.trace(sigma));
    assertEquals(0, FrechetDistance.between(g(zero, sigma), g(zero, sigma)), 1e-9 * FrechetDistance.trace(sigma));
  }

  @Test
  void singularCovariancesAreFine() {
    // rank-one Σ1 = u·uᵀ and Σ2 = I: Tr (Σ1)^½ = |u|, FID = |u|² + n − 2|u|
    double[] u = {3, 4, 0};
    double[][] s1 = new double[3][3];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) s1[i][j] = u[i] * u[j];
    double[][] id = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    // (the two zero eigenvalues come out as ±1e-16, whose square roots add ~1e-8 each: the usual sqrtm sensitivity at 0)
    assertEquals(25 + 3 - 2 * 5, FrechetDistance.between(g(new double[3], s1), g(new double[3], id)), 1e-6);
  }

  @Test
  void matrixSquareRootSquaresBack() {
    double[][] s = {{4, 2, 0}, {2, 5, 1}, {0, 1, 3}};
    double[][] r = FrechetDistance.sqrtPsd(s);
    double[][] back = FrechetDistance.multiply(r, r);
    for (int i = 0; i < 3; i++) assertArrayEquals(s[i], back[i], 1e-12);
  }

  @Test
  void samplesGiveTheUnbiasedCovariance() {
    // x: 1,3,5 (mean 3, var 8/2 = 4); y: 2,6,4 (mean 4, var 4); cov = ((-2)(-2) + 0·2 + 2·0)/2 = 2
    Gaussian s = Gaussian.ofSamples(new double[][] {{1, 2}, {3, 6}, {5, 4}});
    assertArrayEquals(new double[] {3, 4}, s.mean(), 1e-12);
    assertArrayEquals(new double[] {4, 2}, s.cov()[0], 1e-12);
    assertArrayEquals(new double[] {2, 4}, s.cov()[1], 1e-12);
    assertEquals(3, s.count());
    // a large offset does not cost precision (the accumulator works relative to the first sample)
    Gaussian shifted = Gaussian.ofSamples(new double[][] {{1e8 + 1, 2}, {1e8 + 3, 6}, {1e8 + 5, 4}});
    assertArrayEquals(new double[] {4, 2}, shifted.cov()[0], 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gaussian.ofSamples(new double[][] {{1, 2}}));
    assertEquals("expected at least 2 feature vectors for a covariance, found 1", e.getMessage());
  }

  @Test
  void statisticsRoundTripThroughTheCacheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    Gaussian s = Gaussian.ofSamples(new double[][] {{1, 2}, {3, 6}, {5, 4}});
    java.nio.file.Path f = tmp.resolve("c.bin");
    s.write(f, "key");
    Gaussian back = Gaussian.read(f, "key");
    assertArrayEquals(s.mean(), back.mean(), 0);
    assertArrayEquals(s.cov()[1], back.cov()[1], 0);
    assertEquals(null, Gaussian.read(f, "other key"));
  }
}
