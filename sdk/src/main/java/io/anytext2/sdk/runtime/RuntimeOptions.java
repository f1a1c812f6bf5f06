package io.anytext2.sdk.runtime;

import java.util.List;

/**
 * How a pipeline runs its graphs.
 *
 * @param providers execution providers in order of preference; CPU is appended as the last resort
 *     unless {@code strict}
 * @param strict fail instead of falling back when the first provider cannot load
 * @param intraOpThreads threads per graph call (0 = ONNX Runtime's default: all cores)
 * @param lowGpuMemory on CUDA and TensorRT: allocate weights outside the memory arenas and give each
 *     call's unused arena memory back to the device when the call ends (ONNX Runtime's {@code
 *     session.use_device_allocator_for_initializers} and {@code memory.enable_memory_arena_shrinkage}),
 *     and decode the images of a request one per VAE call. Every graph has its own arena, so without it
 *     the peak is the weights plus the sum of every graph's largest call; with it the weights plus the
 *     largest single call. On by default: measured on an H100 at 512² (README "Benchmarks"), 9.6 → 5.4 GiB
 *     for 2-4 % more time per request
 */
public record RuntimeOptions(List<ExecutionProvider> providers, boolean strict, int intraOpThreads, boolean lowGpuMemory) {

  public RuntimeOptions {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) throw new IllegalArgumentException("at least one execution provider is needed");
    if (intraOpThreads < 0) throw new IllegalArgumentException("intraOpThreads must be >= 0, found " + intraOpThreads);
  }

  /** Options with {@link #lowGpuMemory} on (the default). */
  public RuntimeOptions(List<ExecutionProvider> providers, boolean strict, int intraOpThreads) {
    this(providers, strict, intraOpThreads, true);
  }

  public static RuntimeOptions cpu() {
    return new RuntimeOptions(List.of(new ExecutionProvider.Cpu()), false, 0);
  }

  public static RuntimeOptions of(ExecutionProvider provider, boolean strict) {
    return new RuntimeOptions(List.of(provider), strict, 0);
  }

  public RuntimeOptions withThreads(int threads) {
    return new RuntimeOptions(providers, strict, threads, lowGpuMemory);
  }

  /** These options with {@link #lowGpuMemory} set as given. */
  public RuntimeOptions withLowGpuMemory(boolean on) {
    return new RuntimeOptions(providers, strict, intraOpThreads, on);
  }
}
