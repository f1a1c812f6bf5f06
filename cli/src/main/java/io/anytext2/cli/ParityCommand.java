package io.anytext2.cli;

import io.anytext2.cli.parity.FixtureDir;
import io.anytext2.cli.parity.ParityReport;
import io.anytext2.cli.parity.ParityRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 parity}: checks our conversion and inference against a reference fixture. */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a parity fixture's checkpoint and compare every recorded stage (tokenizer, OCR, line embeddings,",
      "text encoder, ControlNet, UNet, VAE, full DDIM generation and edit) with the reference tensors on ONNX Runtime CPU.",
      "Exits 1 when any tensor is outside the tolerance of the fixture README."
    },
    footer = {"", "Example:", "  anytext2 parity --fixture ../shared/parity/tiny"})
final class ParityCommand implements Callable<Integer> {
  @Option(names = "--fixture", required = true, description = "fixture folder (model.ckpt|model.safetensors, *.yaml, fixtures.safetensors, fixtures.json)")
  Path fixture;

  @Option(names = "--work", description = "folder for the converted package (default: a temporary folder, deleted afterwards)")
  Path work;

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? work : Files.createTempDirectory("anytext2-parity-");
    try (FixtureDir fx = FixtureDir.open(fixture)) {
      long t0 = System.nanoTime();
      ParityReport report = new ParityRunner(fx, dir).run();
      report.print(System.out);
      System.out.printf("(%.1f s)%n", (System.nanoTime() - t0) / 1e9);
      return report.passed() ? 0 : 1;
    } finally {
      if (work == null) FixtureDir.deleteTree(dir);
    }
  }
}
