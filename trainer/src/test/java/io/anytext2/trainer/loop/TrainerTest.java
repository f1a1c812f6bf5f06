package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.trainer.TinyModels;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.log.MetricsCsv;
import io.anytext2.trainer.log.MetricsTable;
import io.anytext2.trainer.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny runs of the loop: 13 synthetic samples + 1 malformed one, batch 3, accumulation 2 (5
 * micro-batches and 3 optimizer steps per epoch, the last one a partial window), OCR losses on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerTest {
  @TempDir static Path tmp;
  private static Path finishedRun;
  private static TrainingConfig config;

  private static BatchSource data() {
    List<TrainingSample> samples = new ArrayList<>(TinyRuns.samples(13));
    TrainingSample good = samples.get(0);
    float[] nan = good.image().clone();
    nan[5] = Float.NaN;
    samples.add(new TrainingSample(good.size(), nan, good.maskedImage(), good.imageCaption(), good.textCaption(), good.glyphs(),
        good.glyphLines(), good.positions(), good.fontHint(), good.invMask(), good.colors(), good.texts(), good.languages(), false));
    return new ListBatchSource(samples, 3);
  }

  private static TrainingConfig config() throws Exception {
    if (config == null) {
      config = TinyRuns.config(Files.createDirectories(tmp.resolve("cfg")),
          "  seed: 5\n  batch_size: 3\n  accumulate_grad_batches: 2\n  epochs: 2\n  learning_rate: 1.0e-4\n", null,
          "  image_every: 4\n  image_steps: 4\n  image_cfg: 9.0\n");
    }
    return config;
  }

  @Test
  @Order(1)
  void aRunWritesLogsAndCheckpointsAndSkipsTheMalformedSample() throws Exception {
    Path run = tmp.resolve("full");
    Trainer.Result r = TinyRuns.train(config(), data(), run, 5, false, null);
    finishedRun = run;
    assertEquals(5, r.globalStep());
    assertEquals(1, r.epoch());
    assertTrue(r.skippedSamples() >= 1, "the NaN sample is skipped, found " + r.skippedSamples());
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/epoch=0-step=3.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/last.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/last.state.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("loss.png")));
    try (Stream<Path> s = Files.list(run)) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")), "TensorBoard event file");
    }
    try (Stream<Path> s = Files.list(run.resolve("image_log/train"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.contains("samples_cfg_scale_9.00_gs-000000_e-000000_b-000000.png"), names.toString());
      assertTrue(names.contains("reconstruction_gs-000004_e-000001_b-000004.png") || names.stream().anyMatch(n -> n.contains("_e-000001_")),
          names.toString());
    }
    MetricsTable m = MetricsCsv.read(run.resolve("metrics.csv"));
    assertEquals(5, m.rows());
    assertTrue(java.util.Arrays.stream(m.column("loss_ocr")).allMatch(v -> v > 0), "OCR loss logged");
    // the official layout: every key of the initial state dict, weights trained
    try (Checkpoint init = Checkpoints.open(run.resolve("init_random.safetensors"));
        Checkpoint last = Checkpoints.open(run.resolve("checkpoints/last.safetensors"))) {
      assertEquals(init.keys(), last.keys());
      String trained = "control_model.zero_convs.0.0.weight";
      String frozen = "model.diffusion_model.input_blocks.1.0.in_layers.2.weight";
      assertTrue(!java.util.Arrays.equals(init.readFloats(trained), last.readFloats(trained)), "trainable weights changed");
      assertTrue(java.util.Arrays.equals(init.readFloats(frozen), last.readFloats(frozen)), "frozen weights unchanged");
    }
  }

  @Test
  @Order(2)
  void resumingContinuesWithTheSameLossesAsTheUninterruptedRun() throws Exception {
    Path run = tmp.resolve("split");
    Trainer.Result first = TinyRuns.train(config(), data(), run, 2, false, null);
    assertEquals(2, first.globalStep());
    Trainer.Result second = TinyRuns.train(config(), data(), run, 5, true, null);
    assertEquals(5, second.globalStep());
    MetricsTable whole = MetricsCsv.read(finishedRun.resolve("metrics.csv"));
    MetricsTable split = MetricsCsv.read(run.resolve("metrics.csv"));
    assertEquals(whole.rows(), split.rows());
    assertEquals(whole.columns(), split.columns());
    for (String c : whole.columns()) {
      // bit-identical: step 3 is the first optimizer step after resuming
      org.junit.jupiter.api.Assertions.assertArrayEquals(whole.column(c), split.column(c), "column " + c);
    }
  }

  @Test
  @Order(3)
  void theTrainedCheckpointConvertsAndGeneratesAnImage() throws Exception {
    Path ckptFile = finishedRun.resolve("checkpoints/last.safetensors");
    Path pkg = tmp.resolve("package");
    try (Checkpoint ckpt = Checkpoints.open(ckptFile)) {
      ModelSpec spec = ModelSpec.load(TinyModels.MODEL_YAML, ckpt);
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, ckptFile.getFileName().toString(), spec.config(), "tiny",
          spec.clipFolder(), TinyModels.DICTIONARY, pkg, false), new ModelPackageWriter.Progress() {
            @Override
            public void graph(String name, int index, int graphs) {}
          });
    }
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu())) {
      GenerationResult r = p.run(AnyText2Request.generate("a shop sign").line(TextLine.of("OPEN")).size(128, 128).steps(2).seed(3).build());
      assertEquals(1, r.images().size());
      assertEquals(128, r.images().get(0).width());
    }
  }
}
