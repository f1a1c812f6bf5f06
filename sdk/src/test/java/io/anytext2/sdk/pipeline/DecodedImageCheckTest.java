package io.anytext2.sdk.pipeline;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.tensor.FloatTensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecodedImageCheckTest {
  private static FloatTensor images(int b) {
    SplittableRandom r = new SplittableRandom(1);
    float[] v = new float[b * 3 * 8 * 8];
    for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
    return new FloatTensor(v, new long[] {b, 3, 8, 8});
  }

  @Test
  void validImagesPass() {
    assertNull(DecodedImageCheck.problem(images(2)));
  }

  @Test
  void nonFiniteValuesAreReportedWithTheImage() {
    FloatTensor t = images(2);
    t.data()[3 * 64 + 5] = Float.NaN;
    String p = DecodedImageCheck.problem(t);
    assertTrue(p != null && p.contains("non-finite") && p.contains("image 1"), p);
  }

  @Test
  void aBlackImageIsReported() {
    FloatTensor t = images(2);
    java.util.Arrays.fill(t.data(), 0, 3 * 64, -1f);
    String p = DecodedImageCheck.problem(t);
    assertTrue(p != null && p.contains("blank") && p.contains("image 0"), p);
  }

  @Test
  void batchConcatAndSliceRoundTrip() {
    FloatTensor a = images(1);
    FloatTensor b = images(2);
    FloatTensor ab = FloatTensor.concatBatch(a, b);
    assertTrue(java.util.Arrays.equals(a.data(), ab.sliceBatch(0, 1).data()));
    assertTrue(java.util.Arrays.equals(b.data(), ab.sliceBatch(1, 3).data()));
  }
}
