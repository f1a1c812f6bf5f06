package io.anytext2.cli;

import io.anytext2.sdk.runtime.ExecutionProvider;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Model, device and output flags shared by the commands that run a model. */
final class RunOptions {
  @Option(names = "--model", description = "model package folder (default: the package in onnx/ of this installation)")
  Path model;

  @Option(names = "--device", description = "cpu, cuda[:N] or tensorrt[:N] (default ${DEFAULT-VALUE}); falls back to CPU with a warning unless --strict-device", defaultValue = "cpu")
  String device;

  @Option(names = "--strict-device", description = "fail instead of falling back when --device cannot be used")
  boolean strictDevice;

  @Option(names = "--trt-cache", description = "TensorRT engine cache folder (default: <model>/trt-cache)")
  Path trtCache;

  @Option(names = "--low-gpu-memory", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "on CUDA/TensorRT: give each graph call's working memory back when it ends (default; peak = weights + the"
      + " largest call). --no-low-gpu-memory keeps it (every graph's largest call stays allocated: 2-4 %% faster, GiBs more)")
  boolean lowGpuMemory = true;

  @Option(names = "--threads", description = "CPU threads per graph call (default: all cores)", defaultValue = "0")
  int threads;

  Path modelDir() {
    if (model != null) return model;
    String home = System.getProperty("anytext2.home", System.getenv("ANYTEXT2_HOME")); // the property: for tests
    Path p = Path.of(home == null ? "." : home, "onnx");
    if (!Files.isRegularFile(p.resolve("manifest.json"))) {
      throw new IllegalArgumentException("no default model package at " + p + " (pass --model DIR; `anytext2 convert` makes one)");
    }
    return p;
  }

  RuntimeOptions runtime(Path modelDir) {
    Path cache = trtCache != null ? trtCache : modelDir.resolve("trt-cache");
    ExecutionProvider p = ExecutionProvider.parse(device, cache, true);
    return new RuntimeOptions(List.of(p), strictDevice, threads, lowGpuMemory);
  }
}
