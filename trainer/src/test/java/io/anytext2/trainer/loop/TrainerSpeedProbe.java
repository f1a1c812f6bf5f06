package io.anytext2.trainer.loop;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a CI test (name does not end in Test): measures steps/s of the tiny config on this machine. */
class TrainerSpeedProbe {
  @TempDir Path tmp;

  @Test
  void probe() throws Exception {
    for (String loss : new String[] {"  loss_alpha: 0.0\n  loss_beta: 0.0\n", "  loss_alpha: 0.0\n  loss_beta: 0.0\n", "  loss_alpha: 0.003\n  loss_beta: 0.01\n"}) {
      TrainingConfig cfg = TinyRuns.config(tmp, null, loss, "  image_every: 0\n");
      Path run = tmp.resolve("run" + System.nanoTime());
      long t0 = System.nanoTime();
      Trainer.Result r = TinyRuns.train(cfg, new ListBatchSource(TinyRuns.samples(24), 1), run, 6, false, null);
      System.out.printf("loss [%s]: %d steps, %.3f steps/s (%.1f s incl. setup), last loss %.4f%n", loss.replace("\n", " "), r.globalStep(),
          r.stepsPerSecond(), (System.nanoTime() - t0) / 1e9, r.lastLoss());
    }
  }
}
