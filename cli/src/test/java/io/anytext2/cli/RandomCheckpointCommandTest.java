package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointCommandTest {

  /** The tiny fixture's architecture with random weights converts like the fixture itself. */
  @Test
  void tinyRandomCheckpointHasTheFixtureKeysAndConverts(@TempDir Path tmp) throws IOException {
    Path tiny = Fixtures.tiny();
    Path ckpt = tmp.resolve("random.ckpt");
    String[] args = {"random-checkpoint", "--config", tiny.resolve("tiny.yaml").toString(), "--ocr-classes", "97",
        "--ocr-scale", "0.25", "--seed", "3", "--out", ckpt.toString()};
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + ckpt + ": 1816 tensors"), r.out()); // the fixture's 1815 + position_ids
    try (Checkpoint ours = Checkpoints.open(ckpt); Checkpoint fixture = Checkpoints.open(tiny.resolve("model.ckpt"))) {
      for (String key : fixture.keys()) assertEquals(fixture.info(key), ours.info(key), key);
    }
    CliRun again = CliRun.of(args);
    assertEquals(2, again.code());
    assertTrue(again.err().startsWith("error: output") && again.err().contains("--overwrite"), again.err());

    Path pkg = tmp.resolve("pkg");
    CliRun convert = CliRun.of("convert", "--checkpoint", ckpt.toString(), "--config", tiny.resolve("tiny.yaml").toString(),
        "--out", pkg.toString());
    assertEquals(0, convert.code(), convert.err());
    assertTrue(convert.out().matches("(?s).*peak heap \\d+ MB.*"), convert.out());
    ModelPackage p = ModelPackage.open(pkg);
    assertEquals(8, p.manifest().graphs().size()); // 6 stages, OCR recognizer, sampler
    assertTrue(Files.isRegularFile(pkg.resolve(p.graph(GraphNames.UNET).file())));
  }

  @Test
  void badArgumentsAreOneLineErrorsAndWriteNothing(@TempDir Path tmp) throws IOException {
    CliRun ext = CliRun.of("random-checkpoint", "--out", tmp.resolve("w.bin").toString());
    assertEquals(2, ext.code());
    assertEquals("error: expected an output file ending in .ckpt, .pth, .pt or .safetensors, found " + tmp.resolve("w.bin"),
        ext.err().strip());
    CliRun scale = CliRun.of("random-checkpoint", "--ocr-scale", "0.3", "--out", tmp.resolve("w.ckpt").toString());
    assertEquals(2, scale.code());
    assertTrue(scale.err().startsWith("error: expected --ocr-scale") && scale.err().strip().lines().count() == 1, scale.err());
    CliRun config = CliRun.of("random-checkpoint", "--config", tmp.resolve("none.yaml").toString(), "--out",
        tmp.resolve("w.ckpt").toString());
    assertEquals("error: config " + tmp.resolve("none.yaml") + " does not exist", config.err().strip());
    try (var s = Files.list(tmp)) {
      assertFalse(s.findAny().isPresent(), "nothing written");
    }
  }
}
