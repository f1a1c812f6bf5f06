package io.anytext2.trainer.loop;

import io.anytext2.trainer.data.AnyWordDataset;
import io.anytext2.trainer.data.AnyWordSource;
import io.anytext2.trainer.data.BackgroundLoader;
import io.anytext2.trainer.data.SampleConfig;
import io.anytext2.trainer.data.SampleProcessor;
import io.anytext2.trainer.data.SampleSource;
import io.anytext2.trainer.data.SyntheticAnyWord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training data of a config: AnyWord-3M annotation files ({@code --data} or {@code data.json}),
 * else {@code data.synthetic} synthetic images written once into the run folder; processed per
 * sample as T3DataSet does (TRAINING.md §2, the data package) and loaded in the background.
 */
public final class DataSetup {
  private static final Logger LOG = LoggerFactory.getLogger(DataSetup.class);

  private DataSetup() {}

  /**
   * @param dataOverride a folder of annotation JSON files (every *.json, sorted), or one file; null
   *     to use the config
   */
  public static BatchSource fromConfig(TrainingConfig cfg, Path dataOverride, Path runDir) {
    TrainingConfig.Data d = cfg.data();
    List<AnyWordSource> sources = new ArrayList<>();
    if (dataOverride != null) {
      for (Path p : jsonFiles(dataOverride)) sources.add(new AnyWordSource(p, d.percent()));
    } else if (!d.json().isEmpty()) {
      for (Path p : d.json()) sources.add(new AnyWordSource(p, d.percent()));
    } else {
      sources.add(AnyWordSource.of(synthetic(cfg, runDir.resolve("synthetic"))));
    }
    AnyWordDataset dataset = AnyWordDataset.load(sources);
    if (dataset.malformedCount() > 0) LOG.warn("{} malformed annotation entries skipped", dataset.malformedCount());
    SampleConfig sc = SampleConfig.official().withSize(d.size()).withMaskRatio(d.maskRatio()).withFontHintProb(d.fontHintProb())
        .withColorProb(d.colorProb()).withCaptionDropout(d.captionDropout());
    return loader(new SampleProcessor(sc).source(dataset), cfg.train().seed(), d.workers(), d.prefetch());
  }

  /** A {@link BatchSource} over any sample source, loaded by {@link BackgroundLoader} (seeded shuffle per epoch). */
  public static BatchSource loader(SampleSource source, long seed, int workers, int prefetch) {
    return new BatchSource() {
      @Override
      public int size() {
        return source.size();
      }

      @Override
      public Stream open(int batchSize, int startEpoch, int startPosition, int endEpoch) {
        BackgroundLoader l = BackgroundLoader.open(source, new BackgroundLoader.Options(batchSize, seed, workers, prefetch, true),
            startEpoch, startPosition, endEpoch);
        return new Stream() {
          @Override
          public boolean hasNext() {
            return l.hasNext();
          }

          @Override
          public Batch next() {
            BackgroundLoader.Batch b = l.next();
            return new Batch(b.epoch(), b.endPosition(), b.samples(), b.skipped());
          }

          @Override
          public void close() {
            l.close();
          }
        };
      }
    };
  }

  /** Writes the synthetic set once (reused when the run folder already has it, e.g. on resume). */
  static Path synthetic(TrainingConfig cfg, Path dir) {
    Path json = dir.resolve(SyntheticAnyWord.JSON_NAME);
    if (Files.isRegularFile(json)) return json;
    TrainingConfig.Data d = cfg.data();
    SyntheticAnyWord gen = new SyntheticAnyWord(new SyntheticAnyWord.Options(d.size(), cfg.train().seed(),
        SyntheticAnyWord.Script.parseList(d.syntheticScripts())));
    SyntheticAnyWord.Summary s = gen.write(dir, d.synthetic(), SyntheticAnyWord.Format.PNG, Math.max(1, d.workers()));
    LOG.info("{} synthetic images with {} lines written to {}", s.images(), s.lines(), dir);
    return s.json();
  }

  private static List<Path> jsonFiles(Path p) {
    if (Files.isRegularFile(p)) return List.of(p);
    if (!Files.isDirectory(p)) throw new IllegalArgumentException("data " + p + " is neither an annotation file nor a folder");
    try (Stream<Path> s = Files.list(p)) {
      List<Path> files = s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
      if (files.isEmpty()) throw new IllegalArgumentException("data folder " + p + " holds no .json annotation file");
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p, e);
    }
  }
}
