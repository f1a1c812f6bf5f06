package io.anytext2.trainer.loop;

import io.anytext2.trainer.data.TrainingSample;
import java.util.Iterator;
import java.util.List;

/**
 * Where the loop's micro-batches come from: the samples of each epoch in a seeded order, batches
 * never spanning two epochs, resumable at a position inside an epoch. A source must give the same
 * batches for the same (seed, epoch, position), whatever happened before — that is what lets a
 * resumed run continue exactly.
 */
public interface BatchSource {

  /** One micro-batch; resume after it from (epoch, endPosition). {@code skipped}: samples that failed to load. */
  record Batch(int epoch, int endPosition, List<TrainingSample> samples, List<String> skipped) {}

  /** Open batches, to close when done (stops background work). */
  interface Stream extends Iterator<Batch>, AutoCloseable {
    @Override
    void close();
  }

  /** Samples per epoch (before failures). */
  int size();

  /** Batches of epochs {@code startEpoch .. endEpoch − 1}, from position {@code startPosition} of the first. */
  Stream open(int batchSize, int startEpoch, int startPosition, int endEpoch);
}
