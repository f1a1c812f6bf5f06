package io.anytext2.sdk.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Schedule and step arithmetic (MODEL.md §3.10). */
class DdimSchedulerTest {

  @Test
  void alphasCumprodMatchesTheReferenceValues() {
    float[] a = DdimScheduler.alphasCumprod(0.00085, 0.012, 1000);
    assertEquals(1000, a.length);
    // float32 values of the original's alphas_cumprod buffer (MODEL.md §3.10), compared exactly
    assertEquals(0.99914998f, a[0]);
    assertEquals(0.99829602f, a[1]);
    assertEquals(0.95052433f, a[51]);
    assertEquals(0.0081550041f, a[951]);
    assertEquals(0.0046600983f, a[999]);
  }

  @Test
  void uniformTimestepsCarryThePlusOneOffset() {
    assertArrayEquals(new int[] {1, 251, 501, 751}, DdimScheduler.sd15(4, 0).timesteps());
    int[] twenty = DdimScheduler.sd15(20, 0).timesteps();
    assertEquals(20, twenty.length);
    assertEquals(951, twenty[19]);
    // 1000 // 30 = 33: range(0, 1000, 33) has 31 entries
    DdimScheduler thirty = DdimScheduler.sd15(30, 0);
    assertEquals(31, thirty.stepCount());
    assertEquals(991, thirty.timestep(30));
    assertEquals(999, DdimScheduler.sd15(500, 0).timestep(499));
    assertThrows(IllegalArgumentException.class, () -> DdimScheduler.sd15(501, 0));
    assertThrows(IllegalArgumentException.class, () -> DdimScheduler.sd15(0, 0));
  }

  @Test
  void alphasAndPreviousAlphas() {
    DdimScheduler s = DdimScheduler.sd15(4, 0);
    float[] ac = DdimScheduler.alphasCumprod(0.00085, 0.012, 1000);
    assertEquals(ac[751], s.alpha(3));
    assertEquals(ac[501], s.alphaPrev(3));
    assertEquals(ac[1], s.alpha(0));
    assertEquals(ac[0], s.alphaPrev(0)); // the last step targets alphas_cumprod[0], not 1
    assertEquals(0f, s.sigma(2));
  }

  @Test
  void stepFollowsTheDdimFormula() {
    DdimScheduler s = DdimScheduler.sd15(20, 0);
    Random r = new Random(3);
    float[] x = randn(r, 64);
    float[] c = randn(r, 64);
    float[] u = randn(r, 64);
    int k = 13;
    DdimStep step = s.step(x, c, u, 7.5f, k);
    double a = s.alpha(k);
    double ap = s.alphaPrev(k);
    for (int i = 0; i < x.length; i++) {
      double e = u[i] + 7.5 * (c[i] - u[i]);
      double x0 = (x[i] - Math.sqrt(1 - a) * e) / Math.sqrt(a);
      double prev = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e;
      assertEquals(x0, step.predX0()[i], 1e-5 * Math.max(1, Math.abs(x0)));
      assertEquals(prev, step.xPrev()[i], 1e-5 * Math.max(1, Math.abs(prev)));
    }
  }

  @Test
  void guidanceOfOneOrNoUncondUsesTheConditionalOutput() {
    float[] c = {1f, 2f};
    assertArrayEquals(c, DdimScheduler.guidedEps(c, new float[] {5f, 5f}, 1f));
    assertArrayEquals(c, DdimScheduler.guidedEps(c, null, 9f));
    assertArrayEquals(new float[] {-31f, -22f}, DdimScheduler.guidedEps(c, new float[] {5f, 5f}, 9f));
  }

  @Test
  void positiveEtaAddsScaledNoise() {
    DdimScheduler s = DdimScheduler.sd15(10, 1.0);
    int k = 5;
    double a = s.alpha(k);
    double ap = s.alphaPrev(k);
    double sigma = Math.sqrt((1 - ap) / (1 - a) * (1 - a / ap));
    assertEquals(sigma, s.sigma(k), 1e-6 * sigma);
    float[] x = {0.5f, -1f, 2f};
    float[] eps = {0.1f, 0.2f, -0.3f};
    DdimStep quiet = s.step(x, eps, null, 1f, k, out -> Arrays.fill(out, 0f));
    DdimStep noisy = s.step(x, eps, null, 1f, k, out -> Arrays.fill(out, 1f));
    for (int i = 0; i < x.length; i++) {
      double e = eps[i];
      double x0 = (x[i] - Math.sqrt(1 - a) * e) / Math.sqrt(a);
      double dir = Math.sqrt(1 - ap - sigma * sigma) * e;
      assertEquals(Math.sqrt(ap) * x0 + dir, quiet.xPrev()[i], 1e-5);
      assertEquals(s.sigma(k), noisy.xPrev()[i] - quiet.xPrev()[i], 1e-6);
    }
    assertThrows(IllegalArgumentException.class, () -> s.step(x, eps, null, 1f, k));
  }

  @Test
  void badInputIsRejected() {
    DdimScheduler s = DdimScheduler.sd15(4, 0);
    assertThrows(IllegalArgumentException.class, () -> s.step(new float[2], new float[3], null, 1f, 0));
    assertThrows(IllegalArgumentException.class, () -> s.step(new float[2], new float[2], null, 1f, 4));
    assertThrows(IllegalArgumentException.class, () -> DdimScheduler.sd15(4, -1));
    assertThrows(IllegalArgumentException.class, () -> DdimScheduler.alphasCumprod(0, 0.012, 1000));
  }

  private static float[] randn(Random r, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }
}
