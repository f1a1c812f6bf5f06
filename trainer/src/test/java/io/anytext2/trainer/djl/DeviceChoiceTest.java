package io.anytext2.trainer.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The training device option: parsing, and resolution against what the engine sees (faked, so GPU cases run on a CPU machine). */
class DeviceChoiceTest {
  private static final DeviceChoice.EngineInfo NO_GPU = new DeviceChoice.EngineInfo("PyTorch", "2.7.1", "cpu", "/lib/torch", 0);
  private static final DeviceChoice.EngineInfo TWO_GPUS = new DeviceChoice.EngineInfo("PyTorch", "2.11.0", "cuda", "/lib/torch", 2);

  @Test
  void parsesEverySpelling() {
    assertEquals(DeviceChoice.Kind.AUTO, DeviceChoice.parse("auto", "--device").kind());
    assertEquals(DeviceChoice.Kind.AUTO, DeviceChoice.parse(" AUTO ", "--device").kind());
    assertEquals(DeviceChoice.Kind.CPU, DeviceChoice.parse("cpu", "--device").kind());
    for (String gpu0 : new String[] {"cuda", "gpu", "CUDA:0", "gpu:0"}) {
      DeviceChoice c = DeviceChoice.parse(gpu0, "--device");
      assertEquals(DeviceChoice.Kind.GPU, c.kind(), gpu0);
      assertEquals(0, c.index(), gpu0);
      assertEquals("cuda:0", c.toString(), gpu0);
    }
    assertEquals(1, DeviceChoice.parse("cuda:1", "--device").index());
    assertEquals(3, DeviceChoice.parse("gpu:3", "--device").index());
    assertEquals("cpu", DeviceChoice.parse("cpu", "--device").toString());
    assertEquals("auto", DeviceChoice.auto("train.device").toString());
  }

  @Test
  void rejectsOtherValuesWithOneClearLine() {
    for (String bad : new String[] {"tpu", "cuda:", "cuda:-1", "cuda:x", "cpu:0", "cuda1", "gpu:1:2", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad, "--device"), bad);
      assertTrue(e.getMessage().startsWith("--device: expected auto, cpu, cuda or cuda:N (also gpu, gpu:N), found "), e.getMessage());
      assertTrue(bad.isEmpty() ? e.getMessage().endsWith("found nothing") : e.getMessage().endsWith("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(null, "--device"));
  }

  @Test
  void autoTakesTheFirstGpuWhenThereIsOne() {
    assertEquals(Device.cpu(), DeviceChoice.parse("auto", "--device").resolve(NO_GPU));
    assertEquals(Device.gpu(0), DeviceChoice.parse("auto", "--device").resolve(TWO_GPUS));
    assertEquals(Device.cpu(), DeviceChoice.parse("cpu", "--device").resolve(TWO_GPUS));
    assertEquals(Device.gpu(1), DeviceChoice.parse("gpu:1", "--device").resolve(TWO_GPUS));
    assertEquals("cuda:1", DeviceChoice.label(Device.gpu(1)));
    assertEquals("cpu", DeviceChoice.label(Device.cpu()));
  }

  @Test
  void aGpuTheEngineDoesNotSeeIsAClearError() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("cuda", "--device").resolve(NO_GPU));
    assertEquals("--device cuda: DJL's PyTorch engine sees no GPU (libtorch 2.7.1 cpu, /lib/torch); see README 'Training on a GPU'",
        none.getMessage());
    IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
        () -> DeviceChoice.parse("cuda:2", "train.device").resolve(TWO_GPUS));
    assertEquals("train.device cuda:2: DJL's PyTorch engine sees 2 GPUs (cuda:0 to cuda:1), libtorch 2.11.0 cuda, /lib/torch",
        beyond.getMessage());
  }

  @Test
  void theEngineOfThisMachine() {
    DeviceChoice.EngineInfo engine = DeviceChoice.EngineInfo.current();
    assertEquals("PyTorch", engine.engine());
    assertTrue(engine.describe().startsWith("libtorch " + engine.version() + " " + engine.flavor()), engine.describe());
    Assumptions.assumeTrue(engine.gpuCount() == 0, "this machine has a GPU; the no-GPU case is covered by the faked engine above");
    assertEquals(Device.cpu(), DeviceChoice.auto("--device").resolve(engine));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("cuda", "--device").resolve(engine));
    assertTrue(e.getMessage().startsWith("--device cuda: DJL's PyTorch engine sees no GPU (libtorch "), e.getMessage());
  }
}
