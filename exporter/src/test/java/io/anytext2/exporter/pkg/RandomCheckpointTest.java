package io.anytext2.exporter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.exporter.ckpt.TorchZipCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointTest {
  @TempDir Path tmp;

  private static AnyText2Config official() {
    return AnyText2Config.fromYaml(ModelConfigLoader.readYaml(null), ClipConfig.vitL14(), OcrConfig.official());
  }

  /** MODEL.md §4.2: keys and values per prefix of the official checkpoint (values without BN counters and position_ids). */
  @Test
  void fullSizeLayoutIsTheOfficialInventory() {
    RandomCheckpoint rc = new RandomCheckpoint(official(), 1);
    Map<String, long[]> found = new LinkedHashMap<>();
    for (TensorInfo t : rc.tensors()) {
      String k = t.key();
      String prefix = List.of(GraphBuilders.UNET, GraphBuilders.CONTROL, GraphBuilders.VAE, GraphBuilders.CLIP, "embedding_manager.",
          GraphBuilders.OCR).stream().filter(k::startsWith).findFirst().orElse("");
      long[] c = found.computeIfAbsent(prefix, p -> new long[2]);
      c[0]++;
      boolean extra = k.endsWith("num_batches_tracked") || k.endsWith("position_ids");
      if (!extra) c[1] += t.numel();
      assertEquals(extra ? DType.I64 : DType.F32, t.dtype(), k);
    }
    Map<String, long[]> want = new HashMap<>();
    want.put(GraphBuilders.UNET, new long[] {756, 917_042_884L});
    want.put(GraphBuilders.CONTROL, new long[] {354, 361_511_208L});
    want.put(GraphBuilders.VAE, new long[] {248, 83_653_863L});
    want.put(GraphBuilders.CLIP, new long[] {196 + 1, 123_060_480L});
    want.put("embedding_manager.", new long[] {252, 8_756_193L});
    want.put(GraphBuilders.OCR, new long[] {228, 2_652_257L});
    want.put("", new long[] {13, 13_000L});
    assertEquals(want.keySet(), found.keySet());
    want.forEach((p, w) -> assertArrayEquals(w, found.get(p), p));
    assertEquals(DiffusionSchedule.BUFFERS, rc.tensors().subList(0, 13).stream().map(TensorInfo::key).toList());
    assertEquals(1_496_690_026L, rc.numel()); // ~1.5 billion values (MODEL.md §4.2)
  }

  @Test
  void valuesFollowTheParityRecipeAndAreReproducible() throws IOException {
    AnyText2Config cfg = official();
    RandomCheckpoint rc = new RandomCheckpoint(cfg, 42);
    String conv = GraphBuilders.UNET + "input_blocks.1.0.in_layers.2.weight"; // [320, 320, 3, 3]
    assertStats(rc.floats(conv), 0, 1 / Math.sqrt(320 * 9), 0.01);
    String linear = GraphBuilders.CLIP + "encoder.layers.0.mlp.fc2.weight"; // [768, 3072]
    assertStats(rc.floats(linear), 0, 1 / Math.sqrt(3072), 0.01);
    assertStats(rc.floats(GraphBuilders.CLIP + "embeddings.position_embedding.weight"), 0, 0.3, 0.02);
    assertStats(rc.floats(GraphBuilders.UNET + "middle_block.0.in_layers.2.bias"), 0, 0.05, 0.1);
    assertStats(rc.floats(GraphBuilders.VAE + "decoder.norm_out.weight"), 1, 0.1, 0.2);
    String bn = GraphBuilders.OCR + "backbone.block_list.12._pointwise_conv._batch_norm.";
    assertStats(rc.floats(bn + "running_mean"), 0, 0.1, 0.15);
    for (float v : rc.floats(bn + "running_var")) assertTrue(v >= 0.75f && v < 1.25f, "running_var " + v);

    TensorInfo info = info(rc, conv);
    byte[] streamed = bytes(rc, info);
    assertArrayEquals(streamed, bytes(new RandomCheckpoint(cfg, 42), info), "same seed, same bytes");
    float[] decoded = new float[(int) info.numel()];
    ByteBuffer.wrap(streamed).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    assertArrayEquals(rc.floats(conv), decoded, "streamed and in-memory values agree");
    assertFalse(java.util.Arrays.equals(streamed, bytes(new RandomCheckpoint(cfg, 43), info)), "another seed, other values");
    assertFalse(java.util.Arrays.equals(rc.floats(conv), rc.floats(GraphBuilders.CONTROL + "input_blocks.1.0.in_layers.2.weight")),
        "keys of the same shape differ");

    TensorInfo ids = info(rc, GraphBuilders.CLIP + "embeddings.position_ids");
    assertArrayEquals(new long[] {1, 77}, ids.shape());
    ByteBuffer b = ByteBuffer.wrap(bytes(rc, ids)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 77; i++) assertEquals(i, b.getLong());
    TensorInfo counter = info(rc, bn + "num_batches_tracked");
    assertEquals(0, counter.rank());
    assertTrue(ByteBuffer.wrap(bytes(rc, counter)).order(ByteOrder.LITTLE_ENDIAN).getLong() >= 0);
  }

  /** The parity checkpoint was written by the original code: same keys, shapes, dtypes; the same schedule. */
  @Test
  void tinyLayoutMatchesTheFixtureCheckpoint() throws IOException {
    Path tiny = tinyDir();
    try (Checkpoint fixture = Checkpoints.open(tiny.resolve("model.ckpt"))) {
      AnyText2Config cfg = ModelConfigLoader.load(tiny.resolve("tiny.yaml"), null, fixture);
      RandomCheckpoint rc = new RandomCheckpoint(cfg, 5);
      List<String> ours = new ArrayList<>();
      for (TensorInfo t : rc.tensors()) {
        if (t.key().endsWith("position_ids")) continue; // optional (MODEL.md §4.2); the fixture's transformers did not store it
        ours.add(t.key());
        assertEquals(fixture.info(t.key()), t, t.key());
      }
      assertEquals(new java.util.HashSet<>(fixture.keys()), new java.util.HashSet<>(ours));
      for (String b : DiffusionSchedule.BUFFERS) assertArrayEquals(fixture.readFloats(b), rc.floats(b), b); // bit for bit

      Path ckpt = tmp.resolve("random.ckpt");
      Path st = tmp.resolve("random.safetensors");
      rc.save(ckpt);
      rc.save(st);
      for (Path f : List.of(ckpt, st)) {
        try (Checkpoint back = Checkpoints.open(f)) {
          assertTrue(f == ckpt ? back instanceof TorchZipCheckpoint : back instanceof SafetensorsFile);
          assertEquals(rc.tensors().stream().map(TensorInfo::key).toList(), back.keys());
          List<String> unused = CheckpointValidator.validate(back, cfg);
          assertEquals(79 + 1, unused.size(), "buffers, BN counters, the font predictor's head and position_ids");
          String w = GraphBuilders.UNET + "out.2.weight";
          assertArrayEquals(rc.floats(w), back.readFloats(w));
        }
      }
      assertTrue(Files.size(ckpt) > rc.byteSize());
    }
  }

  private static void assertStats(float[] v, double mean, double std, double relTol) {
    double s = 0;
    double s2 = 0;
    for (float x : v) {
      assertTrue(Float.isFinite(x));
      s += x;
      s2 += (double) x * x;
    }
    double m = s / v.length;
    double sd = Math.sqrt(s2 / v.length - m * m);
    assertEquals(std, sd, std * relTol + 3 * std / Math.sqrt(v.length), "std");
    assertEquals(mean, m, 4 * std / Math.sqrt(v.length) + 1e-9, "mean");
  }

  private static TensorInfo info(RandomCheckpoint rc, String key) {
    return rc.tensors().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
  }

  private static byte[] bytes(RandomCheckpoint rc, TensorInfo info) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    rc.write(info, out);
    assertEquals(info.byteSize(), out.size());
    return out.toByteArray();
  }

  private static Path tinyDir() {
    String dir = System.getProperty("anytext2.parity.dir");
    assumeTrue(dir != null, "system property anytext2.parity.dir is not set; parity fixtures skipped");
    Path tiny = Path.of(dir, "tiny");
    assumeTrue(Files.isRegularFile(tiny.resolve("model.ckpt")), "parity fixtures not found at " + tiny + "; skipped");
    return tiny;
  }
}
