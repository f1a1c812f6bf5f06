package io.anytext2.trainer.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches of training samples, produced ahead of time by a small thread pool (the DataLoader of
 * TRAINING.md §3.7: shuffle every epoch, last partial batch kept).
 *
 * <p>Deterministic: epoch e visits the samples in {@link #epochOrder}(seed, e), and the sample at
 * dataset index i in epoch e draws all its randomness from {@code new Random(sampleSeed(seed, e,
 * i))}, whatever the thread count or timing. Batches never span two epochs. A sample that fails
 * (unreadable image, …) is skipped, logged and counted, and the batch is filled from the following
 * positions; {@link Batch#endPosition()} says where to resume.
 *
 * <p>At most {@code prefetchBatches × batchSize} samples are loaded or waiting at any time. {@link
 * #close()} cancels the pending work and stops the threads.
 */
public final class BackgroundLoader implements Iterator<BackgroundLoader.Batch>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoader.class);
  private static final int MAX_STORED_FAILURES = 100;
  private static final int MAX_LOGGED_FAILURES = 10;
  private static final long ORDER_SALT = 0x5DEECE66DL;
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * @param batchSize samples per batch (the last batch of an epoch may be smaller)
   * @param seed run seed: fixes every epoch's order and every sample's augmentation
   * @param threads worker threads
   * @param prefetchBatches batches loaded ahead (bounds memory)
   * @param shuffle visit samples in a per-epoch random order (else in dataset order)
   */
  public record Options(int batchSize, long seed, int threads, int prefetchBatches, boolean shuffle) {
    public Options {
      if (batchSize < 1) {
        throw new IllegalArgumentException("expected a batch size >= 1, found " + batchSize);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("expected at least 1 loader thread, found " + threads);
      }
      if (prefetchBatches < 1) {
        throw new IllegalArgumentException("expected prefetchBatches >= 1, found " + prefetchBatches);
      }
    }
  }

  /**
   * One batch.
   *
   * @param epoch the epoch it belongs to
   * @param startPosition position in the epoch's order of its first considered sample
   * @param endPosition position after its last considered sample: resume from (epoch, endPosition)
   *     (equal to the dataset size at the end of an epoch)
   * @param indices dataset index of each sample
   * @param skipped messages of the samples that failed inside [startPosition, endPosition)
   */
  public record Batch(
      int epoch, int startPosition, int endPosition, List<TrainingSample> samples, List<Integer> indices,
      List<String> skipped) {
    public Batch {
      samples = List.copyOf(samples);
      indices = List.copyOf(indices);
      skipped = List.copyOf(skipped);
    }

    public int size() {
      return samples.size();
    }
  }

  private record Pending(int epoch, int position, int index, Future<TrainingSample> result) {}

  private final SampleSource source;
  private final Options options;
  private final int endEpoch;
  private final int capacity;
  private final ExecutorService pool;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private final List<String> failures = new ArrayList<>();
  private int failureCount;
  private int submitEpoch;
  private int submitPosition;
  private int[] submitOrder;
  private Batch lookahead;
  private boolean closed;

  private BackgroundLoader(SampleSource source, Options options, int startEpoch, int startPosition, int endEpoch) {
    int n = source.size();
    if (n == 0) {
      throw new IllegalArgumentException("expected a non-empty dataset, found 0 samples");
    }
    if (startEpoch < 0 || startEpoch > endEpoch) {
      throw new IllegalArgumentException("expected 0 <= startEpoch <= endEpoch, found " + startEpoch + ", " + endEpoch);
    }
    if (startPosition < 0 || startPosition > n) {
      throw new IllegalArgumentException("expected a start position in [0, " + n + "], found " + startPosition);
    }
    this.source = source;
    this.options = options;
    this.endEpoch = endEpoch;
    this.capacity = Math.max(options.threads(), options.prefetchBatches() * options.batchSize());
    int id = POOLS.incrementAndGet();
    AtomicInteger threadNo = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "anytext2-data-" + id + "-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(options.threads(), factory);
    this.submitEpoch = startEpoch;
    this.submitPosition = startPosition;
    if (startPosition == n) {
      this.submitEpoch++;
      this.submitPosition = 0;
    }
    this.submitOrder = epochOrder(options.seed(), submitEpoch, n, options.shuffle());
  }

  /**
   * Batches of epochs {@code startEpoch .. endEpoch-1}, beginning at position {@code startPosition}
   * of the first (0 for a fresh run; a {@link Batch#endPosition()} to resume).
   */
  public static BackgroundLoader open(SampleSource source, Options options, int startEpoch, int startPosition, int endEpoch) {
    return new BackgroundLoader(source, options, startEpoch, startPosition, endEpoch);
  }

  /** The seed of the sample at dataset index {@code index} in epoch {@code epoch}. */
  public static long sampleSeed(long seed, int epoch, long index) {
    return Seeds.derive(seed, epoch, index);
  }

  /** The visiting order of an epoch: a seeded Fisher-Yates permutation (identity unless shuffle). */
  public static int[] epochOrder(long seed, int epoch, int n, boolean shuffle) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Random rng = new Random(Seeds.derive(seed ^ ORDER_SALT, epoch, 0));
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Samples skipped so far because they failed. */
  public int failureCount() {
    return failureCount;
  }

  /** The first 100 failure messages. */
  public List<String> failures() {
    return Collections.unmodifiableList(failures);
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (lookahead == null) {
      lookahead = assemble();
    }
    return lookahead != null;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException(closed ? "the loader is closed" : "no batches left");
    }
    Batch b = lookahead;
    lookahead = null;
    return b;
  }

  private Batch assemble() {
    while (true) {
      topUp();
      if (inFlight.isEmpty()) {
        return null;
      }
      int epoch = inFlight.peek().epoch();
      int start = inFlight.peek().position();
      int end = start;
      List<TrainingSample> samples = new ArrayList<>();
      List<Integer> indices = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      while (samples.size() < options.batchSize() && !inFlight.isEmpty() && inFlight.peek().epoch() == epoch) {
        Pending p = inFlight.poll();
        end = p.position() + 1;
        try {
          samples.add(await(p));
          indices.add(p.index());
        } catch (RuntimeException e) {
          String msg = source.describe(p.index()) + ": " + e.getMessage();
          skipped.add(msg);
          recordFailure(msg);
        }
        topUp();
      }
      if (!samples.isEmpty()) {
        return new Batch(epoch, start, end, samples, indices, skipped);
      }
    }
  }

  private TrainingSample await(Pending p) {
    try {
      return p.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a sample", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error err) {
        throw err;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (CancellationException e) {
      throw new IllegalStateException("the loader is closed", e);
    }
  }

  private void recordFailure(String msg) {
    failureCount++;
    if (failures.size() < MAX_STORED_FAILURES) {
      failures.add(msg);
    }
    if (failureCount <= MAX_LOGGED_FAILURES) {
      LOG.warn("skipping sample: {}", msg);
    }
  }

  private void topUp() {
    int n = source.size();
    while (inFlight.size() < capacity && submitEpoch < endEpoch) {
      int epoch = submitEpoch;
      int index = submitOrder[submitPosition];
      long seed = sampleSeed(options.seed(), epoch, index);
      Future<TrainingSample> f = pool.submit(() -> source.load(index, new Random(seed)));
      inFlight.add(new Pending(epoch, submitPosition, index, f));
      if (++submitPosition == n) {
        submitEpoch++;
        submitPosition = 0;
        if (submitEpoch < endEpoch) {
          submitOrder = epochOrder(options.seed(), submitEpoch, n, options.shuffle());
        }
      }
    }
  }

  /** Cancels pending samples and stops the worker threads (waits up to 10 s for running ones). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lookahead = null;
    for (Pending p : inFlight) {
      p.result().cancel(true);
    }
    inFlight.clear();
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("data loader threads still running 10 s after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
