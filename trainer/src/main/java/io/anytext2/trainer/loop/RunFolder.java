package io.anytext2.trainer.loop;

import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.trainer.log.LossPlot;
import io.anytext2.trainer.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a run folder: {@code checkpoints/} (epoch, last; weights + optimizer + state),
 * {@code image_log/train/} (image grids), TensorBoard's {@code events.out.tfevents.*},
 * {@code metrics.csv} and its plot {@code loss.png}, and {@code init_random.safetensors} when a
 * run starts from random weights.
 */
final class RunFolder {
  private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
  private final Path dir;

  RunFolder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  Path checkpoints() {
    return dir.resolve("checkpoints");
  }

  Path metrics() {
    return dir.resolve("metrics.csv");
  }

  Path lossPlot() {
    return dir.resolve("loss.png");
  }

  /** The checkpoint a fresh run starts from: --init, else the config's {@code model.init} ("random": written here). */
  Path initialCheckpoint(TrainingConfig cfg, Path override) throws IOException {
    if (override != null) return requireFile(override);
    String init = cfg.model().init();
    if (init == null) {
      throw new IllegalArgumentException("no initial checkpoint: pass --init (TRAINING.md §4 weights) or set model.init in " + cfg.file());
    }
    if (init.equals("random")) {
      Files.createDirectories(dir);
      Path file = dir.resolve("init_random.safetensors");
      ModelSpec spec = ModelSpec.load(cfg.model().config(), cfg.model().randomOcr());
      new RandomCheckpoint(spec.config(), cfg.train().seed()).save(file);
      LOG.info("random initial weights (seed {}) written to {}", cfg.train().seed(), file);
      return file;
    }
    return requireFile(cfg.file().toAbsolutePath().getParent().resolve(init).normalize());
  }

  private static Path requireFile(Path p) {
    if (!Files.isRegularFile(p)) throw new IllegalArgumentException("initial checkpoint " + p + " does not exist");
    return p;
  }

  /** Redraws loss.png from metrics.csv (the losses the run logged so far). */
  void plotLosses() {
    if (!Files.isRegularFile(metrics())) return;
    try {
      LossPlot.defaults().withSmoothing(0.6).write(metrics(), List.of("loss_simple", "loss"), lossPlot());
    } catch (RuntimeException e) {
      LOG.warn("cannot draw {}: {}", lossPlot(), e.getMessage()); // a plot never stops training
    }
  }
}
