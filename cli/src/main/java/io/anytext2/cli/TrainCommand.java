package io.anytext2.cli;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.trainer.djl.DeviceChoice;
import io.anytext2.trainer.loop.BatchSource;
import io.anytext2.trainer.loop.DataSetup;
import io.anytext2.trainer.loop.Trainer;
import io.anytext2.trainer.loop.TrainingConfig;
import io.anytext2.trainer.model.InitialCheckpoint;
import io.anytext2.trainer.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 train}: the AnyText2 training recipe on DJL (PyTorch, CPU or CUDA). */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train AnyText2 (WriteNet, AttnX, embedding manager) with the original recipe (TRAINING.md) on DJL/PyTorch.",
      "The run folder gets checkpoints/ (epoch=E-step=S and last, safetensors in the official key layout, plus optimizer",
      "state), image_log/train/, TensorBoard events, metrics.csv and loss.png."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 train --config trainer/configs/tiny.yaml --out runs/tiny --max-steps 20",
      "  anytext2 train --config trainer/configs/tiny.yaml --out runs/tiny --max-steps 40 --resume",
      "  anytext2 train --config trainer/configs/tiny.yaml --out runs/tiny-gpu --device cuda:0 --max-steps 20",
      "  anytext2 train --config trainer/configs/anytext2_recipe.yaml --data AnyWord-3M/jsons --out runs/recipe \\",
      "      --base models/v1-5-pruned.ckpt --ocr-weights models/ppv3_rec.pth"
    })
final class TrainCommand implements Callable<Integer> {
  /** How long Ctrl-C / SIGTERM waits for the step in progress and its checkpoint (CPU steps of big models are slow). */
  static final int STOP_WAIT_SECONDS = 600;

  @Option(names = "--config", required = true, description = "training config YAML (trainer/configs/anytext2_recipe.yaml, tiny.yaml)")
  Path config;

  @Option(names = "--data", description = "AnyWord-3M annotation JSON file, or a folder of them (default: the config's data)")
  Path data;

  @Option(names = "--out", description = "run folder (default: runs/<config name>)")
  Path out;

  @Option(names = "--max-steps", defaultValue = "0", description = "stop after this many optimizer steps in total (default: all epochs)")
  long maxSteps;

  @Option(names = "--resume", description = "continue from the run folder's last checkpoint (weights, optimizer, step, data position)")
  boolean resume;

  @Option(names = "--init", description = "initial AnyText2 checkpoint (TRAINING.md §4), overriding the config's model.init")
  Path init;

  @Option(names = "--init-part", paramLabel = "PREFIX=FILE",
      description = "with --init: take the weights whose keys start with PREFIX from FILE (repeatable), e.g. "
          + "text_predictor.=runs/rec/checkpoints/last.safetensors; the joined checkpoint is written to the run folder")
  java.util.List<String> initParts = new java.util.ArrayList<>();

  @Option(names = "--base", description = "build the initial checkpoint from this SD1.5 checkpoint (TRAINING.md §4) into the run folder")
  Path base;

  @Option(names = "--ocr-weights", description = "with --base: PP-OCRv3 recognizer weights (ppv3_rec.pth) for both OCR copies")
  Path ocrWeights;

  @Option(names = "--device", paramLabel = "DEVICE", description = {
    "auto, cpu, cuda or cuda:N (also gpu, gpu:N); default: the config's train.device, else auto",
    "(auto = the first GPU DJL's PyTorch engine sees, else the CPU)"})
  String device;

  @Override
  public Integer call() throws Exception {
    // the PyTorch natives ship in the pytorch-native-cpu jar: DJL never needs to download anything
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    ConvertCommand.requireFile(config, "training config");
    if (maxSteps < 0) throw new IllegalArgumentException("--max-steps must be >= 0, found " + maxSteps);
    if (init != null && base != null) throw new IllegalArgumentException("give either --init or --base, not both");
    if (ocrWeights != null && base == null) throw new IllegalArgumentException("--ocr-weights needs --base");
    if (resume && (init != null || base != null)) throw new IllegalArgumentException("--resume continues from the run folder; drop --init/--base");
    TrainingConfig cfg = TrainingConfig.read(config);
    DeviceChoice where = device == null ? cfg.train().device() : DeviceChoice.parse(device, "--device");
    where.resolve(DeviceChoice.EngineInfo.current()); // an unusable device fails here, before any data is written
    Path run = out != null ? out : Path.of("runs", config.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    if (!initParts.isEmpty() && init == null) throw new IllegalArgumentException("--init-part needs --init");
    Path initial = init;
    if (base != null) initial = buildInitial(cfg, run);
    if (!initParts.isEmpty()) initial = joinInitial(run);
    BatchSource source = DataSetup.fromConfig(cfg, data, run);
    Trainer trainer = new Trainer(cfg, source, new Trainer.Options(run, maxSteps, resume, initial, null, true, where));
    // Ctrl-C or SIGTERM (e.g. `timeout`): finish the step in progress and write the last checkpoint before
    // the JVM goes; stopping inside a native libtorch call crashed the JVM (SIGSEGV) on the way out.
    CountDownLatch finished = new CountDownLatch(1);
    Thread stop = new Thread(() -> {
      if (finished.getCount() == 0) return;
      System.err.println("\nstopping: finishing this step and writing the last checkpoint (" + run.resolve("checkpoints") + ")");
      trainer.requestStop();
      try {
        if (!finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
          System.err.println("stopping: no checkpoint after " + STOP_WAIT_SECONDS + " s; exiting without one");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "anytext2-train-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      Trainer.Result r = trainer.run();
      System.out.printf("trained to step %d on %s (epoch %d, %d micro-batches), %.3f steps/s, last loss %.5f; %d samples and %d micro-batches skipped%n",
          r.globalStep(), r.device(), r.epoch(), r.microBatches(), r.stepsPerSecond(), r.lastLoss(), r.skippedSamples(), r.skippedBatches());
      if (r.lastCheckpoint() != null) System.out.println("checkpoint: " + r.lastCheckpoint());
      System.out.flush();
      return 0;
    } finally {
      finished.countDown();
    }
  }

  /** --init with its --init-part overlays, into RUN/init_joined.safetensors (the run records what it started from). */
  private Path joinInitial(Path run) throws Exception {
    ConvertCommand.requireFile(init, "initial checkpoint");
    Path file = run.resolve("init_joined.safetensors");
    try (Checkpoint joined = CheckpointParts.open(init, initParts, "--init-part")) {
      Files.createDirectories(run);
      java.util.List<io.anytext2.exporter.ckpt.TensorInfo> infos = joined.keys().stream().map(joined::info).toList();
      // the writer goes through a temp file renamed into place: a failed join leaves no init_joined behind
      io.anytext2.exporter.ckpt.SafetensorsWriter.write(file, infos, info -> joined.readBytes(info.key()), java.util.Map.of("format", "pt"));
    }
    System.out.println("initial checkpoint " + file + ": " + init + " with " + String.join(", ", initParts));
    return file;
  }

  /** TRAINING.md §4 into RUN/anytext2_sd15_scratch.safetensors. */
  private Path buildInitial(TrainingConfig cfg, Path run) throws Exception {
    ConvertCommand.requireFile(base, "SD1.5 checkpoint");
    if (ocrWeights != null) ConvertCommand.requireFile(ocrWeights, "OCR weights");
    Files.createDirectories(run);
    Path file = run.resolve("anytext2_sd15_scratch.safetensors");
    try (Checkpoint sd = Checkpoints.open(base); Checkpoint ocr = ocrWeights == null ? null : Checkpoints.open(ocrWeights)) {
      OcrConfig ocrCfg = ocr != null && ocr.contains("backbone.conv1._conv.weight") && ocr.contains("head.fc.weight")
          ? OcrConfig.fromShapes(ocr.info("backbone.conv1._conv.weight").dim(0), ocr.info("head.fc.weight").dim(0))
          : cfg.model().randomOcr();
      ModelSpec spec = ModelSpec.load(cfg.model().config(), ocrCfg);
      InitialCheckpoint.Report report = new InitialCheckpoint(spec.config(), sd, ocr, cfg.train().seed()).save(file);
      System.out.println("initial checkpoint " + file + ": " + report);
    }
    return file;
  }
}
