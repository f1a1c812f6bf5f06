package io.anytext2.trainer.loss;

import ai.djl.ndarray.NDArray;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.OpCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The per-line OCR losses of TRAINING.md §3.5.2 steps 4–6: the decoded image and the ground truth
 * are cropped at each line (differentiably for the decoded one), both go through the frozen
 * {@code text_predictor} (eval) in one call, and per line
 * <pre>
 *   ocr = mean_{40×64} (neck_D − neck_O)² · w_lang
 *   ctc = CTC(log_softmax(logits_D), target) / 40 · w_lang
 * </pre>
 * The CTC value and its gradient come from {@link CtcLoss} on the host and enter the graph as
 * {@code value + Σ G ⊙ (lp − stop_gradient(lp))}, which has that value and gradient G.
 */
public final class OcrLosses {
  /** Per-line [N] terms; {@code ctc} is null when no targets were given. */
  public record PerLine(NDArray ocr, NDArray ctc) {}

  private OcrLosses() {}

  /**
   * @param decoded [B,3,H,W] decoded x̂0 in 0..255 (with gradient)
   * @param groundTruth [B,3,H,W] the training image in 0..255
   * @param crops the lines' crops (rows in line order)
   * @param targets per line, CTC class ids, or null to skip the CTC term
   * @param weights [N] per line, w_lang
   */
  public static PerLine compute(DjlOps op, OcrRecognizer recognizer, NDArray decoded, NDArray groundTruth, LineCrops crops,
      List<int[]> targets, NDArray weights) {
    int n = crops.lines();
    NDArray inputs = OpCounter.part("ocr: crops", () -> op.concat(0, List.of(crops.apply(op, decoded), crops.apply(op, groundTruth))));
    // [2N, 40, dims]: decoded crops first
    NDArray neck = OpCounter.part("ocr: recognizer", () -> recognizer.neck(op, inputs));
    NDArray neckD = op.slice(neck, 0, 0, n);
    NDArray neckO = op.own(op.slice(neck, 0, n, 2L * n).stopGradient());
    NDArray diff = op.sub(neckD, neckO);
    NDArray ocr = op.mul(op.reshape(op.meanKeepDims(op.mul(diff, diff), 1, 2), n), weights);
    if (targets == null) return new PerLine(ocr, null);

    NDArray nll = OpCounter.part("ctc", () -> ctc(op, recognizer, neckD, targets)).nll();
    NDArray ctc = op.mul(op.scale(nll, 1f / OcrConfig.STEPS), weights); // the original's "/ input_lengths · weight"
    return new PerLine(ocr, ctc);
  }

  /** Per-line CTC negative log-likelihoods [N] (value of the exact CTC, gradient through the logits) and greedy exact matches. */
  public record Ctc(NDArray nll, int exactMatches) {}

  /**
   * CTC of the recognizer's logits on {@code neck} [N, 40, dims] against {@code targets} (class ids,
   * blank 0): value from {@link CtcLoss}, gradient injected through a surrogate term. Also counts the
   * lines whose greedy decode (arg-max per step, repeats merged, blanks dropped) equals the target.
   */
  public static Ctc ctc(DjlOps op, OcrRecognizer recognizer, NDArray neck, List<int[]> targets) {
    int n = targets.size();
    NDArray lp = op.own(recognizer.logits(op, neck).logSoftmax(2)); // [N, 40, C]
    long[] s = lp.getShape().getShape();
    int steps = (int) s[1];
    int classes = (int) s[2];
    float[] host = HostArrays.read(lp); // the CTC runs on the host: one copy per micro-batch
    float[] values = new float[n];
    float[] grad = new float[host.length];
    boolean[] matched = new boolean[n];
    // lines are independent and write disjoint parts of the arrays: in parallel, same results
    IntStream.range(0, n).parallel().forEach(l -> {
      double[][] rows = new double[steps][classes];
      for (int t = 0; t < steps; t++) for (int k = 0; k < classes; k++) rows[t][k] = host[(l * steps + t) * classes + k];
      CtcLoss.Result r = CtcLoss.compute(rows, targets.get(l));
      values[l] = (float) r.nll();
      for (int t = 0; t < steps; t++) for (int k = 0; k < classes; k++) grad[(l * steps + t) * classes + k] = (float) r.gradient()[t][k];
      matched[l] = java.util.Arrays.equals(greedy(rows), targets.get(l));
    });
    int exact = 0;
    for (boolean m : matched) if (m) exact++;
    NDArray surrogate = op.mul(op.create(grad, s), op.own(lp.sub(op.own(lp.stopGradient()))));
    NDArray nll = op.add(op.create(values, n), op.reshape(op.sumKeepDims(surrogate, 1, 2), n)); // value CTC, gradient G
    return new Ctc(nll, exact);
  }

  /** Greedy CTC decode of [steps][classes] scores: arg-max per step, repeats merged, blanks (0) dropped. */
  static int[] greedy(double[][] rows) {
    List<Integer> out = new ArrayList<>();
    int previous = 0;
    for (double[] row : rows) {
      int best = 0;
      for (int k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
      if (best != 0 && best != previous) out.add(best);
      previous = best;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
