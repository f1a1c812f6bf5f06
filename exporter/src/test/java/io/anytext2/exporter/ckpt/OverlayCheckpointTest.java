package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys under an overlay's prefix come from the overlay; everything else, and the key order, from the base. */
class OverlayCheckpointTest {
  @TempDir Path dir;

  private Path write(String name, float value, String... keys) throws IOException {
    List<TensorInfo> infos = java.util.Arrays.stream(keys).map(k -> new TensorInfo(k, DType.F32, new long[] {2})).toList();
    Path file = dir.resolve(name);
    SafetensorsWriter.write(file, infos, info -> {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      b.putFloat(value).putFloat(value + info.key().length());
      return b.array();
    });
    return file;
  }

  @Test
  void takesPrefixedKeysFromTheOverlays() throws IOException {
    Path base = write("base.safetensors", 1f, "vae.a", "ocr.b", "ocr.c", "unet.d");
    Path ocr = write("ocr.safetensors", 2f, "vae.a", "ocr.b", "ocr.c", "unet.d");
    Path unet = write("unet.safetensors", 3f, "unet.d");
    try (OverlayCheckpoint o = new OverlayCheckpoint(SafetensorsFile.open(base),
        List.of(Map.entry("ocr.", SafetensorsFile.open(ocr)), Map.entry("unet.", SafetensorsFile.open(unet))))) {
      assertEquals(List.of("vae.a", "ocr.b", "ocr.c", "unet.d"), o.keys());
      assertArrayEquals(new float[] {1f, 6f}, o.readFloats("vae.a"));
      assertArrayEquals(new float[] {2f, 7f}, o.readFloats("ocr.b"));
      assertArrayEquals(new float[] {2f, 7f}, o.readFloats("ocr.c"));
      assertArrayEquals(new float[] {3f, 9f}, o.readFloats("unet.d"));
      assertTrue(o.contains("unet.d"));
    }
  }

  @Test
  void refusesPrefixesThatMatchNothingOrDoNotFit() throws IOException {
    Path base = write("base.safetensors", 1f, "vae.a", "ocr.b");
    Path other = write("other.safetensors", 2f, "ocr.b", "ocr.extra");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> new OverlayCheckpoint(SafetensorsFile.open(base), List.of(Map.entry("unet.", SafetensorsFile.open(other)))));
    assertEquals("--init-part unet.: the checkpoint holds no key with that prefix", none.getMessage());
    IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
        () -> new OverlayCheckpoint(SafetensorsFile.open(base), List.of(Map.entry("ocr.", SafetensorsFile.open(other)))));
    assertEquals("--init-part ocr.: key ocr.extra is not in the base checkpoint", extra.getMessage());
  }
}
