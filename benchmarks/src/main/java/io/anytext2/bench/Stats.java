package io.anytext2.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small statistics of benchmark samples and image comparisons. */
final class Stats {
  private Stats() {}

  static double median(List<Double> xs) {
    if (xs.isEmpty()) return Double.NaN;
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double relativeL2(float[] x, float[] ref) {
    if (x.length != ref.length) throw new IllegalArgumentException("expected equal lengths, found " + x.length + " and " + ref.length);
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - ref[i];
      num += d * d;
      den += (double) ref[i] * ref[i];
    }
    return Math.sqrt(num / Math.max(den, 1e-30));
  }
}
