package io.anytext2.trainer;

import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.trainer.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;

/** The tiny architecture of trainer/configs/tiny (the parity fixture's shapes) with seeded random weights. */
public final class TinyModels {
  public static final Path MODEL_YAML = Path.of("configs/tiny/model.yaml");
  public static final Path DICTIONARY = Path.of("configs/tiny/en_dict.txt");
  /** Backbone scale 0.25 (first conv 8 channels), 97 CTC classes (parity README "Tiny configuration"). */
  public static final OcrConfig OCR = OcrConfig.fromShapes(8, 97);

  private TinyModels() {}

  public static ModelSpec spec() {
    return ModelSpec.load(MODEL_YAML, OCR);
  }

  /** Writes a random official-layout checkpoint of the tiny model to {@code dir/random.safetensors}. */
  public static Path randomCheckpoint(Path dir, long seed) throws IOException {
    Path file = dir.resolve("random.safetensors");
    new RandomCheckpoint(spec().config(), seed).save(file);
    return file;
  }
}
