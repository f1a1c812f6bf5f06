package io.anytext2.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoaderTest {

  /** Tiny samples whose caption records the index and the first draw of their random stream. */
  static final class FakeSource implements SampleSource {
    final int n;
    final Set<Integer> failing;
    final long sleepMs;
    final AtomicInteger started = new AtomicInteger();

    FakeSource(int n, Set<Integer> failing, long sleepMs) {
      this.n = n;
      this.failing = failing;
      this.sleepMs = sleepMs;
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public TrainingSample load(int index, Random rng) {
      started.incrementAndGet();
      if (sleepMs > 0) {
        try {
          Thread.sleep(sleepMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
      }
      if (failing.contains(index)) {
        throw new IllegalArgumentException("expected an image file, found none");
      }
      int s = 16;
      return new TrainingSample(s, new float[3 * s * s], new float[3 * s * s], index + ":" + rng.nextLong(), "Text:  * . ",
          List.of(new float[3 * s * s]), List.of(new float[80 * 512]), List.of(new float[s * s]), new float[s * s],
          new float[s * s], List.of(new int[] {500, 500, 500}), List.of("t"), List.of("Latin"), false);
    }

    @Override
    public String describe(int index) {
      return "fake " + index;
    }
  }

  private static BackgroundLoader.Options opts(int batch, int threads) {
    return new BackgroundLoader.Options(batch, 42, threads, 2, true);
  }

  private static List<BackgroundLoader.Batch> drain(BackgroundLoader loader) {
    List<BackgroundLoader.Batch> out = new ArrayList<>();
    try (loader) {
      loader.forEachRemaining(out::add);
    }
    return out;
  }

  private static List<String> captions(List<BackgroundLoader.Batch> batches) {
    List<String> out = new ArrayList<>();
    for (BackgroundLoader.Batch b : batches) {
      out.add(b.epoch() + "@" + b.startPosition() + "-" + b.endPosition());
      b.samples().forEach(s -> out.add(s.imageCaption()));
    }
    return out;
  }

  @Test
  void orderAndAugmentationDoNotDependOnThreads() {
    FakeSource src = new FakeSource(23, Set.of(), 0);
    List<String> one = captions(drain(BackgroundLoader.open(src, opts(4, 1), 0, 0, 3)));
    List<String> three = captions(drain(BackgroundLoader.open(src, opts(4, 3), 0, 0, 3)));
    assertEquals(one, three);
    List<String> otherSeed = captions(drain(BackgroundLoader.open(src, new BackgroundLoader.Options(4, 43, 2, 2, true), 0, 0, 3)));
    assertNotEquals(one, otherSeed);
  }

  @Test
  void everyEpochVisitsEverySampleOnceInItsOwnOrder() {
    FakeSource src = new FakeSource(23, Set.of(), 0);
    List<BackgroundLoader.Batch> batches = drain(BackgroundLoader.open(src, opts(4, 2), 0, 0, 2));
    assertEquals(2 * 6, batches.size(), "23 samples in batches of 4: 5 full + 1 partial per epoch");
    List<List<Integer>> orders = List.of(new ArrayList<>(), new ArrayList<>());
    for (BackgroundLoader.Batch b : batches) {
      assertEquals(b.endPosition() == 23 ? 3 : 4, b.size());
      orders.get(b.epoch()).addAll(b.indices());
    }
    for (List<Integer> order : orders) {
      assertEquals(23, new TreeSet<>(order).size());
    }
    assertNotEquals(orders.get(0), orders.get(1), "shuffled per epoch");
    for (int e = 0; e < 2; e++) {
      int[] expected = BackgroundLoader.epochOrder(42, e, 23, true);
      assertEquals(java.util.Arrays.stream(expected).boxed().toList(), orders.get(e));
    }
    List<BackgroundLoader.Batch> plain = drain(BackgroundLoader.open(src, new BackgroundLoader.Options(5, 1, 2, 2, false), 0, 0, 1));
    assertEquals(List.of(0, 1, 2, 3, 4), plain.get(0).indices());
  }

  @Test
  void resumesFromAnyBatchBoundary() {
    FakeSource src = new FakeSource(17, Set.of(5), 0);
    List<BackgroundLoader.Batch> full = drain(BackgroundLoader.open(src, opts(3, 2), 0, 0, 3));
    List<String> fullCaptions = captions(full);
    for (int k : new int[] {0, 2, 5, 6, 11}) {
      BackgroundLoader.Batch at = full.get(k);
      List<BackgroundLoader.Batch> rest = drain(BackgroundLoader.open(src, opts(3, 2), at.epoch(), at.endPosition(), 3));
      assertEquals(fullCaptions.subList(captions(full.subList(0, k + 1)).size(), fullCaptions.size()), captions(rest),
          "resume after batch " + k);
    }
  }

  @Test
  void failedSamplesAreSkippedCountedAndRefilled() {
    FakeSource src = new FakeSource(12, Set.of(2, 7), 0);
    BackgroundLoader loader = BackgroundLoader.open(src, new BackgroundLoader.Options(4, 9, 2, 2, false), 0, 0, 1);
    List<BackgroundLoader.Batch> batches = new ArrayList<>();
    loader.forEachRemaining(batches::add);
    assertEquals(2, loader.failureCount());
    assertEquals(List.of("fake 2: expected an image file, found none", "fake 7: expected an image file, found none"), loader.failures());
    loader.close();
    assertEquals(List.of(0, 1, 3, 4), batches.get(0).indices());
    assertEquals(0, batches.get(0).startPosition());
    assertEquals(5, batches.get(0).endPosition());
    assertEquals(List.of("fake 2: expected an image file, found none"), batches.get(0).skipped());
    assertEquals(List.of(5, 6, 8, 9), batches.get(1).indices());
    assertEquals(List.of(10, 11), batches.get(2).indices());
    assertEquals(3, batches.size());
  }

  @Test
  void prefetchIsBoundedAndCloseStopsTheThreads() throws InterruptedException {
    FakeSource src = new FakeSource(1000, Set.of(), 2);
    BackgroundLoader loader = BackgroundLoader.open(src, new BackgroundLoader.Options(4, 1, 3, 2, true), 0, 0, 5);
    loader.next();
    Thread.sleep(100);
    assertTrue(src.started.get() <= 4 + 8, "at most 2 batches ahead: started " + src.started.get());
    loader.close();
    assertFalse(loader.hasNext());
    assertThrows(NoSuchElementException.class, loader::next);
    Thread.sleep(50);
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("anytext2-data-") && t.isAlive()),
        "worker threads stopped");
    loader.close(); // idempotent
  }

  @Test
  void rejectsBadArguments() {
    FakeSource src = new FakeSource(5, Set.of(), 0);
    assertThrows(IllegalArgumentException.class, () -> new BackgroundLoader.Options(0, 1, 1, 1, true));
    assertThrows(IllegalArgumentException.class, () -> BackgroundLoader.open(src, opts(2, 1), 0, 6, 1));
    assertThrows(IllegalArgumentException.class, () -> BackgroundLoader.open(new FakeSource(0, Set.of(), 0), opts(2, 1), 0, 0, 1));
    // resuming at the very end of an epoch starts the next one
    List<BackgroundLoader.Batch> b = drain(BackgroundLoader.open(src, opts(2, 1), 0, 5, 2));
    assertEquals(1, b.get(0).epoch());
    assertEquals(0, b.get(0).startPosition());
    assertNotEquals(BackgroundLoader.sampleSeed(1, 0, 1), BackgroundLoader.sampleSeed(1, 1, 0));
  }
}
