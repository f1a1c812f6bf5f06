package io.anytext2.trainer.data;

import java.util.Random;

/**
 * Indexed, randomly augmented training samples: what {@link BackgroundLoader} iterates. {@link
 * #load} must be safe to call from several threads at once and must depend only on the index and
 * the random stream it is given (that is what makes runs reproducible).
 */
public interface SampleSource {

  int size();

  /**
   * The sample at {@code index}, every random choice drawn from {@code rng}.
   *
   * @throws RuntimeException when this one sample cannot be produced (unreadable image, …); the
   *     loader skips and counts it
   */
  TrainingSample load(int index, Random rng);

  /** Where sample {@code index} comes from, for error messages. */
  default String describe(int index) {
    return "sample " + index;
  }
}
