package io.anytext2.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic files → dataset → processor → loader, end to end. */
class DataPipelineTest {

  @TempDir Path dir;

  private AnyWordDataset synthetic(int count) {
    SyntheticAnyWord gen = new SyntheticAnyWord(
        new SyntheticAnyWord.Options(64, 21, SyntheticAnyWord.Script.parseList("latin,cjk")));
    Path json = gen.write(dir, count, SyntheticAnyWord.Format.PNG, 2).json();
    return AnyWordDataset.load(List.of(AnyWordSource.of(json)));
  }

  private static List<TrainingSample> all(SampleSource source, int threads) {
    List<TrainingSample> out = new ArrayList<>();
    try (BackgroundLoader l = BackgroundLoader.open(source, new BackgroundLoader.Options(3, 77, threads, 2, true), 0, 0, 2)) {
      l.forEachRemaining(b -> out.addAll(b.samples()));
    }
    return out;
  }

  @Test
  void realSamplesAreTheSameForAnyThreadCount() {
    AnyWordDataset ds = synthetic(10);
    SampleProcessor p = new SampleProcessor(SampleConfig.official().withSize(64).withMaskRatio(0.5));
    List<TrainingSample> one = all(p.source(ds), 1);
    List<TrainingSample> two = all(p.source(ds), 2);
    assertEquals(20, one.size());
    for (int i = 0; i < one.size(); i++) {
      TrainingSample a = one.get(i);
      TrainingSample b = two.get(i);
      assertEquals(a.imageCaption(), b.imageCaption());
      assertEquals(a.textCaption(), b.textCaption());
      assertEquals(a.edit(), b.edit());
      assertArrayEquals(a.maskedImage(), b.maskedImage());
      assertArrayEquals(a.fontHint(), b.fontHint());
      for (int j = 0; j < a.lineCount(); j++) {
        assertArrayEquals(a.glyphs().get(j), b.glyphs().get(j));
        assertArrayEquals(a.positions().get(j), b.positions().get(j));
      }
    }
  }

  @Test
  void missingAndCorruptImagesAreSkippedAndCounted() throws IOException {
    AnyWordDataset ds = synthetic(8);
    Files.delete(ds.get(2).imagePath());
    Files.writeString(ds.get(5).imagePath(), "not a png");
    SampleProcessor p = new SampleProcessor(SampleConfig.official().withSize(64));
    List<BackgroundLoader.Batch> batches = new ArrayList<>();
    int failures;
    List<String> messages;
    try (BackgroundLoader l = BackgroundLoader.open(p.source(ds), new BackgroundLoader.Options(4, 1, 2, 1, false), 0, 0, 1)) {
      l.forEachRemaining(batches::add);
      failures = l.failureCount();
      messages = l.failures();
    }
    assertEquals(2, failures);
    assertEquals(List.of(0, 1, 3, 4), batches.get(0).indices());
    assertEquals(List.of(6, 7), batches.get(1).indices());
    assertTrue(messages.get(0).contains("0000002.png") && messages.get(0).contains("found none"), messages.get(0));
    assertTrue(messages.get(1).contains("0000005.png") && messages.get(1).contains("cannot decode"), messages.get(1));
  }
}
