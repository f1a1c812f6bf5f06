package io.anytext2.eval.ocr;

/** Line scores of TRAINING.md §5.3: exact sentence match and the normalised edit similarity. */
public final class TextMetrics {
  private TextMetrics() {}

  /** 1 when the prediction equals the ground truth exactly (case, spaces, punctuation), else 0. */
  public static int sentenceMatch(String predicted, String truth) {
    return predicted.equals(truth) ? 1 : 0;
  }

  /**
   * {@code 1 − Lev(ids_p, ids_gt) / (max(|p|, |gt|) + 1e-5)} over dictionary ids (§5.3 step 6;
   * {@code get_ld} of the original). Two empty strings score 1.
   */
  public static double ned(OcrDictionary dict, String predicted, String truth) {
    int[] p = dict.nedIds(predicted);
    int[] g = dict.nedIds(truth);
    return 1.0 - levenshtein(p, g) / (Math.max(p.length, g.length) + 1e-5);
  }

  /** Unit-cost edit distance (insert, delete, substitute). */
  public static int levenshtein(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) prev[j] = j;
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }
}
