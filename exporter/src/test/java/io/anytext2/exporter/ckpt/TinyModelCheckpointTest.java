package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parity fixture's model.ckpt: the official AnyText2 key layout on tiny random weights. */
class TinyModelCheckpointTest {

  private static Path modelCkpt() {
    return ParityFixtures.tinyFile("model.ckpt");
  }

  @Test
  void listsTheStateDictInFileOrder() throws IOException {
    JsonNode fixtures = ParityFixtures.fixturesJson();
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt())) {
      assertTrue(((TorchZipCheckpoint) ckpt).isWrappedInStateDict()); // torch.save({'state_dict': ...})
      assertEquals(fixtures.get("num_state_dict_tensors").asInt(), ckpt.keys().size());
      assertEquals(1815, ckpt.keys().size());
      // MODEL.md §4.2: the 13 schedule buffers, registered (hence stored) first, in this order
      assertEquals(List.of("betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod",
          "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod",
          "sqrt_recipm1_alphas_cumprod", "posterior_variance", "posterior_log_variance_clipped",
          "posterior_mean_coef1", "posterior_mean_coef2", "logvar"), ckpt.keys().subList(0, 13));
    }
  }

  @Test
  void elementCountsPerPrefixMatchFixturesJson() throws IOException {
    JsonNode expected = ParityFixtures.fixturesJson().get("state_dict_numel_by_prefix");
    Map<String, Long> counted = new LinkedHashMap<>();
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt())) {
      for (String key : ckpt.keys()) {
        String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        counted.merge(prefix, ckpt.info(key).numel(), Long::sum);
      }
    }
    Map<String, Long> want = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      want.put(e.getKey(), e.getValue().asLong());
    }
    assertEquals(want, counted);
  }

  /** MODEL.md §3.10: β_i = (√0.00085 + (√0.012 − √0.00085)·i/999)², ᾱ_i = Π(1 − β_k), float64 then float32. */
  @Test
  void alphasCumprodIsTheDdimSchedule() {
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt())) {
      TensorInfo info = ckpt.info("alphas_cumprod");
      assertEquals(DType.F32, info.dtype());
      assertArrayEquals(new long[] {1000}, info.shape());
      float[] alphas = ckpt.readFloats("alphas_cumprod");
      assertEquals(0.99914998, alphas[0], 1e-7);
      assertEquals(0.99829602, alphas[1], 1e-7);
      assertEquals(0.95052433, alphas[51], 1e-7);
      assertEquals(0.0081550041, alphas[951], 1e-7);
      assertEquals(0.0046600983, alphas[999], 1e-7);
      double lo = Math.sqrt(0.00085);
      double hi = Math.sqrt(0.012);
      double product = 1;
      for (int i = 0; i < 1000; i++) {
        double beta = Math.pow(lo + (hi - lo) * i / 999, 2);
        product *= 1 - beta;
        assertEquals((float) product, alphas[i], 1e-7, "alphas_cumprod[" + i + "]");
      }
      double[] asDoubles = ckpt.readDoubles("alphas_cumprod");
      assertEquals((double) alphas[999], asDoubles[999], 0.0);
    }
  }

  /** The sampler's ᾱ at the fixture's timesteps are the checkpoint's float32 ᾱ, widened (both readers agree). */
  @Test
  void fixtureDdimAlphasComeFromTheCheckpoint() {
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt());
        Checkpoint fixtures = Checkpoints.open(ParityFixtures.tinyFile("fixtures.safetensors"))) {
      assertTrue(fixtures instanceof SafetensorsFile);
      float[] alphas = ckpt.readFloats("alphas_cumprod");
      long[] tau = fixtures.readLongs("gen/sample/ddim_timesteps");
      double[] a = fixtures.readDoubles("gen/sample/ddim_alphas");
      double[] aPrev = fixtures.readDoubles("gen/sample/ddim_alphas_prev");
      for (int k = 0; k < tau.length; k++) {
        assertEquals((double) alphas[(int) tau[k]], a[k], 0.0);
        assertEquals((double) alphas[k == 0 ? 0 : (int) tau[k - 1]], aPrev[k], 0.0);
      }
    }
  }

  @Test
  void ocrConvShapeAndBatchNormCounters() {
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt())) {
      // parity README: the tiny OCR backbone has scale 0.25, so conv1 is 3 -> int(32 * 0.25) channels, 3x3
      TensorInfo conv1 = ckpt.info("text_predictor.backbone.conv1._conv.weight");
      assertArrayEquals(new long[] {(long) (32 * 0.25), 3, 3, 3}, conv1.shape());
      assertEquals(conv1.numel(), ckpt.readFloats(conv1.key()).length);
      int counters = 0;
      for (String key : ckpt.keys()) {
        if (key.endsWith("num_batches_tracked")) {
          counters++;
          TensorInfo info = ckpt.info(key);
          assertEquals(DType.I64, info.dtype(), key);
          assertEquals(0, info.rank(), key); // int64 scalars (MODEL.md §4.1)
          long[] n = ckpt.readLongs(key);
          assertEquals(1, n.length);
          assertTrue(n[0] >= 0, key);
          assertEquals((float) n[0], ckpt.readFloats(key)[0]);
        } else {
          assertEquals(DType.F32, ckpt.info(key).dtype(), key);
        }
      }
      assertTrue(counters > 0);
    }
  }

  /** Reads every tensor as float32 and reports the time (task goal: under 2 s for the 26 MB file). */
  @Test
  void readsTheWholeCheckpointQuickly() {
    long total = 0;
    long start = System.nanoTime();
    try (Checkpoint ckpt = Checkpoints.open(modelCkpt())) {
      long opened = System.nanoTime();
      for (String key : ckpt.keys()) {
        float[] values = ckpt.readFloats(key);
        assertEquals(ckpt.info(key).numel(), values.length);
        total += values.length;
      }
      long end = System.nanoTime();
      System.out.printf("model.ckpt: open %.0f ms, %d tensors / %d floats read in %.0f ms%n",
          (opened - start) / 1e6, ckpt.keys().size(), total, (end - opened) / 1e6);
    }
    JsonNode prefixes;
    try {
      prefixes = ParityFixtures.fixturesJson().get("state_dict_numel_by_prefix");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long expected = 0;
    for (JsonNode n : prefixes) {
      expected += n.asLong();
    }
    assertEquals(expected, total);
  }
}
