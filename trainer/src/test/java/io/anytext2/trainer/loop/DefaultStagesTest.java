package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.log.MetricsCsv;
import io.anytext2.trainer.log.MetricsTable;
import io.anytext2.trainer.model.TrainingStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three stages of the default model (configs/default, README "The default model"), 2 steps each
 * on synthetic samples, each stage starting from the previous stage's checkpoint (recognizer, VAE, AnyText2): every stage trains
 * exactly its own networks and logs its own metric.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultStagesTest {
  @TempDir static Path tmp;
  private static final String VAE_KEY = "first_stage_model.encoder.conv_in.weight";
  private static final String OCR_KEY = "text_predictor.head.fc.weight";
  private static final String UNET_INPUT_KEY = "model.diffusion_model.input_blocks.1.0.in_layers.2.weight";
  private static final String CLIP_KEY = "cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight";
  private static final String CONTROL_KEY = "control_model.input_blocks.1.0.in_layers.2.weight";

  /** configs/default/NAME.yaml with batch size 2 and absolute paths, written into the temp folder. */
  private static TrainingConfig config(String name) throws Exception {
    return TrainingConfig.read(written(name + ".yaml", withAbsolutePaths(name).replaceAll("batch_size: \\d+", "batch_size: 2")));
  }

  /** configs/default/NAME.yaml with its model config and dictionary as absolute paths. */
  private static String withAbsolutePaths(String name) throws Exception {
    Path dir = Path.of("configs/default").toAbsolutePath();
    return Files.readString(dir.resolve(name + ".yaml"))
        .replace("config: model.yaml", "config: " + dir.resolve("model.yaml"))
        .replace("ocr_dictionary: latin_dict.txt", "ocr_dictionary: " + dir.resolve("latin_dict.txt"));
  }

  private static Path written(String fileName, String text) throws Exception {
    Path file = Files.createDirectories(tmp.resolve("cfg")).resolve(fileName);
    Files.writeString(file, text);
    return file;
  }

  private static MetricsTable run(String name, Path init) throws Exception {
    TrainingConfig cfg = config(name);
    Trainer.Result r = TinyRuns.train(cfg, new ListBatchSource(TinyRuns.samples(4), 2), tmp.resolve(name), 2, false, init);
    assertEquals(2, r.globalStep());
    assertEquals(0, r.skippedBatches());
    return MetricsCsv.read(tmp.resolve(name).resolve("metrics.csv"));
  }

  private static Path last(String name) {
    return tmp.resolve(name).resolve("checkpoints/last.safetensors");
  }

  private static boolean changed(Path before, Path after, String key) throws Exception {
    try (Checkpoint a = Checkpoints.open(before); Checkpoint b = Checkpoints.open(after)) {
      return !Arrays.equals(a.readFloats(key), b.readFloats(key));
    }
  }

  @Test
  @Order(1)
  void recognizerStageTrainsOnlyTextPredictorWithCtc() throws Exception {
    MetricsTable m = run("recognizer", null);
    assertTrue(Arrays.stream(m.column("loss_ctc")).allMatch(v -> v > 0 && Double.isFinite(v)), "CTC logged");
    assertTrue(Arrays.stream(m.column("accuracy")).allMatch(v -> v >= 0 && v <= 1), "greedy accuracy in [0, 1]");
    Path init = tmp.resolve("recognizer/init_random.safetensors");
    assertTrue(changed(init, last("recognizer"), OCR_KEY), "recognizer trained");
    assertFalse(changed(init, last("recognizer"), VAE_KEY), "VAE frozen");
    assertFalse(changed(init, last("recognizer"), UNET_INPUT_KEY), "UNet frozen");
    try (Checkpoint a = Checkpoints.open(init); Checkpoint b = Checkpoints.open(last("recognizer"))) {
      String stats = "text_predictor.backbone.conv1._batch_norm.running_mean";
      assertFalse(Arrays.equals(a.readFloats(stats), b.readFloats(stats)), "BatchNorm in train mode");
    }
  }

  @Test
  @Order(2)
  void vaeStageTrainsOnlyTheAutoencoderStartingWithSmallPosteriorNoise() throws Exception {
    MetricsTable m = run("vae", last("recognizer"));
    assertTrue(m.columns().contains("loss_kl"), m.columns().toString());
    assertTrue(Arrays.stream(m.column("loss_kl")).allMatch(v -> v > 0 && Double.isFinite(v)), "KL logged");
    assertTrue(Arrays.stream(m.column("loss_simple")).allMatch(v -> v > 0 && v < 10), "reconstruction logged");
    Path before = last("recognizer");
    assertTrue(changed(before, last("vae"), VAE_KEY), "VAE trained");
    assertFalse(changed(before, last("vae"), UNET_INPUT_KEY), "UNet frozen");
    assertFalse(changed(before, last("vae"), OCR_KEY), "recognizer frozen");
    try (Checkpoint c = Checkpoints.open(last("vae"))) {
      float[] bias = c.readFloats("first_stage_model.quant_conv.bias");
      for (int i = bias.length / 2; i < bias.length; i++) assertTrue(bias[i] < -7, "log-variance bias starts at -8, found " + bias[i]);
    }
  }

  @Test
  @Order(3)
  void fromScratchStageTrainsUnetAndTextEncoderButNotVaeOrRecognizer() throws Exception {
    MetricsTable m = run("anytext2", last("vae"));
    assertTrue(Arrays.stream(m.column("loss_simple")).allMatch(v -> v > 0 && Double.isFinite(v)), "loss_simple logged");
    assertTrue(Arrays.stream(m.column("loss_ctc")).allMatch(v -> v > 0), "OCR losses on");
    Path before = last("vae");
    Path after = last("anytext2");
    assertTrue(changed(before, after, UNET_INPUT_KEY), "UNet input blocks train from scratch");
    assertTrue(changed(before, after, CLIP_KEY), "text encoder trains from scratch");
    assertTrue(changed(before, after, CONTROL_KEY), "ControlNet trains");
    assertFalse(changed(before, after, VAE_KEY), "VAE frozen");
    assertFalse(changed(before, after, OCR_KEY), "recognizer frozen");
  }

  /**
   * Caption dropout's samples (negative prompt, "" text caption: no placeholder for the lines they
   * still carry) train like the others: the unconditional branch of a from-scratch model.
   */
  @Test
  @Order(4)
  void fromScratchStageTrainsOnUnconditionalCaptions() throws Exception {
    List<TrainingSample> dropped = new java.util.ArrayList<>();
    for (TrainingSample t : TinyRuns.samples(4)) {
      dropped.add(new TrainingSample(t.size(), t.image(), t.maskedImage(), io.anytext2.sdk.prompt.PromptParser.DEFAULT_N_PROMPT, "",
          t.glyphs(), t.glyphLines(), t.positions(), t.fontHint(), t.invMask(), t.colors(), t.texts(), t.languages(), t.edit()));
    }
    TrainingConfig cfg = config("anytext2");
    Trainer.Result r = TinyRuns.train(cfg, new ListBatchSource(dropped, 2), tmp.resolve("anytext2-uncond"), 2, false, last("vae"));
    assertEquals(2, r.globalStep());
    assertEquals(0, r.skippedBatches());
    MetricsTable m = MetricsCsv.read(tmp.resolve("anytext2-uncond").resolve("metrics.csv"));
    assertTrue(Arrays.stream(m.column("loss_simple")).allMatch(v -> v > 0 && Double.isFinite(v)), "loss_simple logged");
    assertTrue(changed(last("vae"), tmp.resolve("anytext2-uncond/checkpoints/last.safetensors"), UNET_INPUT_KEY), "UNet trains");
    assertEquals(0.1, TrainingConfig.read(withLine("anytext2", "  caption_dropout: 0.1")).data().captionDropout(), 1e-12);
  }

  /** configs/default/NAME.yaml (absolute paths) with {@code line} added at the top of its data section. */
  private static Path withLine(String name, String line) throws Exception {
    return written(name + "-extra.yaml", withAbsolutePaths(name).replace("data:\n", "data:\n" + line + "\n"));
  }

  @Test
  void configSwitchesAreCheckedAndTheRecipeStaysTheDefault() throws Exception {
    assertEquals(TrainingStage.ANYTEXT2, TrainingConfig.read(Path.of("configs/tiny.yaml")).loss().stage());
    assertFalse(TrainingConfig.read(Path.of("configs/tiny.yaml")).model().trainable().test(UNET_INPUT_KEY));
    Path bad = Files.createDirectories(tmp.resolve("bad")).resolve("bad.yaml");
    Files.writeString(bad, Files.readString(Path.of("configs/default/recognizer.yaml")).replace("loss_beta: 1.0", "loss_beta: 0")
        .replace("config: model.yaml", "config: " + Path.of("configs/default/model.yaml").toAbsolutePath()));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.read(bad));
    Files.writeString(bad, Files.readString(Path.of("configs/default/anytext2.yaml")).replace("loss_beta: 0.01", "loss_beta: 0.01\n  crop_margin: 4")
        .replace("config: model.yaml", "config: " + Path.of("configs/default/model.yaml").toAbsolutePath()));
    IllegalArgumentException margin = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.read(bad));
    assertTrue(margin.getMessage().contains("crop_margin widens the recognizer stage's crops"), margin.getMessage());
    assertEquals(1f, TrainingConfig.read(Path.of("configs/default/anytext2-gpu.yaml")).loss().textRegionWeight(), "unset: the original");
    assertEquals(4f, TrainingConfig.read(Path.of("configs/default/anytext2-gpu-text.yaml")).loss().textRegionWeight());
    Files.writeString(bad, Files.readString(Path.of("configs/default/vae.yaml")).replace("loss:", "loss:\n  text_region_weight: 4")
        .replace("config: model.yaml", "config: " + Path.of("configs/default/model.yaml").toAbsolutePath()));
    IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.read(bad));
    assertTrue(text.getMessage().contains("text_region_weight weights loss_simple"), text.getMessage());
    Files.writeString(bad, "model:\n  stage: unet\ndata:\n  synthetic: 4\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.read(bad));
    assertTrue(e.getMessage().contains("expected one of anytext2, vae, recognizer"), e.getMessage());
  }

  @Test
  void everyDefaultConfigReadsWithItsStage() throws Exception {
    for (String name : List.of("recognizer", "recognizer-gpu", "vae", "vae-gpu", "anytext2", "anytext2-gpu", "anytext2-continue", "anytext2-uncond",
        "anytext2-gpu-late", "anytext2-gpu-text")) {
      TrainingStage expected = name.startsWith("recognizer") ? TrainingStage.RECOGNIZER
          : name.startsWith("vae") ? TrainingStage.VAE : TrainingStage.ANYTEXT2;
      assertEquals(expected, config(name).loss().stage(), name);
    }
  }
}
