package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** loss.text_region_weight: loss_simple's keep weights grow with the share of a latent cell inside a line's position. */
class TextRegionWeightTest {

  @Test
  void scalesCellsByTheirShareInsideThePositions() {
    int size = 32, f = 8, lat = size / f;
    float[] pos = new float[size * size];
    // cell (0, 0) fully inside; cell (1, 1) half inside (its left 4 columns); cell (3, 3) untouched
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) pos[y * size + x] = 1f;
    for (int y = 8; y < 16; y++) for (int x = 8; x < 12; x++) pos[y * size + x] = 1f;
    float[] keep = new float[lat * lat];
    java.util.Arrays.fill(keep, 1f);
    keep[1] = 0f; // a masked-out cell (editing) stays out whatever it covers
    for (int x = 8; x < 16; x++) pos[x] = 1f;
    PreparedSample.weightTextCells(keep, pos, size, f, 5f);
    assertEquals(5f, keep[0], 1e-6f, "fully inside: × weight");
    assertEquals(3f, keep[1 * lat + 1], 1e-6f, "half inside: 1 + (w − 1)/2");
    assertEquals(1f, keep[3 * lat + 3], 0f, "outside: unchanged");
    assertEquals(0f, keep[1], 0f, "a zero keep stays zero");
    float sum = 0;
    for (float k : keep) sum += k;
    assertEquals(5f + 3f + (lat * lat - 3), sum, 1e-5f, "no other cell changed");
  }

  @Test
  void summedOverlappingPositionsCountOnce() {
    int size = 16, f = 8;
    float[] pos = new float[size * size];
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) pos[y * size + x] = 2f; // two lines over the same cell (P-12: sums)
    float[] keep = {1f, 1f, 1f, 1f};
    PreparedSample.weightTextCells(keep, pos, size, f, 4f);
    assertEquals(4f, keep[0], 1e-6f);
  }

  @Test
  void onlyTheAnyText2StageTakesAWeightAndItMustBePositive() {
    LossSettings plain = new LossSettings(0.003f, 0.01f, 1f, true, TrainingStage.ANYTEXT2, 0f, 0);
    assertEquals(1f, plain.textRegionWeight(), "the original when unset");
    assertEquals(4f, new LossSettings(0.003f, 0.01f, 1f, true, TrainingStage.ANYTEXT2, 0f, 0, 4f).textRegionWeight());
    IllegalArgumentException vae = assertThrows(IllegalArgumentException.class,
        () -> new LossSettings(0f, 0f, 1f, true, TrainingStage.VAE, 1e-6f, 0, 4f));
    assertTrue(vae.getMessage().contains("text_region_weight"), vae.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LossSettings(0f, 0f, 1f, true, TrainingStage.ANYTEXT2, 0f, 0, 0f));
    assertThrows(IllegalArgumentException.class,
        () -> new LossSettings(0f, 0f, 1f, true, TrainingStage.ANYTEXT2, 0f, 0, Float.NaN));
  }
}
