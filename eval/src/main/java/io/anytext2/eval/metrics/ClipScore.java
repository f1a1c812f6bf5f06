package io.anytext2.eval.metrics;

/**
 * CLIPScore of TRAINING.md §5.5 / P-32: {@code w · max(0, cos(f_img, f_txt))} with w = 2.5 (the
 * benchmark's scale; the original script follows Hessel et al.'s CLIP-S, not ×100).
 */
public final class ClipScore {
  /** The benchmark's weight. */
  public static final double BENCHMARK_WEIGHT = 2.5;

  private ClipScore() {}

  /** Cosine similarity (the features need not be normalised). */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("expected features of equal size, found " + a.length + " and " + b.length);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (na == 0 || nb == 0) throw new IllegalArgumentException("expected non-zero feature vectors, found a zero vector");
    return dot / (Math.sqrt(na) * Math.sqrt(nb));
  }

  public static double score(float[] image, float[] text, double weight) {
    return weight * Math.max(0, cosine(image, text));
  }
}
