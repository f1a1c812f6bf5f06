package io.anytext2.sdk.runtime;

import java.nio.file.Path;

/** Where ONNX Runtime runs the graphs. Tried in the order given in {@link RuntimeOptions}. */
public sealed interface ExecutionProvider {

  /** Plain CPU (always available). */
  record Cpu() implements ExecutionProvider {}

  /** NVIDIA CUDA on {@code deviceId} (needs the onnxruntime_gpu jar and CUDA 12 + cuDNN 9 libraries). */
  record Cuda(int deviceId) implements ExecutionProvider {}

  /**
   * NVIDIA TensorRT on {@code deviceId}, with an engine cache (strongly recommended: building engines
   * takes minutes) and optional fp16 kernels. Needs TensorRT 10 libraries on the library path.
   */
  record TensorRt(int deviceId, Path engineCache, boolean fp16) implements ExecutionProvider {}

  /** Parses "cpu", "cuda", "cuda:1", "tensorrt", "tensorrt:0". */
  static ExecutionProvider parse(String s, Path engineCache, boolean fp16) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    int colon = v.indexOf(':');
    String kind = colon < 0 ? v : v.substring(0, colon);
    int id = 0;
    if (colon >= 0) {
      try {
        id = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("device '" + s + "': expected cpu, cuda[:N] or tensorrt[:N]");
      }
    }
    return switch (kind) {
      case "cpu" -> new Cpu();
      case "cuda", "gpu" -> new Cuda(id);
      case "tensorrt", "trt" -> new TensorRt(id, engineCache, fp16);
      default -> throw new IllegalArgumentException("device '" + s + "': expected cpu, cuda[:N] or tensorrt[:N]");
    };
  }
}
