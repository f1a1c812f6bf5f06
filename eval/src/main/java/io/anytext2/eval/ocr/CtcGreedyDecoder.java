package io.anytext2.eval.ocr;

/**
 * Greedy CTC decoding as PaddleOCR's {@code CTCLabelDecode} does it: argmax per time step (the
 * first maximum on ties), merge repeats, drop the blank (class 0), map classes to characters.
 * Softmax is monotonic, so logits and probabilities decode alike.
 */
public final class CtcGreedyDecoder {
  private final OcrDictionary dictionary;

  public CtcGreedyDecoder(OcrDictionary dictionary) {
    this.dictionary = dictionary;
  }

  /** Class ids kept after merging repeats and dropping blanks, for one [T, K] row-major block. */
  public static int[] bestPath(float[] scores, int offset, int steps, int classes) {
    int[] kept = new int[steps];
    int n = 0;
    int previous = -1;
    for (int t = 0; t < steps; t++) {
      int base = offset + t * classes;
      int best = 0;
      float bestScore = scores[base];
      for (int k = 1; k < classes; k++) {
        if (scores[base + k] > bestScore) {
          bestScore = scores[base + k];
          best = k;
        }
      }
      if (best != previous && best != 0) kept[n++] = best;
      previous = best;
    }
    return java.util.Arrays.copyOf(kept, n);
  }

  /** Decodes item {@code i} of a [n, T, K] score tensor. */
  public String decode(float[] scores, int i, int steps, int classes) {
    dictionary.checkClasses(classes);
    StringBuilder sb = new StringBuilder();
    for (int k : bestPath(scores, i * steps * classes, steps, classes)) sb.append(dictionary.ctcLabel(k, classes));
    return sb.toString();
  }
}
