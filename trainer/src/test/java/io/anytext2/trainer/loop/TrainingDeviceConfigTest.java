package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.trainer.djl.DeviceChoice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config key train.device: default auto, any spelling of the option, a bad value named with its key. */
class TrainingDeviceConfigTest {
  @TempDir Path tmp;

  @Test
  void defaultsToAutoAndReadsTheKey() throws Exception {
    assertEquals(DeviceChoice.Kind.AUTO, TinyRuns.config(tmp, "  seed: 1\n", null, null).train().device().kind());
    DeviceChoice gpu = TinyRuns.config(tmp, "  seed: 1\n  device: gpu:1\n", null, null).train().device();
    assertEquals(DeviceChoice.Kind.GPU, gpu.kind());
    assertEquals(1, gpu.index());
    assertEquals("train.device", gpu.origin());
    assertEquals(DeviceChoice.Kind.CPU, TinyRuns.config(tmp, "  seed: 1\n  device: cpu\n", null, null).train().device().kind());
  }

  @Test
  void aBadValueNamesTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyRuns.config(tmp, "  device: cuda0\n", null, null));
    assertTrue(e.getMessage().startsWith("training config: train.device: expected auto, cpu, cuda or cuda:N"), e.getMessage());
  }
}
