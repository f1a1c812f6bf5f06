package io.anytext2.trainer.log;

import java.nio.file.Path;
import java.util.Map;

/**
 * One complete checkpoint on disk: {@code <name>.safetensors} (weights), {@code
 * <name>.state.safetensors} (optimizer tensors) and {@code <name>.json} (this record's data, the
 * training state and the metrics it was saved with).
 *
 * @param name "last" or "epoch=E-step=S"
 * @param state where the run stood
 * @param metrics the metrics passed at save time, plus "epoch" and "global_step"
 */
public record SavedCheckpoint(String name, Path weights, Path optimizer, Path manifest, TrainingState state,
    Map<String, Double> metrics) {

  public SavedCheckpoint {
    metrics = Map.copyOf(metrics);
  }

  /** The epoch of the state. */
  public int epoch() {
    return state.epoch();
  }

  /** The global step of the state. */
  public long globalStep() {
    return state.globalStep();
  }
}
