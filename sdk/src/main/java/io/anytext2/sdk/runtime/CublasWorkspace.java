package io.anytext2.sdk.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cuBLAS's workspaces, the largest GPU memory that no ONNX Runtime option reaches. Every cuBLAS handle (ONNX Runtime's
 * CUDA provider makes its own in each session) takes the library's default workspace for the GPU unless the process
 * environment has {@code CUBLAS_WORKSPACE_CONFIG}; measured on an H100 (README "Benchmarks"): 4 123 MiB with the
 * full-size package's sessions open and 4 343 MiB after the first request, against 3 803 / 3 767 MiB with {@code :16:8},
 * for the same ms per step. The native library reads the variable when it makes a handle, so a JVM cannot set it for
 * itself: the {@code ./anytext2} launcher exports it in low-GPU-memory mode, and an application that opens pipelines on
 * a GPU is told once.
 */
public final class CublasWorkspace {
  /** The environment variable cuBLAS reads. */
  public static final String VARIABLE = "CUBLAS_WORKSPACE_CONFIG";
  /** Eight workspaces of 16 KiB, the smaller of the two settings cuBLAS's documentation names; as fast as the default here. */
  public static final String RECOMMENDED = ":16:8";

  private static final Logger LOG = LoggerFactory.getLogger(CublasWorkspace.class);
  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private CublasWorkspace() {}

  /**
   * What to tell a process that opens sessions on a GPU in low-GPU-memory mode, given its environment: nothing when the
   * variable is set (to any value: the user chose) or the mode is off.
   */
  public static Optional<String> advice(Map<String, String> environment, boolean lowGpuMemoryOnGpu) {
    if (!lowGpuMemoryOnGpu || environment.containsKey(VARIABLE)) return Optional.empty();
    return Optional.of(VARIABLE + " is not set: each cuBLAS handle keeps the library's default workspace (about 0.3-0.6 GiB"
        + " more GPU memory with a full-size model); start the JVM with " + VARIABLE + "=" + RECOMMENDED
        + " in its environment, as ./anytext2 does (README \"Benchmarks\")");
  }

  /** Logs {@link #advice} once per process. */
  static void adviseOnce(boolean lowGpuMemoryOnGpu) {
    advice(System.getenv(), lowGpuMemoryOnGpu).ifPresent(a -> {
      if (TOLD.compareAndSet(false, true)) LOG.info(a);
    });
  }
}
