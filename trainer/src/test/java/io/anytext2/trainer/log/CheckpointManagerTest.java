package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.CheckpointException;
import io.anytext2.trainer.log.CheckpointManager.Mode;
import io.anytext2.trainer.log.CheckpointManager.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {
  @TempDir Path dir;

  /** A simulated crash: thrown by the fault hook, caught by the test. */
  private static final class Crash extends RuntimeException {
    Crash(String point) {
      super("simulated crash at " + point);
    }
  }

  /** Weights whose values encode the step, so a mix of two saves is visible. */
  private static TensorSource weights(long step) {
    Map<String, float[]> values = new LinkedHashMap<>();
    values.put("model.diffusion_model.input_blocks.0.0.weight", new float[] {step, step + 0.5f, -step, 1e-7f, 3, 4});
    values.put("scale", new float[] {step * 2f});
    return TensorSource.of(values, Map.of("model.diffusion_model.input_blocks.0.0.weight", new long[] {2, 3},
        "scale", new long[] {}));
  }

  private static TensorSource moments(long step) {
    return TensorSource.of(Map.of("exp_avg.scale", new float[] {step / 10f}, "exp_avg_sq.scale", new float[] {step / 100f}),
        Map.of("exp_avg.scale", new long[] {1}, "exp_avg_sq.scale", new long[] {1}));
  }

  private static TrainingState state(int epoch, long step) {
    return new TrainingState(epoch, step, 0, Map.of("data", 42L, "noise", -7L), TrainingState.sha256("cfg"),
        Map.of("note", "epoch " + epoch));
  }

  private static void assertStep(LoadedCheckpoint loaded, long step) {
    assertEquals(step, loaded.state().globalStep());
    assertEquals(step, (long) loaded.weights().readFloats("model.diffusion_model.input_blocks.0.0.weight")[0]);
    assertEquals(step * 2f, loaded.weights().readFloats("scale")[0]);
    assertEquals(step / 10f, loaded.optimizer().readFloats("exp_avg.scale")[0]);
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void roundTripKeepsTensorsShapesAndState() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    TrainingState state = new TrainingState(2, 300, 17, Map.of("data", 42L), "abc", Map.of("lr", "2e-5"));
    Optional<SavedCheckpoint> saved = manager.saveEpoch(state, weights(300), moments(300), Map.of("t/loss", 0.125));
    assertEquals("epoch=2-step=300", saved.orElseThrow().name());
    assertEquals(0.125, saved.get().metrics().get("t/loss"));
    assertEquals(300.0, saved.get().metrics().get("global_step"));
    try (LoadedCheckpoint loaded = CheckpointManager.open(dir).loadLast().orElseThrow()) {
      assertEquals(state, loaded.state());
      assertEquals("last", loaded.saved().name());
      assertArrayEquals(new long[] {2, 3}, loaded.weights().info("model.diffusion_model.input_blocks.0.0.weight").shape());
      assertArrayEquals(new long[] {}, loaded.weights().info("scale").shape());
      assertArrayEquals(new float[] {300, 300.5f, -300, 1e-7f, 3, 4},
          loaded.weights().readFloats("model.diffusion_model.input_blocks.0.0.weight"));
      assertEquals(List.of("model.diffusion_model.input_blocks.0.0.weight", "scale"), loaded.weights().keys());
      assertEquals(30f, loaded.optimizer().readFloats("exp_avg.scale")[0]);
    }
    assertEquals(List.of("epoch=2-step=300.json", "epoch=2-step=300.safetensors", "epoch=2-step=300.state.safetensors",
        "last.json", "last.safetensors", "last.state.safetensors"), files());
    assertTrue(Files.isSameFile(dir.resolve("last.safetensors"), dir.resolve("epoch=2-step=300.safetensors"))
        || Files.mismatch(dir.resolve("last.safetensors"), dir.resolve("epoch=2-step=300.safetensors")) == -1);
  }

  @Test
  void defaultRetentionKeepsTheThreeMostRecentEpochs() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    for (int epoch = 0; epoch < 5; epoch++) {
      long step = 100L * (epoch + 1);
      assertTrue(manager.saveEpoch(state(epoch, step), weights(step), moments(step), Map.of()).isPresent());
    }
    assertEquals(List.of("epoch=2-step=300", "epoch=3-step=400", "epoch=4-step=500"),
        manager.epochCheckpoints().stream().map(SavedCheckpoint::name).toList());
    assertEquals(500, manager.last().orElseThrow().globalStep());
    assertEquals(12, files().size(), "4 checkpoints x 3 files, nothing else: " + files());
    try (LoadedCheckpoint oldest = manager.load(manager.epochCheckpoints().get(0))) {
      assertStep(oldest, 300);
      assertEquals("epoch 2", oldest.state().extra().get("note"));
    }
  }

  @Test
  void minModeKeepsTheBestValuesAndSkipsWorseOnes() {
    CheckpointManager manager = CheckpointManager.open(dir, new Retention("t/loss", Mode.MIN, 2));
    double[] losses = {0.5, 0.3, 0.4, 0.6, 0.4};
    boolean[] kept = new boolean[losses.length];
    for (int e = 0; e < losses.length; e++) {
      kept[e] = manager.saveEpoch(state(e, e + 1), weights(e + 1), moments(e + 1), Map.of("t/loss", losses[e])).isPresent();
    }
    // 0.5 kept, 0.3 kept, 0.4 displaces 0.5, 0.6 does not rank, 0.4 ties the worst kept: no change
    assertArrayEquals(new boolean[] {true, true, true, false, false}, kept);
    assertEquals(List.of("epoch=1-step=2", "epoch=2-step=3"),
        manager.epochCheckpoints().stream().map(SavedCheckpoint::name).toList());
    assertEquals(5, manager.last().orElseThrow().globalStep(), "last is written by every save");
  }

  @Test
  void nanRanksWorstAndTopKMinusOneKeepsAllZeroKeepsNone() {
    CheckpointManager max = CheckpointManager.open(dir.resolve("max"), new Retention("score", Mode.MAX, 1));
    max.saveEpoch(state(0, 1), weights(1), moments(1), Map.of("score", Double.NaN));
    assertTrue(max.saveEpoch(state(1, 2), weights(2), moments(2), Map.of("score", -1e30)).isPresent());
    assertFalse(max.saveEpoch(state(2, 3), weights(3), moments(3), Map.of("score", Double.NaN)).isPresent());
    assertEquals(List.of("epoch=1-step=2"), max.epochCheckpoints().stream().map(SavedCheckpoint::name).toList());

    CheckpointManager all = CheckpointManager.open(dir.resolve("all"), new Retention("global_step", Mode.MAX, -1));
    CheckpointManager none = CheckpointManager.open(dir.resolve("none"), new Retention("global_step", Mode.MAX, 0));
    for (int e = 0; e < 4; e++) {
      all.saveEpoch(state(e, e + 1), weights(e + 1), moments(e + 1), Map.of());
      none.saveEpoch(state(e, e + 1), weights(e + 1), moments(e + 1), Map.of());
    }
    assertEquals(4, all.epochCheckpoints().size());
    assertEquals(0, none.epochCheckpoints().size());
    assertEquals(4, none.last().orElseThrow().globalStep());
  }

  @Test
  void aFailureWhileWritingLeavesThePreviousSaveIntact() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveLast(state(0, 10), weights(10), moments(10));
    TensorSource failing = new TensorSource() {
      @Override
      public Map<String, long[]> shapes() {
        return moments(20).shapes();
      }

      @Override
      public float[] read(String key) {
        throw new IllegalStateException("device lost while copying " + key);
      }
    };
    assertThrows(IllegalStateException.class, () -> manager.saveLast(state(0, 20), weights(20), failing));
    assertThrows(IllegalStateException.class,
        () -> manager.saveEpoch(state(0, 20), weights(20), failing, Map.of()));
    assertEquals(List.of("last.json", "last.safetensors", "last.state.safetensors"), files());
    try (LoadedCheckpoint loaded = manager.loadLast().orElseThrow()) {
      assertStep(loaded, 10);
    }
  }

  @Test
  void aWrongTensorLengthIsRejectedBeforeAnythingIsReplaced() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveLast(state(0, 10), weights(10), moments(10));
    TensorSource bad = TensorSource.of(Map.of("w", new float[5]), Map.of("w", new long[] {2, 3}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> manager.saveLast(state(0, 20), bad, moments(20)));
    assertTrue(e.getMessage().contains("tensor w: expected 6 floats"), e.getMessage());
    try (LoadedCheckpoint loaded = manager.loadLast().orElseThrow()) {
      assertStep(loaded, 10);
    }
  }

  @Test
  void aCrashBeforeTheJournalKeepsTheOldSaveAndLeavesNoDebris() throws Exception {
    CheckpointManager.open(dir).saveLast(state(0, 10), weights(10), moments(10));
    CheckpointManager crashing = CheckpointManager.open(dir, Retention.original(), point -> {
      if (point.equals("staged")) {
        throw new Crash(point);
      }
    });
    assertThrows(Crash.class, () -> crashing.saveLast(state(0, 20), weights(20), moments(20)));
    // what a killed process would leave: pending files and a temporary file, no journal
    Files.writeString(dir.resolve("last.safetensors.20-abc.pending"), "partial");
    Files.writeString(dir.resolve(".last.state.safetensors.20-abc.pending.123.tmp"), "partial");
    Files.writeString(dir.resolve("notes.txt"), "not ours");
    try (LoadedCheckpoint loaded = CheckpointManager.open(dir).loadLast().orElseThrow()) {
      assertStep(loaded, 10);
    }
    assertEquals(List.of("last.json", "last.safetensors", "last.state.safetensors", "notes.txt"), files());
  }

  @Test
  void aCrashAfterTheJournalIsRolledForwardAtTheNextOpen() throws Exception {
    for (String point : List.of("journaled", "moved last.safetensors", "moved last.state.safetensors")) {
      Path d = dir.resolve(point.replace(' ', '_'));
      CheckpointManager.open(d).saveLast(state(0, 10), weights(10), moments(10));
      CheckpointManager crashing = CheckpointManager.open(d, Retention.original(), p -> {
        if (p.equals(point)) {
          throw new Crash(p);
        }
      });
      assertThrows(Crash.class, () -> crashing.saveLast(state(0, 20), weights(20), moments(20)));
      assertTrue(Files.exists(d.resolve("last.commit.json")), point);
      try (LoadedCheckpoint loaded = CheckpointManager.open(d).loadLast().orElseThrow()) {
        assertStep(loaded, 20);
      }
      assertFalse(Files.exists(d.resolve("last.commit.json")), point);
    }
  }

  @Test
  void aCrashBetweenTheEpochCommitAndLastsResumesFromTheNewerEpochFile() throws Exception {
    CheckpointManager.open(dir).saveEpoch(state(0, 10), weights(10), moments(10), Map.of());
    AtomicInteger staged = new AtomicInteger();
    CheckpointManager crashing = CheckpointManager.open(dir, Retention.original(), p -> {
      if (p.equals("staged") && staged.incrementAndGet() == 2) { // the second commit of the save: last
        throw new Crash(p);
      }
    });
    assertThrows(Crash.class, () -> crashing.saveEpoch(state(1, 20), weights(20), moments(20), Map.of()));
    CheckpointManager reopened = CheckpointManager.open(dir);
    assertEquals(10, reopened.last().orElseThrow().globalStep());
    try (LoadedCheckpoint loaded = reopened.loadLast().orElseThrow()) {
      assertEquals("epoch=1-step=20", loaded.saved().name());
      assertStep(loaded, 20);
    }
  }

  @Test
  void filesFromDifferentSavesAreDetected() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveLast(state(0, 10), weights(10), moments(10));
    Path old = dir.resolve("old.bin");
    Files.copy(dir.resolve("last.state.safetensors"), old);
    manager.saveLast(state(0, 20), weights(20), moments(20));
    Files.copy(old, dir.resolve("last.state.safetensors"), StandardCopyOption.REPLACE_EXISTING);
    CheckpointException e = assertThrows(CheckpointException.class, manager::loadLast);
    assertTrue(e.getMessage().contains("was written by save 10-"), e.getMessage());
  }

  @Test
  void orphanedEpochFilesAreRemovedAndUnrelatedFilesKept() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveEpoch(state(0, 10), weights(10), moments(10), Map.of());
    Files.delete(dir.resolve("epoch=0-step=10.json")); // a crash in the middle of a retention delete
    Files.writeString(dir.resolve("epoch=0-step=10.txt"), "not ours");
    CheckpointManager.open(dir);
    assertEquals(List.of("epoch=0-step=10.txt", "last.json", "last.safetensors", "last.state.safetensors"), files());
  }

  @Test
  void saveLastMidEpochAndDiscardAfterForAResumeFromAnEarlierCheckpoint() throws Exception {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveEpoch(state(0, 100), weights(100), moments(100), Map.of());
    manager.saveEpoch(state(1, 200), weights(200), moments(200), Map.of());
    TrainingState mid = new TrainingState(2, 250, 33, Map.of(), "h", Map.of());
    manager.saveLast(mid, weights(250), moments(250));
    try (LoadedCheckpoint loaded = manager.loadLast().orElseThrow()) {
      assertEquals(mid, loaded.state());
      assertStep(loaded, 250);
    }
    assertEquals(2, manager.epochCheckpoints().size());
    assertEquals(List.of("epoch=1-step=200", "last"), manager.discardAfter(100));
    assertEquals(List.of("epoch=0-step=100"), manager.epochCheckpoints().stream().map(SavedCheckpoint::name).toList());
    try (LoadedCheckpoint loaded = manager.loadLast().orElseThrow()) {
      assertStep(loaded, 100);
    }
  }

  @Test
  void emptyFolderMissingMonitorAndBadRetention() {
    CheckpointManager manager = CheckpointManager.open(dir, new Retention("val/loss", Mode.MIN, 3));
    assertTrue(manager.loadLast().isEmpty());
    assertTrue(manager.last().isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> manager.saveEpoch(state(0, 1), weights(1), moments(1), Map.of("t/loss", 1)));
    assertTrue(e.getMessage().contains("val/loss"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Retention("x", Mode.MAX, -2));
    assertThrows(IllegalArgumentException.class, () -> new Retention(" ", Mode.MAX, 1));
    assertThrows(IllegalArgumentException.class, () -> TensorSource.of(Map.of("a", new float[1]), Map.of()));
  }

  @Test
  void anEmptyOptimizerStateIsFine() {
    CheckpointManager manager = CheckpointManager.open(dir);
    manager.saveLast(TrainingState.of(0, 0), weights(0), TensorSource.empty());
    try (LoadedCheckpoint loaded = manager.loadLast().orElseThrow()) {
      assertTrue(loaded.optimizer().keys().isEmpty());
      assertEquals(0, loaded.state().globalStep());
    }
  }
}
