package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.sdk.runtime.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default model's Latin checkpoint widened to the bundled Latin + Chinese dictionary converts with that dictionary. */
class ExtendDictCommandTest {
  private static final Path DEFAULT = Path.of("../trainer/configs/default");

  @Test
  void aLatinCheckpointWidenedToLatinAndChineseConvertsWithTheNewDictionary(@TempDir Path tmp) throws IOException {
    Path latin = tmp.resolve("latin.safetensors");
    CliRun random = CliRun.of("random-checkpoint", "--config", DEFAULT.resolve("model.yaml").toString(), "--ocr-classes", "97",
        "--ocr-scale", "0.125", "--seed", "2", "--out", latin.toString());
    assertEquals(0, random.code(), random.err());
    Path cjk = tmp.resolve("cjk.safetensors");
    String[] args = {"extend-dict", "--checkpoint", latin.toString(), "--old-dict", DEFAULT.resolve("latin_dict.txt").toString(),
        "--new-dict", DEFAULT.resolve("latin_cjk_dict.txt").toString(), "--out", cjk.toString()};
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), r.err());
    assertEquals("wrote " + cjk + ": 2 OCR head(s) widened from 97 to 583 classes (97 rows kept, 486 new)", r.out().strip());
    try (Checkpoint a = Checkpoints.open(latin); Checkpoint b = Checkpoints.open(cjk)) {
      assertEquals(a.keys(), b.keys());
      String neck = a.keys().stream().filter(k -> k.startsWith("text_predictor.neck.")).findFirst().orElseThrow();
      assertTrue(java.util.Arrays.equals(a.readFloats(neck), b.readFloats(neck)), "the neck the embedding manager reads is unchanged");
    }
    CliRun again = CliRun.of(args);
    assertEquals(2, again.code());
    assertTrue(again.err().startsWith("error: output") && again.err().contains("--overwrite"), again.err());

    Path pkg = tmp.resolve("pkg");
    CliRun convert = CliRun.of("convert", "--checkpoint", cjk.toString(), "--config", DEFAULT.resolve("model.yaml").toString(),
        "--ocr-dict", DEFAULT.resolve("latin_cjk_dict.txt").toString(), "--out", pkg.toString(), "--no-sampler");
    assertEquals(0, convert.code(), convert.err());
    assertEquals(583, ModelPackage.open(pkg).manifest().ocr().numClasses());

    CliRun shrink = CliRun.of("extend-dict", "--checkpoint", cjk.toString(), "--old-dict", DEFAULT.resolve("latin_cjk_dict.txt").toString(),
        "--new-dict", DEFAULT.resolve("latin_dict.txt").toString(), "--out", tmp.resolve("back.safetensors").toString());
    assertEquals(2, shrink.code());
    assertTrue(shrink.err().startsWith("error: the new dictionary lacks '") && shrink.err().strip().lines().count() == 1, shrink.err());
    assertFalse(Files.exists(tmp.resolve("back.safetensors")));
  }
}
