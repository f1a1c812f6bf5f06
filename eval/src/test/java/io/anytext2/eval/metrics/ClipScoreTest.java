package io.anytext2.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClipScoreTest {
  @Test
  void knownVectors() {
    assertEquals(2.5 / Math.sqrt(2), ClipScore.score(new float[] {1, 0}, new float[] {1, 1}, ClipScore.BENCHMARK_WEIGHT), 1e-12);
    assertEquals(2.5, ClipScore.score(new float[] {3, 4}, new float[] {0.6f, 0.8f}, 2.5), 1e-6, "scale-free: same direction");
    assertEquals(0, ClipScore.score(new float[] {1, 0}, new float[] {-1, 0.1f}, 2.5), 0, "negative cosine clips to 0");
    assertEquals(0, ClipScore.score(new float[] {1, 0}, new float[] {0, 1}, 100), 0);
    assertEquals(100 * 0.6, ClipScore.score(new float[] {1, 0}, new float[] {0.6f, 0.8f}, 100), 1e-5);
    assertEquals(-1, ClipScore.cosine(new float[] {1, 2}, new float[] {-2, -4}), 1e-12);
  }

  @Test
  void zeroOrMismatchedVectorsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClipScore.cosine(new float[] {0, 0}, new float[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> ClipScore.cosine(new float[] {1}, new float[] {1, 1}));
  }
}
