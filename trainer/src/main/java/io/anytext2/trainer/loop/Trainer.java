package io.anytext2.trainer.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.djl.DeviceChoice;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.log.CheckpointManager;
import io.anytext2.trainer.log.LoadedCheckpoint;
import io.anytext2.trainer.log.MetricsCsv;
import io.anytext2.trainer.log.ProgressLine;
import io.anytext2.trainer.log.SavedCheckpoint;
import io.anytext2.trainer.log.TensorBoardWriter;
import io.anytext2.trainer.log.TrainingState;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.model.AnyText2TrainingModel;
import io.anytext2.trainer.model.ModelSpec;
import io.anytext2.trainer.model.PreparedSample;
import io.anytext2.trainer.model.TrainingBatch;
import io.anytext2.trainer.model.PretrainingLosses;
import io.anytext2.trainer.model.TrainingStage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop of TRAINING.md §3.7–§3.9 and Appendix A: micro-batches from a
 * {@link BatchSource}, loss / accumulate backward, an AdamW step every {@code accumulate}
 * micro-batches and at the end of every epoch (Lightning steps on an epoch's last batch), metrics
 * per optimizer step (metrics.csv, TensorBoard, progress line), the image log, checkpoints at every
 * epoch end ({@code epoch=E-step=S} top-k and {@code last}) and, on request, every N steps and when
 * {@code --max-steps} stops the run.
 *
 * <p>Resuming restores weights (BatchNorm statistics included), optimizer moments, epoch, step,
 * the data position and the micro-batch counter that seeds the noise, so the next loss is the one
 * the uninterrupted run would have computed. A sample that cannot be prepared, or a micro-batch
 * whose forward pass fails or gives a non-finite loss, is skipped with a warning; training goes on.
 *
 * <p>Device: the run trains on the device of {@link Options#device()} or the config's
 * {@code train.device} (default auto: the first GPU DJL's engine reports, else the CPU). Every
 * tensor descends from one root manager on that device; host data (samples, noise drawn on the host)
 * is uploaded as a micro-batch needs it, and values come back to the host explicitly: the logged
 * losses once per micro-batch, weights and optimizer state when a checkpoint is written, image-log
 * panels. The noise comes from a host generator, so CPU and GPU runs draw the same noise; only
 * dropout (PyTorch's generator, seeded per micro-batch) differs between devices, and a resumed run
 * on the same device repeats the uninterrupted one exactly.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  /** Consecutive failed micro-batches after which the run stops: something is wrong beyond one sample. */
  private static final int MAX_CONSECUTIVE_FAILURES = 20;

  /**
   * @param maxSteps stop after this many optimizer steps in total (≤ 0: run all epochs)
   * @param init initial checkpoint overriding the config's (fresh runs only)
   * @param device where to train, overriding the config's {@code train.device}; null = the config's
   */
  public record Options(Path runDir, long maxSteps, boolean resume, Path init, PrintStream console, boolean interactive,
      DeviceChoice device) {
    /** Options that train where the config says. */
    public Options(Path runDir, long maxSteps, boolean resume, Path init, PrintStream console, boolean interactive) {
      this(runDir, maxSteps, resume, init, console, interactive, null);
    }
  }

  /** What a run did; {@code device} is where it trained (cpu, cuda:N). */
  public record Result(long globalStep, int epoch, long microBatches, int skippedSamples, int skippedBatches, double stepsPerSecond,
      double lastLoss, Path lastCheckpoint, String device) {}

  private final TrainingConfig cfg;
  private final BatchSource data;
  private final Options options;
  private final RunFolder run;
  private volatile boolean stopRequested;

  public Trainer(TrainingConfig cfg, BatchSource data, Options options) {
    this.cfg = cfg;
    this.data = data;
    this.options = options;
    this.run = new RunFolder(options.runDir());
  }

  /**
   * Asks a running {@link #run} to stop after the optimizer step in progress: it writes the {@code last}
   * checkpoint (weights, optimizer, step, data position: {@code --resume} continues exactly) and returns.
   * Safe from any thread, e.g. a shutdown hook on Ctrl-C or SIGTERM.
   */
  public void requestStop() {
    stopRequested = true;
  }

  public Result run() throws IOException {
    DeviceChoice choice = options.device() != null ? options.device() : cfg.train().device();
    DeviceChoice.EngineInfo engine = DeviceChoice.EngineInfo.current();
    // PyTorch's grad mode is per thread and DJL turns it off only on the thread that loaded the engine;
    // on any other thread the optimizer's in-place updates of the weights would be recorded (and refused)
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return train(choice, engine);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private Result train(DeviceChoice choice, DeviceChoice.EngineInfo engine) throws IOException {
    Device device = choice.resolve(engine);
    LOG.info("training on {} ({} {}: {}; DJL {}, {} GPU(s) visible)", DeviceChoice.label(device), choice.origin(), choice, engine.describe(),
        Engine.getDjlVersion(), engine.gpuCount());
    CheckpointManager checkpoints = CheckpointManager.open(run.checkpoints(),
        new CheckpointManager.Retention("global_step", CheckpointManager.Mode.MAX, cfg.checkpoint().topK()));
    Optional<LoadedCheckpoint> resumed = Optional.empty();
    if (options.resume()) {
      resumed = checkpoints.loadLast();
      if (resumed.isEmpty()) throw new IllegalArgumentException("nothing to resume: " + run.checkpoints() + " holds no checkpoint");
    } else if (checkpoints.last().isPresent()) {
      throw new IllegalArgumentException("run folder " + run.dir() + " already has checkpoints; pass --resume or choose another --out");
    }
    // every tensor of the run descends from this manager and so lives on its device
    try (NDManager root = NDManager.newBaseManager(device);
        Session s = resumed.isPresent() ? Session.resume(cfg, run, root, resumed.get()) : Session.fresh(cfg, run, root, options.init())) {
      resumed.ifPresent(LoadedCheckpoint::close);
      return loop(s, checkpoints);
    } finally {
      resumed.ifPresent(LoadedCheckpoint::close);
    }
  }

  private Result loop(Session s, CheckpointManager checkpoints) throws IOException {
    TrainingConfig.Train t = cfg.train();
    long perEpoch = (data.size() + t.batchSize() - 1) / t.batchSize();
    long stepsPerEpoch = (perEpoch + t.accumulate() - 1) / t.accumulate();
    long total = stepsPerEpoch * t.epochs();
    if (options.maxSteps() > 0) total = Math.min(total, options.maxSteps());
    if (s.globalStep >= total) {
      LOG.info("nothing to do: step {} already reached {}", s.globalStep, total);
      return new Result(s.globalStep, s.epoch, s.microBatch, 0, 0, 0, Double.NaN, null, DeviceChoice.label(s.root.getDevice()));
    }
    boolean fresh = s.globalStep == 0 && s.microBatch == 0;
    if (fresh) io.anytext2.trainer.log.ImageGrid.clear(run.dir());
    String configHash = TrainingState.sha256(cfg.text());
    String stageColumn = cfg.loss().stage().extraColumn();
    List<String> extraColumns = stageColumn == null ? List.of("loss") : List.of("loss", stageColumn);
    int skippedSamples = 0;
    int skippedBatches = 0;
    int consecutiveFailures = 0;
    double lastLoss = Double.NaN;
    Path lastCheckpoint = null;
    long startStep = s.globalStep;
    long startNanos = System.nanoTime();
    DjlOps op = new DjlOps(s.store, null);
    op.keepConstantsIn(s.root.newSubManager()); // scalars and constant tensors: made once per run
    Set<String> withGradient = new LinkedHashSet<>();
    Window window = new Window();
    try (MetricsCsv metrics = fresh ? MetricsCsv.open(run.metrics(), extraColumns) : MetricsCsv.resume(run.metrics(), extraColumns, s.globalStep);
        TensorBoardWriter tb = TensorBoardWriter.open(run.dir());
        ProgressLine progress = options.interactive() || options.console() == null
            ? ProgressLine.toConsole(total, s.globalStep)
            : new ProgressLine(options.console(), false, total, s.globalStep, System::nanoTime, 120);
        BatchSource.Stream batches = data.open(t.batchSize(), s.epoch, s.position, t.epochs())) {
      ImageLogger images = new ImageLogger(s.model, run.dir(), tb, cfg.log());
      while (batches.hasNext() && s.globalStep < total) {
        BatchSource.Batch batch = batches.next();
        if (batch.epoch() != s.epoch) {
          s.epoch = batch.epoch();
          s.batchInEpoch = 0;
        }
        skippedSamples += batch.skipped().size();
        long prepareStart = System.nanoTime();
        List<PreparedSample> prepared = new ArrayList<>();
        for (Prepared p : prepare(s.model, batch.samples())) {
          if (p.error() == null) {
            prepared.add(p.sample());
          } else {
            skippedSamples++;
            LOG.warn("skipping a malformed sample (epoch {}, micro-batch {}): {}", s.epoch, s.batchInEpoch, p.error().getMessage());
          }
        }
        boolean ok = false;
        if (!prepared.isEmpty()) {
          TrainingBatch tbatch = new TrainingBatch(prepared);
          if (OpCounter.enabled()) LOG.info("micro-batch {}: host preparation {} ms", s.microBatch, (System.nanoTime() - prepareStart) / 1_000_000);
          ok = microStep(s, op, tbatch, window, withGradient);
          if (ok && cfg.loss().stage() == TrainingStage.ANYTEXT2 && cfg.log().imageEvery() > 0 && s.batchInEpoch % cfg.log().imageEvery() == 0) {
            images.log(op, s.root, tbatch, s.model.drawNoise(t.seed(), s.microBatch, tbatch), s.globalStep, s.epoch, s.batchInEpoch);
          }
        }
        if (ok) {
          consecutiveFailures = 0;
        } else {
          skippedBatches++;
          if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            throw new IllegalStateException(consecutiveFailures + " micro-batches in a row failed; stopping (see the warnings above)");
          }
        }
        s.microBatch++;
        s.batchInEpoch++;
        s.position = batch.endPosition();
        window.count++;
        boolean epochEnd = batch.endPosition() >= data.size();
        if (window.count < t.accumulate() && !epochEnd) continue;

        if (!withGradient.isEmpty()) {
          OpCounter.take();
          long start = System.nanoTime();
          s.optimizer.step(withGradient);
          if (OpCounter.enabled()) {
            LOG.info("optimizer step ({} parameters, {} ms): {}", withGradient.size(), (System.nanoTime() - start) / 1_000_000,
                OpCounter.take().describe());
          }
        }
        withGradient.clear();
        s.globalStep++;
        Map<String, Double> values = window.means();
        window = new Window();
        lastLoss = values.getOrDefault("loss", Double.NaN);
        if (!values.isEmpty()) {
          Map<String, Double> row = new LinkedHashMap<>(Map.of("loss_simple", values.get("loss_simple"), "loss_ocr",
              values.get("loss_ocr"), "loss_ctc", values.get("loss_ctc"), "lr", (double) t.optimizer().lr(), "loss", values.get("loss")));
          if (stageColumn != null) row.put(stageColumn, values.get("extra"));
          metrics.append(s.globalStep, row);
          Map<String, Double> scalars = new LinkedHashMap<>();
          scalars.put("t/sim", values.get("loss_simple"));
          scalars.put("t/loss", values.get("loss"));
          if (cfg.loss().alpha() > 0) scalars.put("t/ocr", values.get("loss_ocr"));
          if (cfg.loss().beta() > 0) scalars.put("t/ctc", values.get("loss_ctc"));
          if (stageColumn != null) scalars.put("t/" + stageColumn, values.get("extra"));
          tb.addScalars(scalars, s.globalStep);
          progress.update(s.globalStep, stageColumn == null ? Map.of("loss", values.get("loss"), "epoch", (double) s.epoch)
              : Map.of("loss", values.get("loss"), stageColumn, values.get("extra"), "epoch", (double) s.epoch));
        }
        boolean stop = s.globalStep >= total || stopRequested;
        TrainingState state = s.state(configHash);
        if (epochEnd) {
          Map<String, Double> m = values.isEmpty() ? Map.of() : Map.of("t/loss", values.get("loss"));
          Optional<SavedCheckpoint> saved = checkpoints.saveEpoch(state, TrainingTensors.weights(s.store),
              TrainingTensors.optimizer(s.optimizer), m);
          lastCheckpoint = saved.map(SavedCheckpoint::weights).orElse(checkpoints.last().map(SavedCheckpoint::weights).orElse(null));
          run.plotLosses();
        } else if (stop || (cfg.checkpoint().everySteps() > 0 && s.globalStep % cfg.checkpoint().everySteps() == 0)) {
          lastCheckpoint = checkpoints.saveLast(state, TrainingTensors.weights(s.store), TrainingTensors.optimizer(s.optimizer)).weights();
          run.plotLosses();
        }
        if (stop) break;
      }
      run.plotLosses();
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = (s.globalStep - startStep) / Math.max(seconds, 1e-9);
    return new Result(s.globalStep, s.epoch, s.microBatch, skippedSamples, skippedBatches, rate, lastLoss, lastCheckpoint,
        DeviceChoice.label(s.root.getDevice()));
  }

  /** A sample prepared for the model, or why it could not be. */
  private record Prepared(PreparedSample sample, RuntimeException error) {}

  /**
   * The host preparation of a micro-batch's samples (recognizer inputs, crop plans, tokens: a few
   * milliseconds per sample, on the training thread's critical path), in parallel on the common
   * pool: samples are independent, and the results keep the batch's order, so training is unchanged.
   */
  private static List<Prepared> prepare(AnyText2TrainingModel model, List<TrainingSample> samples) {
    return samples.parallelStream().map(sample -> {
      try {
        return new Prepared(model.prepare(sample), null);
      } catch (RuntimeException e) {
        return new Prepared(null, e);
      }
    }).toList();
  }

  /** Forward and backward of one micro-batch; false when it had to be skipped. */
  private boolean microStep(Session s, DjlOps op, TrainingBatch batch, Window window, Set<String> withGradient) {
    try (NDManager scope = s.root.newSubManager()) {
      op.scope(scope);
      op.clearUsed();
      // PyTorch's generator (dropout of the font recognizer) restarts from a per-micro-batch seed, so a resumed run draws the same masks
      JniUtils.setSeed(cfg.train().seed() * 0x9E3779B97F4A7C15L + s.microBatch);
      OpCounter.take();
      long start = System.nanoTime();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        AnyText2TrainingModel.Losses l = s.model.forward(op, batch, s.model.drawNoise(cfg.train().seed(), s.microBatch, batch));
        // the micro-batch's one wait for the device: all logged losses in one copy, needed before backward to skip a non-finite one
        float total = OpCounter.part("losses read", l::totalValue);
        if (!Float.isFinite(total)) {
          LOG.warn("skipping micro-batch {}: non-finite loss {}", s.microBatch, total);
          return false;
        }
        OpCounter.part("backward", () -> {
          NDArray scaled = op.scale(l.total(), 1f / cfg.train().accumulate()); // Lightning divides by accumulate_grad_batches
          OpCounter.ops(1); // one call; libtorch's autograd engine launches the backward kernels
          gc.backward(scaled);
        });
        withGradient.addAll(op.used());
        window.add(l);
        if (OpCounter.enabled()) {
          LOG.info("micro-batch {} ({} samples, {} lines, {} ms): ops per micro-batch: {}", s.microBatch, batch.batchSize(),
              batch.lineCount(), (System.nanoTime() - start) / 1_000_000, OpCounter.take().describe());
        }
        return true;
      }
    } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
      LOG.warn("skipping micro-batch {}: {}", s.microBatch, e.getMessage());
      return false;
    } finally {
      op.scope(null);
    }
  }

  /** Loss sums over the micro-batches of one optimizer step. */
  private static final class Window {
    int count;
    int losses;
    double simple;
    double ocr;
    double ctc;
    double total;
    double extra;

    void add(AnyText2TrainingModel.Losses l) {
      losses++;
      simple += l.simple();
      ocr += l.ocr();
      ctc += l.ctc();
      total += l.totalValue();
      extra += l.extra();
    }

    Map<String, Double> means() {
      if (losses == 0) return Map.of();
      return Map.of("loss_simple", simple / losses, "loss_ocr", ocr / losses, "loss_ctc", ctc / losses, "loss", total / losses, "extra",
          extra / losses);
    }
  }

  /** Model, optimizer and counters of a run. */
  static final class Session implements AutoCloseable {
    final NDManager root;
    final ParameterStore store;
    final AnyText2TrainingModel model;
    final AdamW optimizer;
    int epoch;
    int position;
    long globalStep;
    long microBatch;
    long batchInEpoch;

    private Session(NDManager root, ParameterStore store, AnyText2TrainingModel model, AdamW optimizer) {
      this.root = root;
      this.store = store;
      this.model = model;
      this.optimizer = optimizer;
    }

    static Session fresh(TrainingConfig cfg, RunFolder run, NDManager root, Path initOverride) throws IOException {
      Path init = run.initialCheckpoint(cfg, initOverride);
      try (Checkpoint ckpt = io.anytext2.exporter.ckpt.Checkpoints.open(init)) {
        Session s = open(cfg, root, ckpt);
        if (cfg.loss().stage() == TrainingStage.VAE) PretrainingLosses.startVae(s.store, s.model.config().vae().embedDim());
        return s;
      }
    }

    static Session resume(TrainingConfig cfg, RunFolder run, NDManager root, LoadedCheckpoint saved) {
      Session s = open(cfg, root, saved.weights());
      TrainingTensors.restore(s.optimizer, saved.optimizer());
      TrainingState st = saved.state();
      s.epoch = st.epoch();
      s.globalStep = st.globalStep();
      s.batchInEpoch = st.batchInEpoch();
      s.position = Integer.parseInt(st.extra().getOrDefault("data_position", "0"));
      s.microBatch = Long.parseLong(st.extra().getOrDefault("micro_batch", "0"));
      if (!TrainingState.sha256(cfg.text()).equals(st.configHash())) {
        LOG.warn("resuming with a training config that differs from the one the checkpoint was written with");
      }
      return s;
    }

    private static Session open(TrainingConfig cfg, NDManager root, Checkpoint weights) {
      ModelSpec spec = ModelSpec.load(cfg.model().config(), weights);
      ParameterStore store = ParameterStore.fromCheckpoint(root, weights, CheckpointValidator.requiredWeights(spec.config()),
          cfg.model().trainable());
      OcrDictionary dict = cfg.model().ocrDictionary() == null ? null : OcrDictionary.read(cfg.model().ocrDictionary());
      AnyText2TrainingModel model = new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(), cfg.loss(), dict);
      return new Session(root, store, model, new AdamW(store, cfg.train().optimizer(), true));
    }

    TrainingState state(String configHash) {
      return new TrainingState(epoch, globalStep, batchInEpoch, Map.of(), configHash,
          Map.of("data_position", Integer.toString(position), "micro_batch", Long.toString(microBatch)));
    }

    @Override
    public void close() {
      optimizer.close();
      store.close();
    }
  }
}
