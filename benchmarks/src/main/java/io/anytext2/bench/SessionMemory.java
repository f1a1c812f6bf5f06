package io.anytext2.bench;

import ai.onnxruntime.OrtSession;
import io.anytext2.sdk.runtime.ExecutionProvider;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.runtime.SessionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pipeline's resident GPU memory goes before it runs anything: opens the package's graphs one at a time on
 * CUDA device 0 with the SDK's session options (kept open) and prints nvidia-smi's reading after each beside the
 * graph file's size, then opens the smallest graph a second time — what one more session costs beyond its weights
 * (CUDA EP handles and workspaces; the first session also pays for the CUDA context). Usage: {@code SessionMemory
 * PACKAGE [graph ...]} (default: embedding, text encoder, ControlNet, VAE encoder and decoder, sampler: what a
 * sampler-graph pipeline held before 2026-11-26; one now opens no ControlNet, whose weights the sampler graph holds, and
 * closes the VAE encoder after its first generate request); {@code -Danytext2.ort.verbose=true} logs ONNX Runtime's node
 * placements.
 */
public final class SessionMemory {
  private SessionMemory() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) throw new IllegalArgumentException("usage: SessionMemory PACKAGE [graph ...]");
    if (Boolean.getBoolean("anytext2.ort.verbose")) {
      // before the SDK asks for the environment: ONNX Runtime then logs where it places each node ("Node placements":
      // which nodes run on the CPU inside a CUDA graph, the reason for its Memcpy nodes)
      ai.onnxruntime.OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE, "session-memory");
    }
    ModelPackage pkg = ModelPackage.open(Path.of(args[0]));
    List<String> names = args.length > 1 ? List.of(args).subList(1, args.length)
        : List.of("embedding", "text_encoder", "controlnet", "vae_encoder", "vae_decoder", "sampler");
    SessionFactory factory = SessionFactory.forPackage(pkg.manifest(), RuntimeOptions.of(new ExecutionProvider.Cuda(0), true));
    List<OrtSession> open = new ArrayList<>();
    try (GpuMemoryMonitor gpu = GpuMemoryMonitor.start(0)) {
      Thread.sleep(300);
      long last = gpu.currentMiB();
      System.out.printf("[mem] before: %d MiB%n", last);
      Path smallest = null;
      long smallestBytes = Long.MAX_VALUE;
      for (String n : names) {
        Path file = pkg.resolve(pkg.manifest().graphs().get(n).file());
        long bytes = Files.size(file) + externalData(file);
        if (bytes < smallestBytes) {
          smallest = file;
          smallestBytes = bytes;
        }
        open.add(factory.open(file));
        Thread.sleep(300); // two nvidia-smi polls
        long now = gpu.currentMiB();
        System.out.printf("[mem] %-14s file %7.1f MiB  device +%5d MiB  (total %d MiB)%n", n, bytes / 1048576.0, now - last, now);
        last = now;
      }
      open.add(factory.open(smallest));
      Thread.sleep(300);
      long now = gpu.currentMiB();
      System.out.printf("[mem] %s again: device +%d MiB (one more session of the same graph)%n", smallest.getFileName(), now - last);
    } finally {
      for (OrtSession s : open) s.close();
    }
  }

  private static long externalData(Path onnx) throws java.io.IOException {
    Path data = onnx.resolveSibling(onnx.getFileName() + ".data");
    return Files.exists(data) ? Files.size(data) : 0;
  }
}
