package io.anytext2.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** CTC against hand-enumerated alignments and finite differences. */
class CtcLossTest {

  private static double[][] log(double[][] probs) {
    double[][] out = new double[probs.length][];
    for (int t = 0; t < probs.length; t++) {
      out[t] = new double[probs[t].length];
      for (int k = 0; k < probs[t].length; k++) out[t][k] = Math.log(probs[t][k]);
    }
    return out;
  }

  @Test
  void singleStepSingleLabel() {
    assertEquals(-Math.log(0.7), CtcLoss.compute(log(new double[][] {{0.3, 0.7}}), new int[] {1}).nll(), 1e-12);
  }

  @Test
  void twoStepsOneLabelSumsItsThreeAlignments() {
    // a a | a _ | _ a  →  0.6·0.7 + 0.6·0.3 + 0.4·0.7 = 0.88
    double[][] p = {{0.4, 0.6}, {0.3, 0.7}};
    assertEquals(-Math.log(0.88), CtcLoss.compute(log(p), new int[] {1}).nll(), 1e-12);
  }

  @Test
  void repeatedLabelsNeedABlankBetweenThem() {
    double[][] p = {{0.2, 0.8}, {0.5, 0.5}, {0.1, 0.9}};
    assertEquals(-Math.log(0.8 * 0.5 * 0.9), CtcLoss.compute(log(p), new int[] {1, 1}).nll(), 1e-12);
    CtcLoss.Result tooShort = CtcLoss.compute(log(new double[][] {{0.5, 0.5}, {0.5, 0.5}}), new int[] {1, 1});
    assertFalse(tooShort.feasible());
    assertEquals(0, tooShort.nll());
  }

  @Test
  void distinctLabelsAndEmptyTarget() {
    double[][] p = {{0.1, 0.6, 0.3}, {0.2, 0.3, 0.5}};
    assertEquals(-Math.log(0.6 * 0.5), CtcLoss.compute(log(p), new int[] {1, 2}).nll(), 1e-12);
    assertEquals(-Math.log(0.1 * 0.2), CtcLoss.compute(log(p), new int[0]).nll(), 1e-12);
    // three steps, labels 1 2: 1 1 2 | 1 2 2 | 1 _ 2 | _ 1 2 | 1 2 _
    double[][] q = {{0.1, 0.6, 0.3}, {0.2, 0.3, 0.5}, {0.4, 0.4, 0.2}};
    double want = 0.6 * 0.3 * 0.2 + 0.6 * 0.5 * 0.2 + 0.6 * 0.2 * 0.2 + 0.1 * 0.3 * 0.2 + 0.6 * 0.5 * 0.4;
    assertEquals(-Math.log(want), CtcLoss.compute(log(q), new int[] {1, 2}).nll(), 1e-12);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random r = new Random(2);
    double[][] lp = new double[6][5];
    for (double[] row : lp) for (int k = 0; k < row.length; k++) row[k] = -3 * r.nextDouble();
    int[] target = {1, 3, 3, 2};
    double[][] g = CtcLoss.compute(lp, target).gradient();
    double h = 1e-6;
    for (int t = 0; t < lp.length; t++) {
      for (int k = 0; k < lp[t].length; k++) {
        double keep = lp[t][k];
        lp[t][k] = keep + h;
        double up = CtcLoss.compute(lp, target).nll();
        lp[t][k] = keep - h;
        double down = CtcLoss.compute(lp, target).nll();
        lp[t][k] = keep;
        assertEquals((up - down) / (2 * h), g[t][k], 1e-6, "t=" + t + " k=" + k);
      }
    }
  }

  @Test
  void rejectsTheBlankAsALabel() {
    assertThrows(IllegalArgumentException.class, () -> CtcLoss.compute(new double[][] {{0, 0}}, new int[] {0}));
  }
}
