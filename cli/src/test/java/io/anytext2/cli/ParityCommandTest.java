package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.cli.parity.FixtureDir;
import io.anytext2.cli.parity.ParityReport;
import io.anytext2.cli.parity.ParityRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole parity harness on ../shared/parity/tiny: every recorded stage within the README's tolerances. */
class ParityCommandTest {

  @Test
  void tinyFixtureMatchesTheOriginal(@TempDir Path work) throws Exception {
    Path tiny = Fixtures.tiny();
    ParityReport report;
    try (FixtureDir fx = FixtureDir.open(tiny)) {
      report = new ParityRunner(fx, work).run();
    }
    report.print(System.out);
    for (ParityReport.Row r : report.rows()) {
      assertTrue(r.pass(), () -> r.stage() + " " + r.tensor() + " max-abs " + r.maxAbs() + " " + r.note());
    }
    // every section of the fixture was reached: tokenizer, OCR, ControlNet, UNet, VAE, both requests
    for (String stage : new String[] {"tokenizer", "ocr", "controlnet", "unet", "vae", "embedding", "text", "ddim", "image", "chained"}) {
      assertTrue(report.rows().stream().anyMatch(r -> r.stage().equals(stage)), "no rows for stage " + stage);
    }
    assertEquals(2, report.rows().stream().filter(r -> r.stage().equals("image")).count());
  }

  @Test
  void missingFixtureFolderIsAOneLineError(@TempDir Path tmp) {
    CliRun r = CliRun.of("parity", "--fixture", tmp.resolve("nope").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: fixture folder"), r.err());
  }
}
