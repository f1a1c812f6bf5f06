package io.anytext2.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  static double[][] randomSymmetric(int n, long seed) {
    Random r = new Random(seed);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = r.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  /** max |A − V·diag(λ)·Vᵀ| and max |VᵀV − I|. */
  static double[] residuals(double[][] a, SymmetricEigen e) {
    double[][] v = e.vectors();
    double[] l = e.values();
    int n = a.length;
    double rec = 0;
    double orth = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double o = 0;
        for (int k = 0; k < n; k++) {
          s += v[i][k] * l[k] * v[j][k];
          o += v[k][i] * v[k][j];
        }
        rec = Math.max(rec, Math.abs(s - a[i][j]));
        orth = Math.max(orth, Math.abs(o - (i == j ? 1 : 0)));
      }
    }
    return new double[] {rec, orth};
  }

  @Test
  void twoByTwoHasTheHandComputedEigenpairs() {
    // [[2,1],[1,2]]: eigenvalues 1 and 3 with vectors (1,-1)/√2 and (1,1)/√2
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertArrayEquals(new double[] {1, 3}, e.values(), 1e-14);
    double[][] v = e.vectors();
    assertEquals(1 / Math.sqrt(2), Math.abs(v[0][1]), 1e-14);
    assertEquals(v[0][1], v[1][1], 1e-14);
    assertEquals(-v[0][0], v[1][0], 1e-14);
  }

  @Test
  void randomMatricesAreReconstructedWithOrthonormalVectorsAndSortedValues() {
    for (int n : new int[] {1, 3, 17, 64}) {
      double[][] a = randomSymmetric(n, n);
      SymmetricEigen e = SymmetricEigen.of(a);
      double[] res = residuals(a, e);
      assertEquals(0, res[0], 1e-11, "reconstruction n=" + n);
      assertEquals(0, res[1], 1e-12, "orthonormality n=" + n);
      double[] l = e.values();
      for (int i = 1; i < n; i++) assertEquals(true, l[i - 1] <= l[i], "ascending");
      assertArrayEquals(l, SymmetricEigen.valuesOf(a), 1e-11, "values without vectors agree, n=" + n);
      double trace = 0;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        trace += a[i][i];
        sum += l[i];
      }
      assertEquals(trace, sum, 1e-10);
    }
  }

  @Test
  void degenerateMatrices() {
    assertArrayEquals(new double[] {0, 0, 0}, SymmetricEigen.valuesOf(new double[3][3]), 0);
    double[][] diag = {{5, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 5, 0}, {0, 0, 0, -1}};
    SymmetricEigen e = SymmetricEigen.of(diag);
    assertArrayEquals(new double[] {-1, 2, 5, 5}, e.values(), 1e-14);
    assertEquals(0, residuals(diag, e)[0], 1e-14);
    // a zero row/column takes the "scale == 0" branch of the Householder reduction
    double[][] a = randomSymmetric(6, 9);
    for (int i = 0; i < 6; i++) {
      a[2][i] = 0;
      a[i][2] = 0;
    }
    SymmetricEigen z = SymmetricEigen.of(a);
    assertEquals(0, residuals(a, z)[0], 1e-12);
    // rank one: u·uᵀ has eigenvalues 0, …, |u|²
    double[] u = {1, 2, 3, 4};
    double[][] r1 = new double[4][4];
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) r1[i][j] = u[i] * u[j];
    assertArrayEquals(new double[] {0, 0, 0, 30}, SymmetricEigen.valuesOf(r1), 1e-12);
  }

  @Test
  void nonFiniteOrNonSquareInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {2}}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 0}, {Double.NaN, 1}}));
    assertEquals("expected finite matrix entries, found NaN at (1,0)", e.getMessage());
  }
}
