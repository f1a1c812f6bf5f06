package io.anytext2.trainer.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.exporter.ckpt.CheckpointException;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saves and finds training checkpoints in one folder (TRAINING.md §3.9), as safetensors:
 *
 * <ul>
 *   <li>{@link #saveEpoch} at the end of every epoch: {@code epoch=E-step=S.*}, kept when it ranks
 *       among the top k by the monitored metric (default, as the original: top 3 by {@code
 *       global_step}, mode max, i.e. the 3 most recent), and {@code last.*} in every case;
 *   <li>{@link #saveLast} whenever the loop wants a resume point mid-epoch: {@code last.*} only.
 * </ul>
 *
 * <p>Each checkpoint is three files, replaced together by the commit protocol of {@link
 * CheckpointStore}: weights ({@code N.safetensors}), optimizer tensors ({@code N.state.safetensors})
 * and a JSON manifest ({@code N.json}: {@link TrainingState}, metrics, save id). A crash at any
 * moment leaves each checkpoint whole, old or new; opening the folder finishes or discards the
 * interrupted save. An epoch save's {@code last.*} are hard links to its epoch files (copies where
 * links are not supported), so the tensors are read and written once.
 *
 * <p>One manager per folder and process. I/O failures are {@link UncheckedIOException}s; files that
 * do not match their manifest are {@link CheckpointException}s.
 */
public final class CheckpointManager {
  /** The name of the checkpoint every save updates. */
  public static final String LAST = "last";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT_VERSION = 1;

  /** Whether a larger or a smaller monitored value is better. */
  public enum Mode {
    MIN,
    MAX
  }

  /**
   * Which epoch checkpoints to keep: the {@code topK} best by {@code monitor}; -1 keeps all, 0 none
   * (Lightning's {@code save_top_k}). The monitor is a metric passed to {@link #saveEpoch}, or
   * "epoch" or "global_step". NaN ranks worst; ties do not displace a kept checkpoint.
   */
  public record Retention(String monitor, Mode mode, int topK) {
    public Retention {
      if (monitor == null || monitor.isBlank()) {
        throw new IllegalArgumentException("expected a metric name to monitor, found \"" + monitor + "\"");
      }
      Objects.requireNonNull(mode, "mode");
      if (topK < -1) {
        throw new IllegalArgumentException("expected topK >= -1 (-1 keeps all), found " + topK);
      }
    }

    /** The original's ModelCheckpoint: monitor global_step, mode max, save_top_k 3. */
    public static Retention original() {
      return new Retention("global_step", Mode.MAX, 3);
    }
  }

  private final CheckpointStore store;
  private final Retention retention;

  private CheckpointManager(CheckpointStore store, Retention retention) {
    this.store = store;
    this.retention = retention;
  }

  /** {@link #open(Path, Retention)} with {@link Retention#original()}. */
  public static CheckpointManager open(Path dir) {
    return open(dir, Retention.original());
  }

  /** Creates the folder if needed and finishes or discards a save a crash interrupted. */
  public static CheckpointManager open(Path dir, Retention retention) {
    return open(dir, retention, CheckpointStore.Faults.NONE);
  }

  static CheckpointManager open(Path dir, Retention retention, CheckpointStore.Faults faults) {
    CheckpointManager manager = new CheckpointManager(new CheckpointStore(dir, faults), retention);
    manager.recover();
    return manager;
  }

  /** The checkpoint folder. */
  public Path dir() {
    return store.dir();
  }

  /**
   * End-of-epoch save. Writes {@code epoch=E-step=S.*} when it ranks in the top k (then deletes the
   * checkpoint it displaces) and always {@code last.*}.
   *
   * @param metrics values the monitor may name (e.g. "t/loss"); "epoch" and "global_step" are added
   * @return the epoch checkpoint, or empty when it did not rank and only {@code last} was written
   */
  public synchronized Optional<SavedCheckpoint> saveEpoch(TrainingState state, TensorSource weights,
      TensorSource optimizer, Map<String, ? extends Number> metrics) {
    recover();
    Map<String, Double> allMetrics = metrics(state, metrics);
    if (!allMetrics.containsKey(retention.monitor())) {
      throw new IllegalArgumentException("expected the monitored metric \"" + retention.monitor() + "\" among "
          + allMetrics.keySet() + ", found none");
    }
    String saveId = state.globalStep() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    List<SavedCheckpoint> kept = epochCheckpoints();
    double value = allMetrics.get(retention.monitor());
    String name = "epoch=" + state.epoch() + "-step=" + state.globalStep();
    kept.removeIf(c -> c.name().equals(name)); // a re-save of the same epoch and step replaces it
    if (!ranks(value, kept)) {
      commit(LAST, saveId, state, allMetrics, tensorStage(weights, saveId, LAST), tensorStage(optimizer, saveId, LAST));
      return Optional.empty();
    }
    commit(name, saveId, state, allMetrics, tensorStage(weights, saveId, name), tensorStage(optimizer, saveId, name));
    commit(LAST, saveId, state, allMetrics, linkStage(store.weights(name)), linkStage(store.optimizer(name)));
    kept.add(read(name).orElseThrow());
    kept.sort(byMonitor().reversed()); // best first
    if (retention.topK() >= 0) {
      for (SavedCheckpoint worse : kept.subList(Math.min(retention.topK(), kept.size()), kept.size())) {
        delete(worse.name());
      }
    }
    return read(name);
  }

  /** Writes {@code last.*} only (a mid-epoch resume point); epoch checkpoints are untouched. */
  public synchronized SavedCheckpoint saveLast(TrainingState state, TensorSource weights, TensorSource optimizer) {
    recover();
    String saveId = state.globalStep() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    commit(LAST, saveId, state, metrics(state, Map.of()), tensorStage(weights, saveId, LAST),
        tensorStage(optimizer, saveId, LAST));
    return read(LAST).orElseThrow();
  }

  /** The kept epoch checkpoints, oldest (lowest global step) first. */
  public synchronized List<SavedCheckpoint> epochCheckpoints() {
    List<SavedCheckpoint> out = new ArrayList<>();
    try {
      for (String name : store.names()) {
        if (!name.equals(LAST)) {
          read(name).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + dir(), e);
    }
    out.sort(Comparator.comparingLong(SavedCheckpoint::globalStep).thenComparingInt(SavedCheckpoint::epoch));
    return out;
  }

  /** The {@code last} checkpoint, if one was saved. */
  public synchronized Optional<SavedCheckpoint> last() {
    return read(LAST);
  }

  /**
   * Opens the most recent complete save for resuming: {@code last}, or an epoch checkpoint with a
   * higher global step (when a crash came between the epoch file's commit and last's). Empty when the
   * folder holds no checkpoint.
   */
  public synchronized Optional<LoadedCheckpoint> loadLast() {
    recover();
    Optional<SavedCheckpoint> newest = last();
    for (SavedCheckpoint c : epochCheckpoints()) {
      if (newest.isEmpty() || c.globalStep() > newest.get().globalStep()) {
        newest = Optional.of(c);
      }
    }
    return newest.map(this::load);
  }

  /**
   * Opens a checkpoint's tensor files, checking that both were written by the save its manifest
   * describes.
   */
  public LoadedCheckpoint load(SavedCheckpoint checkpoint) {
    String saveId = manifestSaveId(checkpoint.name());
    SafetensorsFile weights = SafetensorsFile.open(checkpoint.weights());
    try {
      SafetensorsFile optimizer = SafetensorsFile.open(checkpoint.optimizer());
      for (SafetensorsFile f : List.of(weights, optimizer)) {
        String found = f.metadata().get(CheckpointStore.SAVE_ID);
        if (!saveId.equals(found)) {
          optimizer.close();
          throw new CheckpointException("checkpoint " + f.file() + " was written by save " + found + ", but "
              + checkpoint.manifest().getFileName() + " describes save " + saveId);
        }
      }
      return new LoadedCheckpoint(checkpoint, weights, optimizer);
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  /**
   * Deletes every epoch checkpoint (and {@code last}) saved after {@code globalStep}: call it when a
   * run resumes from an earlier checkpoint, so that the abandoned later ones neither rank in the top
   * k nor win {@link #loadLast}. Returns the names deleted.
   */
  public synchronized List<String> discardAfter(long globalStep) {
    List<String> deleted = new ArrayList<>();
    List<SavedCheckpoint> all = new ArrayList<>(epochCheckpoints());
    last().ifPresent(all::add);
    for (SavedCheckpoint c : all) {
      if (c.globalStep() > globalStep) {
        delete(c.name());
        deleted.add(c.name());
      }
    }
    return deleted;
  }

  private boolean ranks(double value, List<SavedCheckpoint> kept) {
    if (retention.topK() == 0) {
      return false;
    }
    if (retention.topK() < 0 || kept.size() < retention.topK()) {
      return true;
    }
    SavedCheckpoint worst = kept.stream().min(byMonitor()).orElseThrow();
    double worstValue = score(monitored(worst));
    return retention.mode() == Mode.MAX ? score(value) > worstValue : score(value) < worstValue;
  }

  /** Orders checkpoints from worst to best by the monitored value (NaN worst). */
  private Comparator<SavedCheckpoint> byMonitor() {
    Comparator<SavedCheckpoint> ascending = Comparator.comparingDouble(c -> score(monitored(c)));
    return retention.mode() == Mode.MAX ? ascending : ascending.reversed();
  }

  private double monitored(SavedCheckpoint c) {
    return c.metrics().getOrDefault(retention.monitor(), Double.NaN);
  }

  /** NaN becomes the worst value of the mode, as Lightning does. */
  private double score(double v) {
    if (!Double.isNaN(v)) {
      return v;
    }
    return retention.mode() == Mode.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  private static Map<String, Double> metrics(TrainingState state, Map<String, ? extends Number> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    given.forEach((k, v) -> out.put(k, Objects.requireNonNull(v, "metric " + k).doubleValue()));
    out.put("epoch", (double) state.epoch());
    out.put("global_step", (double) state.globalStep());
    return out;
  }

  private void commit(String name, String saveId, TrainingState state, Map<String, Double> metrics,
      CheckpointStore.FileStage weights, CheckpointStore.FileStage optimizer) {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", "anytext2-trainer-checkpoint");
    manifest.put("format_version", FORMAT_VERSION);
    manifest.put("name", name);
    manifest.put("saved_at", Instant.now().toString());
    manifest.put("weights", store.weights(name).getFileName().toString());
    manifest.put("optimizer", store.optimizer(name).getFileName().toString());
    ObjectNode s = manifest.putObject("state");
    s.put("epoch", state.epoch());
    s.put("global_step", state.globalStep());
    s.put("batch_in_epoch", state.batchInEpoch());
    ObjectNode seeds = s.putObject("rng_seeds");
    state.rngSeeds().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> seeds.put(e.getKey(), e.getValue()));
    s.put("config_hash", state.configHash());
    ObjectNode extra = s.putObject("extra");
    state.extra().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> extra.put(e.getKey(), e.getValue()));
    ObjectNode m = manifest.putObject("metrics");
    metrics.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        m.put(k, v);
      } else {
        m.put(k, v.toString()); // JSON has no NaN/Infinity literals
      }
    });
    try {
      store.commit(name, saveId, manifest, weights, optimizer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint " + name + " in " + dir(), e);
    }
  }

  /** Stage that writes a tensor source as float32 safetensors tagged with the save id. */
  private static CheckpointStore.FileStage tensorStage(TensorSource source, String saveId, String name) {
    return target -> {
      List<TensorInfo> infos = new ArrayList<>();
      source.shapes().forEach((key, shape) -> infos.add(new TensorInfo(key, DType.F32, shape)));
      SafetensorsWriter.write(target, infos, info -> {
        float[] values = source.read(info.key());
        if (values == null || values.length != info.numel()) {
          throw new IllegalArgumentException("tensor " + info.key() + ": expected " + info.numel()
              + " floats for its shape, found " + (values == null ? "null" : values.length));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
      }, Map.of(CheckpointStore.SAVE_ID, saveId, "checkpoint", name));
    };
  }

  /** Stage that makes the target a hard link to (or, where links fail, a copy of) a committed file. */
  private static CheckpointStore.FileStage linkStage(Path committed) {
    return target -> {
      try {
        Files.createLink(target, committed);
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(committed, target);
      }
    };
  }

  private Optional<SavedCheckpoint> read(String name) {
    Optional<JsonNode> manifest;
    try {
      manifest = store.readManifest(name);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + store.manifest(name) + ": " + e.getMessage(), e);
    }
    return manifest.map(node -> parse(name, node));
  }

  private SavedCheckpoint parse(String name, JsonNode node) {
    JsonNode s = node.path("state");
    if (!s.isObject() || !node.path(CheckpointStore.SAVE_ID).isTextual()) {
      throw new CheckpointException("checkpoint manifest " + store.manifest(name)
          + " lacks its state or save_id; it was not written by this trainer");
    }
    Map<String, Long> seeds = new HashMap<>();
    s.path("rng_seeds").fields().forEachRemaining(e -> seeds.put(e.getKey(), e.getValue().asLong()));
    Map<String, String> extra = new HashMap<>();
    s.path("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
    TrainingState state = new TrainingState(s.path("epoch").asInt(), s.path("global_step").asLong(),
        s.path("batch_in_epoch").asLong(), seeds, s.path("config_hash").asText(), extra);
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metrics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      metrics.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.parseDouble(e.getValue().asText()));
    }
    return new SavedCheckpoint(name, dir().resolve(node.path("weights").asText()),
        dir().resolve(node.path("optimizer").asText()), store.manifest(name), state, metrics);
  }

  private String manifestSaveId(String name) {
    try {
      return store.readManifest(name)
          .orElseThrow(() -> new CheckpointException("checkpoint " + name + " in " + dir() + " no longer exists"))
          .path(CheckpointStore.SAVE_ID).asText();
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + store.manifest(name) + ": " + e.getMessage(), e);
    }
  }

  private void delete(String name) {
    try {
      store.delete(name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete checkpoint " + name + " in " + dir(), e);
    }
  }

  private void recover() {
    try {
      store.recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover checkpoints in " + dir(), e);
    }
  }
}
