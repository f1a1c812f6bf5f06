package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
  @TempDir Path tmp;

  private static final float[] VALUES = {1f, -2.25f, 0.1f, 65504f, 0x1p-24f, 3.14159265f};

  @Test
  void roundTripsEveryDtypeWithMetadata() throws IOException {
    Map<String, byte[]> data = new LinkedHashMap<>();
    List<TensorInfo> infos = new ArrayList<>();
    for (DType d : List.of(DType.F32, DType.F16, DType.BF16, DType.F64)) {
      infos.add(new TensorInfo("float/" + d, d, new long[] {2, 3}));
      data.put("float/" + d, TensorCodec.encodeFloats(VALUES, d));
    }
    long[] ints = {-3, 0, 1, 1, 0, 7};
    for (DType d : List.of(DType.I64, DType.I32, DType.I16, DType.I8)) {
      infos.add(new TensorInfo("int/" + d, d, new long[] {6}));
      data.put("int/" + d, TensorCodec.encodeLongs(ints, d));
    }
    infos.add(new TensorInfo("u8", DType.U8, new long[] {3}));
    data.put("u8", new byte[] {0, (byte) 200, (byte) 255});
    infos.add(new TensorInfo("mask", DType.BOOL, new long[] {1, 2}));
    data.put("mask", new byte[] {1, 0});
    infos.add(new TensorInfo("scalar", DType.F32, new long[] {}));
    data.put("scalar", TensorCodec.encodeFloats(new float[] {42f}, DType.F32));
    infos.add(new TensorInfo("empty", DType.F16, new long[] {0, 5}));
    data.put("empty", new byte[0]);

    Path file = tmp.resolve("all.safetensors");
    List<String> supplied = new ArrayList<>();
    SafetensorsWriter.write(file, infos, info -> {
      supplied.add(info.key());
      return data.get(info.key());
    }, Map.of("format", "pt", "source", "test"));

    assertEquals(List.copyOf(data.keySet()), supplied); // one at a time, in list order
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(List.copyOf(data.keySet()), st.keys());
      assertEquals(Map.of("format", "pt", "source", "test"), st.metadata());
      for (TensorInfo info : infos) {
        assertEquals(info, st.info(info.key()));
        assertArrayEquals(data.get(info.key()), st.readBytes(info.key()), info.key());
      }
      assertArrayEquals(VALUES, st.readFloats("float/F32"));
      float[] half = st.readFloats("float/F16");
      float[] bf16 = st.readFloats("float/BF16");
      for (int i = 0; i < VALUES.length; i++) {
        assertEquals(TensorCodec.halfToFloat(TensorCodec.floatToHalf(VALUES[i])), half[i]);
        assertEquals(VALUES[i], half[i], Math.abs(VALUES[i]) * 0x1p-11f, "F16 within half an ulp");
        assertEquals(VALUES[i], bf16[i], Math.abs(VALUES[i]) * 0x1p-8f, "BF16 within half an ulp");
      }
      assertEquals(1f, half[0]);
      assertEquals(65504f, half[3]);
      assertEquals(0x1p-24f, half[4]);
      assertEquals(0.0999755859375f, half[2]); // binary16 nearest to 0.1
      assertEquals(0.10009765625f, bf16[2]); // bfloat16 nearest to 0.1
      assertArrayEquals(ints, st.readLongs("int/I8"));
      assertArrayEquals(ints, st.readLongs("int/I16"));
      assertArrayEquals(new double[] {-3, 0, 1, 1, 0, 7}, st.readDoubles("int/I32"));
      assertArrayEquals(new long[] {0, 200, 255}, st.readLongs("u8"));
      assertArrayEquals(new float[] {1f, 0f}, st.readFloats("mask"));
      assertArrayEquals(new float[] {42f}, st.readFloats("scalar"));
    }
  }

  @Test
  void dataSectionIsEightByteAligned() throws IOException {
    Path file = tmp.resolve("aligned.safetensors");
    for (String key : List.of("a", "ab", "abc", "abcd", "abcde")) {
      SafetensorsWriter.write(file, List.of(new TensorInfo(key, DType.F64, new long[] {1})),
          info -> TensorCodec.encodeDoubles(new double[] {1.5}));
      byte[] bytes = Files.readAllBytes(file);
      long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(0, (8 + headerLength) % 8, key);
      try (SafetensorsFile st = SafetensorsFile.open(file)) {
        assertEquals(8 + headerLength, st.dataPosition(key));
        assertArrayEquals(new double[] {1.5}, st.readDoubles(key));
      }
    }
  }

  @Test
  void wrongByteCountFailsAndLeavesNoFile() throws IOException {
    Path file = tmp.resolve("bad.safetensors");
    List<TensorInfo> infos = List.of(new TensorInfo("w", DType.F32, new long[] {2, 2}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafetensorsWriter.write(file, infos, info -> new byte[12]));
    assertTrue(e.getMessage().contains("w") && e.getMessage().contains("16"), e.getMessage());
    assertFalse(Files.exists(file));
    assertEquals(List.of(), listDir());
  }

  @Test
  void replacesAnExistingFileAtomicallyAndKeepsItWhenWritingFails() throws IOException {
    Path file = tmp.resolve("model.safetensors");
    List<TensorInfo> infos = List.of(new TensorInfo("w", DType.F32, new long[] {2}));
    SafetensorsWriter.write(file, infos, info -> TensorCodec.encodeFloats(new float[] {1, 2}, DType.F32));
    byte[] first = Files.readAllBytes(file);
    SafetensorsWriter.write(file, infos, info -> TensorCodec.encodeFloats(new float[] {3, 4}, DType.F32));
    byte[] second = Files.readAllBytes(file);
    assertNotEquals(ByteBuffer.wrap(first), ByteBuffer.wrap(second));
    assertThrows(IOException.class, () -> SafetensorsWriter.write(file, infos, info -> {
      throw new IOException("source went away");
    }));
    assertArrayEquals(second, Files.readAllBytes(file));
    assertEquals(List.of(file), listDir());
  }

  @Test
  void rejectsDuplicateAndReservedKeys() {
    Path file = tmp.resolve("dup.safetensors");
    TensorInfo w = new TensorInfo("w", DType.U8, new long[] {1});
    assertThrows(IllegalArgumentException.class,
        () -> SafetensorsWriter.write(file, List.of(w, w), info -> new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
        List.of(new TensorInfo("__metadata__", DType.U8, new long[] {1})), info -> new byte[1]));
  }

  private List<Path> listDir() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.toList();
    }
  }
}
