package io.anytext2.trainer.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.exporter.ckpt.CheckpointException;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of named checkpoints in one folder, and the commit protocol that replaces a
 * checkpoint's files together: a crash at any point leaves either the old or the new checkpoint,
 * never weights of one save with the optimizer state of another.
 *
 * <p>A commit of checkpoint N with save id X (1) writes {@code N.safetensors.X.pending} and {@code
 * N.state.safetensors.X.pending}, each complete and flushed; (2) atomically writes the journal
 * {@code N.commit.json}: the new manifest plus the list of pending renames. From here on the save
 * is decided. (3) Renames the pending files over {@code N.safetensors} and {@code
 * N.state.safetensors}, then the journal over {@code N.json}. {@link #recover} finishes step 3 for
 * any journal it finds and deletes leftovers of saves that never reached step 2. Every data file
 * carries X in its safetensors metadata, and loading checks it against the manifest.
 */
final class CheckpointStore {
  static final String WEIGHTS = ".safetensors";
  static final String OPTIMIZER = ".state.safetensors";
  static final String MANIFEST = ".json";
  static final String JOURNAL = ".commit.json";
  static final String PENDING = ".pending";
  static final String SAVE_ID = "save_id";

  /** last, or epoch=E-step=S as Lightning names them. */
  private static final String NAME = "(last|epoch=\\d+-step=\\d+)";
  private static final Pattern DATA_FILE = Pattern.compile(NAME + "(\\.state)?\\.safetensors");
  private static final Pattern MANIFEST_FILE = Pattern.compile(NAME + "\\.json");
  private static final Pattern JOURNAL_FILE = Pattern.compile(NAME + "\\.commit\\.json");
  private static final Pattern LEFTOVER = Pattern.compile(
      NAME + "(\\.state)?\\.safetensors\\.[A-Za-z0-9-]+\\.pending|\\." + NAME + "\\..*\\.tmp");

  /** Writes one file of a checkpoint (complete and flushed) at the path given. */
  @FunctionalInterface
  interface FileStage {
    void write(Path target) throws IOException;
  }

  /** Test hook: called at named points of a commit; throwing there simulates a crash. */
  @FunctionalInterface
  interface Faults {
    Faults NONE = point -> {};

    void at(String point);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Faults faults;

  CheckpointStore(Path dir, Faults faults) {
    this.dir = dir;
    this.faults = faults;
  }

  Path dir() {
    return dir;
  }

  Path weights(String name) {
    return dir.resolve(name + WEIGHTS);
  }

  Path optimizer(String name) {
    return dir.resolve(name + OPTIMIZER);
  }

  Path manifest(String name) {
    return dir.resolve(name + MANIFEST);
  }

  /** Replaces checkpoint {@code name} by the files the stages write and {@code manifest}. */
  void commit(String name, String saveId, ObjectNode manifest, FileStage weightsStage, FileStage optimizerStage)
      throws IOException {
    Path weights = weights(name);
    Path optimizer = optimizer(name);
    Path pendingWeights = dir.resolve(weights.getFileName() + "." + saveId + PENDING);
    Path pendingOptimizer = dir.resolve(optimizer.getFileName() + "." + saveId + PENDING);
    boolean decided = false;
    try {
      weightsStage.write(pendingWeights);
      optimizerStage.write(pendingOptimizer);
      faults.at("staged");
      ObjectNode journal = manifest.deepCopy();
      journal.put(SAVE_ID, saveId);
      ObjectNode pending = journal.putObject("pending");
      pending.put(pendingWeights.getFileName().toString(), weights.getFileName().toString());
      pending.put(pendingOptimizer.getFileName().toString(), optimizer.getFileName().toString());
      AtomicFiles.write(dir.resolve(name + JOURNAL), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(journal));
      decided = true;
      faults.at("journaled");
      finish(name, journal);
    } finally {
      if (!decided) {
        Files.deleteIfExists(pendingWeights);
        Files.deleteIfExists(pendingOptimizer);
      }
    }
  }

  /** Moves the pending files of a decided save into place, then its journal over the manifest. */
  private void finish(String name, JsonNode journal) throws IOException {
    String saveId = journal.path(SAVE_ID).asText();
    for (Iterator<Map.Entry<String, JsonNode>> it = journal.path("pending").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> rename = it.next();
      Path pending = dir.resolve(rename.getKey());
      Path target = dir.resolve(rename.getValue().asText());
      if (Files.exists(pending)) {
        AtomicFiles.move(pending, target);
        faults.at("moved " + target.getFileName());
      } else if (!saveId.equals(saveIdOf(target))) {
        throw new CheckpointException("checkpoint " + name + " in " + dir + ": journal of save " + saveId
            + " lists " + pending.getFileName() + ", which is gone, and " + target.getFileName()
            + " is from save " + saveIdOf(target) + "; remove " + name + JOURNAL + " to keep the previous save");
      }
    }
    syncDirectory();
    AtomicFiles.move(dir.resolve(name + JOURNAL), manifest(name));
    syncDirectory();
  }

  /**
   * Finishes decided saves (journals) and deletes what undecided or half-deleted saves left:
   * pending and temporary files, and data files of our names that no manifest owns.
   */
  void recover() throws IOException {
    Files.createDirectories(dir);
    for (String file : list()) {
      Matcher m = JOURNAL_FILE.matcher(file);
      if (m.matches()) {
        finish(m.group(1), JSON.readTree(dir.resolve(file).toFile()));
      }
    }
    for (String file : list()) {
      Matcher data = DATA_FILE.matcher(file);
      boolean orphan = data.matches() && !Files.exists(manifest(data.group(1)));
      if (orphan || LEFTOVER.matcher(file).matches()) {
        Files.deleteIfExists(dir.resolve(file));
      }
    }
  }

  /** Names of the committed checkpoints (those with a manifest), sorted. */
  List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    for (String file : list()) {
      Matcher m = MANIFEST_FILE.matcher(file);
      if (m.matches()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The manifest of a committed checkpoint. */
  Optional<JsonNode> readManifest(String name) throws IOException {
    try {
      return Optional.of(JSON.readTree(manifest(name).toFile()));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Deletes a checkpoint: its manifest first, so a crash midway leaves only orphans for {@link #recover}. */
  void delete(String name) throws IOException {
    Files.deleteIfExists(manifest(name));
    syncDirectory();
    Files.deleteIfExists(weights(name));
    Files.deleteIfExists(optimizer(name));
  }

  /** The save id a data file was written with (its safetensors metadata). */
  static String saveIdOf(Path file) {
    if (!Files.exists(file)) {
      return "(missing)";
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      return f.metadata().getOrDefault(SAVE_ID, "(none)");
    }
  }

  private List<String> list() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()));
    }
  }

  /** Makes renames durable where the platform allows syncing a directory (Linux does). */
  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here (e.g. Windows): renames are still atomic, only their durability is weaker
    }
  }
}
