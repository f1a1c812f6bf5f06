package io.anytext2.trainer.loss;

import java.util.Arrays;

/**
 * Connectionist temporal classification loss (Graves et al. 2006) of one sequence, blank = 0, by
 * the forward–backward algorithm in log space — what {@code torch.nn.CTCLoss(reduction='none')}
 * computes for one line of the OCR loss (TRAINING.md §3.5.2 step 6).
 *
 * <p>Returns the negative log-likelihood and its gradient with respect to the log-probabilities,
 * −γ_t(k) = −Σ_{s: l'_s = k} α_t(s)β_t(s) / (p · y_t(k)); through a log-softmax this becomes the
 * familiar softmax − γ on the logits. An impossible alignment (target longer than the input allows)
 * gives an infinite loss in PyTorch; here it gives 0 with a zero gradient ({@code zero_infinity}),
 * so one bad line cannot poison a training run.
 */
public final class CtcLoss {
  /** Loss value and d loss / d logProbs ([T][C]). */
  public record Result(double nll, double[][] gradient, boolean feasible) {}

  private CtcLoss() {}

  /**
   * @param logProbs [T][C] log-probabilities (rows need not be normalised; they are used as given)
   * @param target label ids in 1..C−1 (0 is the blank), possibly empty
   */
  public static Result compute(double[][] logProbs, int[] target) {
    int steps = logProbs.length;
    if (steps == 0) throw new IllegalArgumentException("CTC: expected at least one time step, found none");
    int classes = logProbs[0].length;
    for (int k : target) {
      if (k <= 0 || k >= classes) throw new IllegalArgumentException("CTC: expected labels in 1.." + (classes - 1) + ", found " + k);
    }
    int len = 2 * target.length + 1; // blanks around and between the labels
    int[] ext = new int[len];
    for (int s = 0; s < target.length; s++) ext[2 * s + 1] = target[s];

    double[][] alpha = filled(steps, len);
    alpha[0][0] = logProbs[0][0];
    if (len > 1) alpha[0][1] = logProbs[0][ext[1]];
    for (int t = 1; t < steps; t++) {
      for (int s = 0; s < len; s++) {
        double a = alpha[t - 1][s];
        if (s >= 1) a = logAdd(a, alpha[t - 1][s - 1]);
        if (s >= 2 && ext[s] != 0 && ext[s] != ext[s - 2]) a = logAdd(a, alpha[t - 1][s - 2]);
        alpha[t][s] = a + logProbs[t][ext[s]];
      }
    }
    double logP = alpha[steps - 1][len - 1];
    if (len > 1) logP = logAdd(logP, alpha[steps - 1][len - 2]);
    double[][] grad = new double[steps][classes];
    if (logP == Double.NEGATIVE_INFINITY) return new Result(0, grad, false);

    double[][] beta = filled(steps, len);
    beta[steps - 1][len - 1] = logProbs[steps - 1][ext[len - 1]];
    if (len > 1) beta[steps - 1][len - 2] = logProbs[steps - 1][ext[len - 2]];
    for (int t = steps - 2; t >= 0; t--) {
      for (int s = len - 1; s >= 0; s--) {
        double b = beta[t + 1][s];
        if (s + 1 < len) b = logAdd(b, beta[t + 1][s + 1]);
        if (s + 2 < len && ext[s] != 0 && ext[s] != ext[s + 2]) b = logAdd(b, beta[t + 1][s + 2]);
        beta[t][s] = b + logProbs[t][ext[s]];
      }
    }
    for (int t = 0; t < steps; t++) {
      double[] occupancy = new double[classes];
      Arrays.fill(occupancy, Double.NEGATIVE_INFINITY);
      for (int s = 0; s < len; s++) occupancy[ext[s]] = logAdd(occupancy[ext[s]], alpha[t][s] + beta[t][s]);
      for (int k = 0; k < classes; k++) {
        if (occupancy[k] != Double.NEGATIVE_INFINITY) grad[t][k] = -Math.exp(occupancy[k] - logProbs[t][k] - logP);
      }
    }
    return new Result(-logP, grad, true);
  }

  private static double[][] filled(int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) Arrays.fill(row, Double.NEGATIVE_INFINITY);
    return m;
  }

  static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) return b;
    if (b == Double.NEGATIVE_INFINITY) return a;
    double hi = Math.max(a, b);
    return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
  }
}
