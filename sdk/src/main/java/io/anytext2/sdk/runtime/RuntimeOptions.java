package io.anytext2.sdk.runtime;

import java.util.List;

/**
 * How a pipeline runs its graphs.
 *
 * @param providers execution providers in order of preference; CPU is appended as the last resort
 *     unless {@code strict}
 * @param strict fail instead of falling back when the first provider cannot load
 * @param intraOpThreads threads per graph call (0 = ONNX Runtime's default: all cores)
 */
public record RuntimeOptions(List<ExecutionProvider> providers, boolean strict, int intraOpThreads) {

  public RuntimeOptions {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) throw new IllegalArgumentException("at least one execution provider is needed");
    if (intraOpThreads < 0) throw new IllegalArgumentException("intraOpThreads must be >= 0, found " + intraOpThreads);
  }

  public static RuntimeOptions cpu() {
    return new RuntimeOptions(List.of(new ExecutionProvider.Cpu()), false, 0);
  }

  public static RuntimeOptions of(ExecutionProvider provider, boolean strict) {
    return new RuntimeOptions(List.of(provider), strict, 0);
  }

  public RuntimeOptions withThreads(int threads) {
    return new RuntimeOptions(providers, strict, threads);
  }
}
