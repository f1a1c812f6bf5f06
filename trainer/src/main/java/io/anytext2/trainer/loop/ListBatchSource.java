package io.anytext2.trainer.loop;

import io.anytext2.trainer.data.TrainingSample;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A {@link BatchSource} over samples already in memory, visited in a seeded per-epoch shuffle
 * (Fisher–Yates from (seed, epoch)); the last batch of an epoch may be smaller.
 */
public final class ListBatchSource implements BatchSource {
  private final List<TrainingSample> samples;
  private final long seed;

  public ListBatchSource(List<TrainingSample> samples, long seed) {
    if (samples.isEmpty()) throw new IllegalArgumentException("expected at least one training sample, found none");
    this.samples = List.copyOf(samples);
    this.seed = seed;
  }

  @Override
  public int size() {
    return samples.size();
  }

  static int[] order(long seed, int epoch, int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) o[i] = i;
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
    return o;
  }

  @Override
  public Stream open(int batchSize, int startEpoch, int startPosition, int endEpoch) {
    return new Stream() {
      int epoch = startEpoch;
      int position = startPosition;

      private void roll() {
        if (position >= samples.size()) {
          epoch++;
          position = 0;
        }
      }

      @Override
      public boolean hasNext() {
        roll();
        return epoch < endEpoch;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("no more batches");
        int[] o = order(seed, epoch, samples.size());
        List<TrainingSample> out = new ArrayList<>();
        int end = Math.min(samples.size(), position + batchSize);
        for (int p = position; p < end; p++) out.add(samples.get(o[p]));
        Batch b = new Batch(epoch, end, out, List.of());
        position = end;
        return b;
      }

      @Override
      public void close() {}
    };
  }
}
