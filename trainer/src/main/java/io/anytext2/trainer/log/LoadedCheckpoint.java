package io.anytext2.trainer.log;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.SafetensorsFile;

/**
 * An opened checkpoint for resuming: the training state plus the weight and optimizer tensors,
 * read on demand ({@link Checkpoint#readFloats(String)}, {@link Checkpoint#keys()}). Owns the two
 * memory-mapped files; close it when the tensors have been copied into the model and optimizer.
 */
public final class LoadedCheckpoint implements AutoCloseable {
  private final SavedCheckpoint saved;
  private final SafetensorsFile weights;
  private final SafetensorsFile optimizer;

  LoadedCheckpoint(SavedCheckpoint saved, SafetensorsFile weights, SafetensorsFile optimizer) {
    this.saved = saved;
    this.weights = weights;
    this.optimizer = optimizer;
  }

  /** Which checkpoint this is, with its state and metrics. */
  public SavedCheckpoint saved() {
    return saved;
  }

  /** Shortcut for {@code saved().state()}. */
  public TrainingState state() {
    return saved.state();
  }

  /** The model weights (borrowed: valid until {@link #close()}). */
  public Checkpoint weights() {
    return weights;
  }

  /** The optimizer tensors, e.g. AdamW moments (borrowed: valid until {@link #close()}). */
  public Checkpoint optimizer() {
    return optimizer;
  }

  @Override
  public void close() {
    try {
      weights.close();
    } finally {
      optimizer.close();
    }
  }
}
