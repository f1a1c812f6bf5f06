package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CublasWorkspaceTest {
  @Test
  void aGpuProcessInLowMemoryModeWithoutTheVariableIsToldWhatToSet() {
    String advice = CublasWorkspace.advice(Map.of("PATH", "/usr/bin"), true).orElseThrow();
    assertTrue(advice.contains("CUBLAS_WORKSPACE_CONFIG=:16:8"), advice);
    assertTrue(!advice.contains("\n"), "one line");
  }

  @Test
  void aChosenValueOrAnotherModeGetsNoAdvice() {
    assertEquals(java.util.Optional.empty(), CublasWorkspace.advice(Map.of("CUBLAS_WORKSPACE_CONFIG", ":4096:8"), true));
    assertEquals(java.util.Optional.empty(), CublasWorkspace.advice(Map.of(), false));
  }
}
