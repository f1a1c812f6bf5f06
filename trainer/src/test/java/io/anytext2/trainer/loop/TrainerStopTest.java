package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.trainer.data.TrainingSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trainer#requestStop} (what Ctrl-C / SIGTERM calls through the CLI's shutdown hook): the run
 * ends after the step in progress with a {@code last} checkpoint of that step, and {@code --resume}
 * goes on from there. The first run trains on a pool thread and the resumed one on the test's thread:
 * training works on any thread, not only the one that loaded the engine (PyTorch's grad mode is per thread).
 */
class TrainerStopTest {

  @Test
  void aStopRequestEndsTheRunWithACheckpointOfItsLastStep(@TempDir Path tmp) throws Exception {
    TrainingConfig cfg = TinyRuns.config(Files.createDirectories(tmp.resolve("cfg")),
        "  seed: 5\n  batch_size: 2\n  accumulate_grad_batches: 1\n  epochs: 1000\n  learning_rate: 1.0e-4\n", null, "  image_every: 0\n");
    List<TrainingSample> samples = TinyRuns.samples(6);
    Path run = tmp.resolve("run");
    Trainer trainer = new Trainer(cfg, new ListBatchSource(samples, 2),
        new Trainer.Options(run, 0, false, null, new PrintStream(new ByteArrayOutputStream()), false));
    CompletableFuture<Trainer.Result> done = CompletableFuture.supplyAsync(() -> {
      try {
        return trainer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Path metrics = run.resolve("metrics.csv");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while ((!Files.exists(metrics) || Files.readAllLines(metrics).size() < 3) && System.nanoTime() < deadline) Thread.sleep(50);
    trainer.requestStop();
    Trainer.Result r = done.get(120, TimeUnit.SECONDS);
    assertTrue(r.globalStep() >= 2 && r.globalStep() < 3000, "stopped early, at step " + r.globalStep());
    String last = Files.readString(run.resolve("checkpoints/last.json"));
    assertTrue(last.replace(" ", "").contains("\"global_step\":" + r.globalStep()), "last checkpoint of step " + r.globalStep() + ": " + last);
    assertTrue(Files.isRegularFile(r.lastCheckpoint()), "the run reports its checkpoint: " + r.lastCheckpoint());
    Trainer.Result more = TinyRuns.train(cfg, new ListBatchSource(samples, 2), run, r.globalStep() + 1, true, null);
    assertEquals(r.globalStep() + 1, more.globalStep(), "--resume goes on from the stop");
  }
}
