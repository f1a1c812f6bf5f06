package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The low-GPU-memory switch: where it applies (GPU providers only) and that it survives the option helpers. */
class LowGpuMemoryOptionsTest {

  @Test
  void runOptionsOnlyForGpuProvidersWhenOn() throws OrtException {
    SessionFactory off = new SessionFactory(RuntimeOptions.of(new ExecutionProvider.Cuda(0), false).withLowGpuMemory(false));
    assertNull(off.runOptions(new ExecutionProvider.Cuda(0)), "defaults when the switch is off");
    SessionFactory on = new SessionFactory(RuntimeOptions.of(new ExecutionProvider.Cuda(1), false));
    assertNull(on.runOptions(new ExecutionProvider.Cpu()), "CPU keeps its arena");
    try (OrtSession.RunOptions ro = on.runOptions(new ExecutionProvider.Cuda(1))) {
      assertNotNull(ro, "CUDA gets arena shrinkage");
    }
    try (OrtSession.RunOptions ro = on.runOptions(new ExecutionProvider.TensorRt(0, null, true))) {
      assertNotNull(ro, "TensorRT (its CUDA fallback nodes) gets arena shrinkage");
    }
  }

  @Test
  void switchSurvivesOptionHelpers() {
    RuntimeOptions o = new RuntimeOptions(List.of(new ExecutionProvider.Cpu()), false, 0);
    assertTrue(o.lowGpuMemory(), "on by default");
    RuntimeOptions keep = o.withLowGpuMemory(false).withThreads(2);
    assertFalse(keep.lowGpuMemory());
    assertEquals(2, keep.intraOpThreads());
    assertTrue(keep.withLowGpuMemory(true).lowGpuMemory());
  }
}
