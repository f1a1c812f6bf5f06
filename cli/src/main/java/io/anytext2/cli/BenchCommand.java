package io.anytext2.cli;

import io.anytext2.bench.EndToEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 bench}: the end-to-end benchmark ({@link EndToEnd}) of a model package. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time a model package end to end: session creation, first request, one UNet call, ms per CFG step,",
      "requests of 20 steps × 1 image, 50 × 1 and 20 × 4 (512×512, two text lines, cfg 9), peak GPU memory.",
      "Writes report.json and report.md into --out. CPU parts: java -jar benchmarks/target/anytext2-benchmarks.jar"
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 convert --random-init --fp16 --out /tmp/pkg-fp16 && anytext2 bench --package /tmp/pkg-fp16 --provider cuda",
      "  anytext2 bench --package models/anytext2-onnx --provider cpu --size 256 --cases 4x1 --runs 1"
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--package", required = true, description = "model package folder")
  String pkg;

  @Option(names = "--provider", defaultValue = "cuda", description = "cpu, cuda or tensorrt (falls back to CUDA) (default: ${DEFAULT-VALUE})")
  String provider;

  @Option(names = "--out", defaultValue = "bench-report", description = "report folder (default: ${DEFAULT-VALUE})")
  String out;

  @Option(names = "--runs", defaultValue = "3", description = "timed runs per request kind (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--size", defaultValue = "512", description = "image side in pixels (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--cases", defaultValue = "20x1,50x1,20x4", description = "requests as STEPSxIMAGES (default: ${DEFAULT-VALUE})")
  String cases;

  @Option(names = "--sampler", defaultValue = "default", description = "default, unbatched, batched or pinned (default: ${DEFAULT-VALUE})")
  String sampler;

  @Option(names = "--reference", description = "a second package (e.g. the fp32 one) to compare images and graph outputs with")
  String reference;

  @Override
  public Integer call() throws Exception {
    List<String> a = new ArrayList<>(List.of("--package", pkg, "--provider", provider, "--out", out, "--runs", Integer.toString(runs),
        "--size", Integer.toString(size), "--cases", cases, "--sampler", sampler));
    if (reference != null) a.addAll(List.of("--reference", reference));
    EndToEnd.main(a.toArray(new String[0]));
    return 0;
  }
}
