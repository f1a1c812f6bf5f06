package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anytext2 train} on the tiny config: synthetic data through the data package, two steps, then resume to three. */
class TrainCommandTest {
  private static final Path TINY = Path.of("../trainer/configs/tiny.yaml");

  @Test
  void trainsResumesAndRejectsBadInput(@TempDir Path tmp) throws Exception {
    Path cfg = tmp.resolve("tiny.yaml");
    String text = Files.readString(TINY).replace("synthetic: 48", "synthetic: 9").replace("image_every: 8", "image_every: 0");
    String abs = TINY.toAbsolutePath().getParent().normalize().toString();
    Files.writeString(cfg, text.replace("config: tiny/model.yaml", "config: " + abs + "/tiny/model.yaml")
        .replace("ocr_dictionary: tiny/en_dict.txt", "ocr_dictionary: " + abs + "/tiny/en_dict.txt"));
    Path run = tmp.resolve("run");
    CliRun first = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "2");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().startsWith("trained to step 2"), first.out());
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/last.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("synthetic/anyword.json")));

    CliRun again = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "3");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--resume"), again.err());

    CliRun resumed = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "3", "--resume");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().startsWith("trained to step 3"), resumed.out());

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, text.replace("train:", "train:\n  batchsize: 4"));
    CliRun typo = CliRun.of("train", "--config", bad.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(2, typo.code());
    assertTrue(typo.err().startsWith("error: training config: unknown key 'train.batchsize'"), typo.err());
  }
}
