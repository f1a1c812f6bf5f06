package io.anytext2.sdk.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The low-GPU-memory decode path: each image through the decoder alone, joined in the batch's order. */
class DecodePerImageTest {

  /** A stand-in decoder that changes the shape as the VAE does ([1,4,h,w] → [1,3,2h,2w]) and marks each output with its input. */
  private static FloatTensor fakeDecode(FloatTensor z) {
    int h = (int) z.dim(2);
    int w = (int) z.dim(3);
    float[] out = new float[3 * 2 * h * 2 * w];
    float first = z.data()[0];
    for (int i = 0; i < out.length; i++) out[i] = first * 1000 + i;
    return new FloatTensor(out, new long[] {z.dim(0), 3, 2L * h, 2L * w});
  }

  @Test
  void eachItemAloneInOrder() {
    int n = 4;
    float[] z = new float[n * 4 * 2 * 3];
    for (int b = 0; b < n; b++) java.util.Arrays.fill(z, b * 24, (b + 1) * 24, b + 1);
    FloatTensor latent = new FloatTensor(z, new long[] {n, 4, 2, 3});
    List<Long> batches = new ArrayList<>();
    FloatTensor out = DiffusionRunner.perItem(latent, t -> {
      batches.add(t.dim(0));
      return fakeDecode(t);
    });
    assertEquals(List.of(1L, 1L, 1L, 1L), batches, "one image per call");
    assertArrayEquals(new long[] {n, 3, 4, 6}, out.shape());
    for (int b = 0; b < n; b++) {
      assertEquals((b + 1) * 1000f, out.item(b).data()[0], "image " + b + " in its place");
      assertEquals((b + 1) * 1000f + 71, out.item(b).data()[71]);
    }
  }

  @Test
  void aSingleImageIsOneCall() {
    FloatTensor latent = new FloatTensor(new float[24], new long[] {1, 4, 2, 3});
    List<Long> batches = new ArrayList<>();
    FloatTensor out = DiffusionRunner.perItem(latent, t -> {
      batches.add(t.dim(0));
      return fakeDecode(t);
    });
    assertEquals(List.of(1L), batches);
    assertArrayEquals(new long[] {1, 3, 4, 6}, out.shape());
  }
}
