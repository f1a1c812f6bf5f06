package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
  @TempDir Path tmp;

  private static DType fromNumpy(String name) {
    return switch (name) {
      case "float32" -> DType.F32;
      case "float64" -> DType.F64;
      case "int64" -> DType.I64;
      case "uint8" -> DType.U8;
      default -> throw new IllegalArgumentException("unexpected numpy dtype " + name);
    };
  }

  @Test
  void fixtureTensorsMatchTheInventoryOfFixturesJson() throws IOException {
    JsonNode inventory = ParityFixtures.fixturesJson().get("tensors");
    try (SafetensorsFile st = SafetensorsFile.open(ParityFixtures.tinyFile("fixtures.safetensors"))) {
      assertEquals(inventory.size(), st.keys().size());
      for (Iterator<Map.Entry<String, JsonNode>> it = inventory.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        TensorInfo info = st.info(e.getKey());
        long[] shape = new long[e.getValue().get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.getValue().get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, info.shape(), e.getKey());
        assertEquals(fromNumpy(e.getValue().get("dtype").asText()), info.dtype(), e.getKey());
        assertEquals(info.byteSize(), st.readBytes(e.getKey()).length);
        assertEquals(info.numel(), st.readDoubles(e.getKey()).length);
      }
      assertTrue(st.metadata().isEmpty());
    }
  }

  /** MODEL.md §3.10: τ = [0, c, 2c, …] + 1 with c = 1000 // S. */
  @Test
  void ddimTimestepsFollowTheUniformSchedule() throws IOException {
    JsonNode descending = ParityFixtures.fixturesJson().get("gen").get("ddim_timesteps_descending");
    try (SafetensorsFile st = SafetensorsFile.open(ParityFixtures.tinyFile("fixtures.safetensors"))) {
      long[] tau = st.readLongs("gen/sample/ddim_timesteps");
      int steps = tau.length;
      long c = 1000 / steps;
      for (int k = 0; k < steps; k++) {
        assertEquals(k * c + 1, tau[k]);
        assertEquals(descending.get(steps - 1 - k).asLong(), tau[k]);
      }
      assertEquals(DType.I64, st.info("gen/sample/ddim_timesteps").dtype());
      float[] asFloats = st.readFloats("gen/sample/ddim_timesteps");
      assertEquals((float) tau[steps - 1], asFloats[steps - 1]);
    }
  }

  /** The uint8 result tensor is the same picture as gen_result_0.png (parity README). */
  @Test
  void uint8ImageMatchesThePng() throws IOException {
    BufferedImage png = ImageIO.read(ParityFixtures.tinyFile("gen_result_0.png").toFile());
    try (SafetensorsFile st = SafetensorsFile.open(ParityFixtures.tinyFile("fixtures.safetensors"))) {
      TensorInfo info = st.info("gen/sample/image_uint8");
      assertEquals(DType.U8, info.dtype());
      int h = (int) info.dim(1);
      int w = (int) info.dim(2);
      assertEquals(png.getHeight(), h);
      assertEquals(png.getWidth(), w);
      byte[] hwc = st.readBytes("gen/sample/image_uint8");
      long[] widened = st.readLongs("gen/sample/image_uint8");
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = png.getRGB(x, y);
          int i = (y * w + x) * 3;
          assertEquals((rgb >> 16) & 0xff, hwc[i] & 0xff);
          assertEquals((rgb >> 8) & 0xff, hwc[i + 1] & 0xff);
          assertEquals(rgb & 0xff, (int) widened[i + 2]);
        }
      }
    }
  }

  @Test
  void smallMapWindowsGiveTheSameBytes() {
    Path file = ParityFixtures.tinyFile("fixtures.safetensors");
    try (SafetensorsFile whole = SafetensorsFile.open(file);
        SafetensorsFile windowed = SafetensorsFile.open(file, 65_543)) { // odd size: tensors straddle windows
      for (String key : whole.keys()) {
        assertArrayEquals(whole.readBytes(key), windowed.readBytes(key), key);
        assertArrayEquals(whole.readDoubles(key), windowed.readDoubles(key), key);
      }
    }
  }

  @Test
  void readersRejectMisuse() throws IOException {
    Path file = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
    SafetensorsFile st = SafetensorsFile.open(file);
    IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> st.info("nope"));
    assertTrue(absent.getMessage().contains("'nope'"), absent.getMessage());
    assertThrows(IllegalArgumentException.class, () -> st.readFloats("nope"));
    IllegalArgumentException floats = assertThrows(IllegalArgumentException.class, () -> st.readLongs("w"));
    assertTrue(floats.getMessage().contains("w") && floats.getMessage().contains("F32"), floats.getMessage());
    assertArrayEquals(new float[] {0f, 0f}, st.readFloats("w"));
    st.close();
    assertThrows(IllegalStateException.class, () -> st.readFloats("w"));
  }

  record BadHeader(String header, int dataBytes, String expectedMessagePart) {}

  @Test
  void malformedHeadersFailWithAClearMessage() throws IOException {
    List<BadHeader> cases = List.of(
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "run past the end"),
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "expected 12"),
        new BadHeader("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", 8, "F8_E4M3"),
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "non-negative"),
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8, "data_offsets"),
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "end before begin"),
        new BadHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap"),
        new BadHeader("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
            + "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2, "Duplicate field 'w'"),
        new BadHeader("{\"__metadata__\":{\"format\":1}}", 0, "must be a string"),
        new BadHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]", 8, "not valid JSON"),
        new BadHeader("[1,2]", 0, "must be a JSON object"));
    for (BadHeader c : cases) {
      Path file = writeRaw(c.header(), new byte[c.dataBytes()]);
      CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file), c.header());
      assertTrue(e.getMessage().contains(c.expectedMessagePart()), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  @Test
  void headerLengthBeyondTheFileAndTinyFilesAreRejected() throws IOException {
    Path huge = tmp.resolve("huge.safetensors");
    Files.write(huge, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}  ".getBytes(
        StandardCharsets.US_ASCII)).array());
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(huge));
    assertTrue(e.getMessage().contains("header length 1000"), e.getMessage());
    Path tiny = tmp.resolve("tiny.safetensors");
    Files.write(tiny, new byte[5]);
    assertThrows(CheckpointException.class, () -> SafetensorsFile.open(tiny));
  }

  @Test
  void truncatedFixtureIsReportedAsTruncated() throws IOException {
    byte[] all = Files.readAllBytes(ParityFixtures.tinyFile("fixtures.safetensors"));
    Path cut = tmp.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void zeroSizedAndScalarTensorsAreValid() throws IOException {
    Path file = writeRaw("{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"empty\":{\"dtype\":\"F16\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
        + "\"scalar\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}",
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).array());
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(List.of("empty", "scalar"), st.keys());
      assertEquals(Map.of("format", "pt"), st.metadata());
      assertEquals(0, st.readFloats("empty").length);
      assertArrayEquals(new long[] {-7}, st.readLongs("scalar"));
      assertEquals(1, st.info("scalar").numel());
    }
  }

  private Path writeRaw(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length).put(json).put(data);
    Path file = Files.createTempFile(tmp, "case", ".safetensors");
    Files.write(file, buf.array());
    return file;
  }
}
