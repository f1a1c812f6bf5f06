package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.trainer.data.AnyWordDataset;
import io.anytext2.trainer.data.AnyWordSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

  @Test
  void writesADatasetTheTrainerReadsAndNeverOverwritesSilently(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("synth");
    String[] args = {"synth", "--out", out.toString(), "--count", "6", "--size", "64", "--seed", "3", "--languages", "latin,korean"};
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wrote 6 images"), r.out());
    AnyWordDataset ds = AnyWordDataset.load(List.of(AnyWordSource.of(out.resolve("anyword.json"))));
    assertEquals(6, ds.size());
    String json = Files.readString(out.resolve("anyword.json"));

    CliRun again = CliRun.of(args);
    assertEquals(2, again.code());
    assertTrue(again.err().startsWith("error: output") && again.err().contains("--overwrite"), again.err());

    String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
    overwrite[args.length] = "--overwrite";
    assertEquals(0, CliRun.of(overwrite).code());
    assertEquals(json, Files.readString(out.resolve("anyword.json")), "same seed, same dataset");

    CliRun bad = CliRun.of("synth", "--out", tmp.resolve("x").toString(), "--count", "2", "--languages", "elvish");
    assertEquals(2, bad.code());
    assertEquals("error: expected languages among latin, cjk (chinese), korean, found \"elvish\"", bad.err().strip());

    // the layout options: one word per line, at most 2 lines
    Path few = tmp.resolve("few");
    CliRun layout = CliRun.of("synth", "--out", few.toString(), "--count", "6", "--size", "128", "--languages", "latin",
        "--max-lines", "2", "--max-words", "1", "--text-height", "0.18,0.32");
    assertEquals(0, layout.code(), layout.err());
    String fewJson = Files.readString(few.resolve("anyword.json"));
    assertFalse(fewJson.matches("(?s).*\"text\"\\s*:\\s*\"[^\"]* [^\"]*\".*"), "one word per line: " + fewJson);
    // --glyph-aligned: every line drawn as its glyph hint (SyntheticAnyWordTest checks the overlap)
    Path aligned = tmp.resolve("aligned");
    CliRun al = CliRun.of("synth", "--out", aligned.toString(), "--count", "6", "--size", "128", "--languages", "latin",
        "--max-lines", "2", "--max-words", "1", "--text-height", "0.18,0.32", "--glyph-aligned");
    assertEquals(0, al.code(), al.err());
    assertEquals(6, AnyWordDataset.load(List.of(AnyWordSource.of(aligned.resolve("anyword.json")))).size());
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(few.resolve("images/0000000.png")),
        Files.readAllBytes(aligned.resolve("images/0000000.png"))), "aligned lines are drawn differently");
    for (String[] badArgs : new String[][] {{"--text-height", "0.3,0.2"}, {"--text-height", "big"}, {"--max-lines", "9"}, {"--max-words", "0"}}) {
      CliRun rejected = CliRun.of("synth", "--out", tmp.resolve("y").toString(), "--count", "2", badArgs[0], badArgs[1]);
      assertEquals(2, rejected.code(), String.join(" ", badArgs));
      assertTrue(rejected.err().startsWith("error: expected "), rejected.err());
      assertEquals(1, rejected.err().strip().lines().count(), rejected.err());
      assertFalse(Files.exists(tmp.resolve("y").resolve("anyword.json")));
    }
  }
}
