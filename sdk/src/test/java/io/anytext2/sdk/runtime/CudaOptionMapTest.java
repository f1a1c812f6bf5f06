package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA provider options a session gets (built as a map so that a machine without CUDA can check them). */
class CudaOptionMapTest {

  @Test
  void standardPackagesKeepOnnxRuntimesConvolutionDefaults() {
    Map<String, String> o = SessionFactory.cudaOptionMap(false, "");
    assertEquals(Map.of("arena_extend_strategy", "kSameAsRequested"), o);
  }

  @Test
  void channelsLastPackagesRunNhwcWithTheHeuristicAlgorithmChoice() {
    Map<String, String> o = SessionFactory.cudaOptionMap(true, null);
    assertEquals(List.of("arena_extend_strategy", "prefer_nhwc", "cudnn_conv_algo_search"), List.copyOf(o.keySet()));
    assertEquals("1", o.get("prefer_nhwc"));
    assertEquals("HEURISTIC", o.get("cudnn_conv_algo_search"));
  }

  @Test
  void thePropertyAddsAndOverrides() {
    Map<String, String> o = SessionFactory.cudaOptionMap(true, " cudnn_conv_algo_search = EXHAUSTIVE ,gpu_mem_limit=1000");
    assertEquals("EXHAUSTIVE", o.get("cudnn_conv_algo_search"), "the user's choice wins");
    assertEquals("1000", o.get("gpu_mem_limit"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionFactory.cudaOptionMap(false, "prefer_nhwc"));
    assertTrue(e.getMessage().contains("expected key=value, found 'prefer_nhwc'"), e.getMessage());
  }
}
