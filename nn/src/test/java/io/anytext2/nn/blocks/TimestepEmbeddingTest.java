package io.anytext2.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anytext2.nn.ops.ShapeOps;
import org.junit.jupiter.api.Test;

class TimestepEmbeddingTest {

  @Test
  void frequenciesAreTheFloat32ValuesOfTheOriginal() {
    // numpy: np.exp(np.float32(-math.log(10000)) * np.arange(16, dtype=np.float32) / np.float32(16))
    float[] f = TimestepEmbedding.frequencies(16);
    assertEquals(1.0f, f[0]);
    assertEquals(0.5623413324356079f, f[1]);
    assertEquals(0.3162277638912201f, f[2]);
    assertEquals(0.09999999403953552f, f[4]);
  }

  @Test
  void embeddingMapsTimestepsToFourTimesModelChannels() {
    ShapeOps ops = new ShapeOps();
    var te = new TimestepEmbedding("time_embed.", 32);
    assertArrayEquals(new long[] {3, 32}, TimestepEmbedding.sinusoidal(ops, ops.input(3), 32).dims());
    assertArrayEquals(new long[] {3, 128}, te.forward(ops, ops.input(3)).dims());
    assertArrayEquals(new long[] {128, 32}, ops.weights().get("time_embed.0.weight"));
    assertArrayEquals(new long[] {128, 128}, ops.weights().get("time_embed.2.weight"));
  }
}
