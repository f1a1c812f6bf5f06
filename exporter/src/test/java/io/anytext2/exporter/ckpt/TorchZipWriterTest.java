package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written by TorchZipWriter read back through TorchZipCheckpoint and java.util.zip. */
class TorchZipWriterTest {
  @TempDir Path tmp;

  /** A mix of ranks and dtypes, including a scalar, an empty tensor and int64 values beyond 32 bits. */
  private static Map<TensorInfo, byte[]> sample() {
    Random r = new Random(7);
    Map<TensorInfo, byte[]> m = new LinkedHashMap<>();
    float[] conv = new float[2 * 3 * 4 * 5];
    for (int i = 0; i < conv.length; i++) conv[i] = (float) r.nextGaussian();
    m.put(new TensorInfo("model.diffusion_model.input_blocks.0.0.weight", DType.F32, new long[] {2, 3, 4, 5}),
        TensorCodec.encodeFloats(conv, DType.F32));
    m.put(new TensorInfo("betas", DType.F32, new long[] {3}), TensorCodec.encodeFloats(new float[] {1e-3f, -2.5f, 7f}, DType.F32));
    m.put(new TensorInfo("bn.num_batches_tracked", DType.I64, new long[] {}), TensorCodec.encodeLongs(new long[] {123456}, DType.I64));
    long[] ids = new long[77];
    for (int i = 0; i < ids.length; i++) ids[i] = i;
    ids[76] = 1L << 40; // needs all 8 bytes
    m.put(new TensorInfo("embeddings.position_ids", DType.I64, new long[] {1, 77}), TensorCodec.encodeLongs(ids, DType.I64));
    m.put(new TensorInfo("half", DType.F16, new long[] {2, 2}), TensorCodec.encodeFloats(new float[] {1f, -0.5f, 65504f, 0f}, DType.F16));
    m.put(new TensorInfo("empty", DType.F32, new long[] {0, 4}), new byte[0]);
    return m;
  }

  private static TensorData from(Map<TensorInfo, byte[]> m) {
    Map<String, byte[]> byKey = new LinkedHashMap<>();
    m.forEach((k, v) -> byKey.put(k.key(), v));
    return TensorData.ofBytes(info -> byKey.get(info.key()));
  }

  private static void assertReadsBack(Path file, Map<TensorInfo, byte[]> m) {
    try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
      assertTrue(ckpt.isWrappedInStateDict());
      assertEquals(m.keySet().stream().map(TensorInfo::key).toList(), ckpt.keys());
      for (Map.Entry<TensorInfo, byte[]> e : m.entrySet()) {
        String key = e.getKey().key();
        assertEquals(e.getKey(), ckpt.info(key));
        assertArrayEquals(e.getValue(), ckpt.readBytes(key), key);
      }
      assertEquals(123456L, ckpt.readLongs("bn.num_batches_tracked")[0]);
      assertEquals(0, ckpt.info("bn.num_batches_tracked").rank());
      assertEquals(1L << 40, ckpt.readLongs("embeddings.position_ids")[76]);
      assertEquals(75L, ckpt.readLongs("embeddings.position_ids")[75]);
      assertArrayEquals(new float[] {1e-3f, -2.5f, 7f}, ckpt.readFloats("betas"));
      assertArrayEquals(new float[] {1f, -0.5f, 65504f, 0f}, ckpt.readFloats("half"));
    }
  }

  @Test
  void roundTripsThroughTheCheckpointReader() throws IOException {
    Map<TensorInfo, byte[]> m = sample();
    Path file = tmp.resolve("model.ckpt");
    TorchZipWriter.write(file, new ArrayList<>(m.keySet()), from(m));
    assertTrue(Checkpoints.open(file) instanceof TorchZipCheckpoint);
    assertReadsBack(file, m);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      assertEquals("little", text(zip, "archive/byteorder"));
      assertEquals("3\n", text(zip, "archive/version"));
      assertEquals("archive/data.pkl", zip.entries().nextElement().getName()); // torch.load reads it first
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
      }
    }
    assertNoTempFiles();
  }

  @Test
  void tensorDataStartsAt64ByteBoundaries() throws IOException {
    Map<TensorInfo, byte[]> m = sample();
    Path file = tmp.resolve("aligned.ckpt");
    TorchZipWriter.write(file, new ArrayList<>(m.keySet()), from(m));
    List<long[]> starts = localEntries(file);
    assertEquals(m.size() + 3, starts.size()); // data.pkl, byteorder, tensors, version
    for (long[] s : starts) assertEquals(0, s[0] % 64, "entry data at " + s[0]);
    // the bytes at each tensor's data start are the tensor itself
    byte[] all = Files.readAllBytes(file);
    int i = 2;
    for (byte[] expected : m.values()) {
      long[] s = starts.get(i++);
      assertEquals(expected.length, s[1]);
      byte[] found = java.util.Arrays.copyOfRange(all, (int) s[0], (int) (s[0] + s[1]));
      assertArrayEquals(expected, found);
    }
  }

  @Test
  void forcedZip64IsReadByZipFileAndTheCheckpointReader() throws IOException {
    Map<TensorInfo, byte[]> m = sample();
    Path file = tmp.resolve("zip64.ckpt");
    TorchZipWriter.write(file, new ArrayList<>(m.keySet()), from(m), true);
    byte[] all = Files.readAllBytes(file);
    ByteBuffer end = ByteBuffer.wrap(all, all.length - 22, 22).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x06054b50, end.getInt(0));
    assertEquals(0xFFFFFFFF, end.getInt(16)); // central directory offset lives in the ZIP64 record
    assertEquals(0x07064b50, ByteBuffer.wrap(all, all.length - 42, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    for (long[] s : localEntries(file)) assertEquals(0, s[0] % 64);
    assertReadsBack(file, m);
  }

  @Test
  void batchesLongDictsAsPythonDoes() throws IOException {
    List<TensorInfo> infos = new ArrayList<>();
    for (int i = 0; i < 2345; i++) infos.add(new TensorInfo("t." + i, DType.I64, new long[] {}));
    Path file = tmp.resolve("many.ckpt");
    TorchZipWriter.write(file, infos, (info, out) ->
        out.write(TensorCodec.encodeLongs(new long[] {Long.parseLong(info.key().substring(2)) * 1_000_003L}, DType.I64)));
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      assertEquals(2345, ckpt.keys().size());
      assertEquals("t.1999", ckpt.keys().get(1999));
      assertEquals(2344L * 1_000_003L, ckpt.readLongs("t.2344")[0]);
    }
  }

  @Test
  void wrongDataLengthFailsNamingTheKeyAndLeavesNothing() throws IOException {
    List<TensorInfo> infos = List.of(new TensorInfo("ok", DType.F32, new long[] {2}), new TensorInfo("short", DType.F32, new long[] {4}));
    Path file = tmp.resolve("bad.ckpt");
    IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
        () -> TorchZipWriter.write(file, infos, (info, out) -> out.write(new byte[8])));
    assertTrue(tooFew.getMessage().contains("short") && tooFew.getMessage().contains("16"), tooFew.getMessage());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> TorchZipWriter.write(file, infos, (info, out) -> out.write(new byte[16])));
    assertTrue(tooMany.getMessage().contains("ok"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TorchZipWriter.write(file,
        List.of(new TensorInfo("a", DType.F32, new long[] {1}), new TensorInfo("a", DType.F32, new long[] {1})),
        (info, out) -> out.write(new byte[4])));
    assertFalse(Files.exists(file));
    assertNoTempFiles();
  }

  /**
   * Opt-in (-Danytext2.largeTests=true, ~4.3 GB of disk, about a minute): a file past 4 GB, where
   * offsets need ZIP64 for real, read back at its end.
   */
  @Test
  void filesPastFourGigabytesReadBack() throws IOException {
    assumeTrue(Boolean.getBoolean("anytext2.largeTests"), "large test: pass -Danytext2.largeTests=true to run it");
    int perTensor = 1 << 26; // 64 Mi floats = 256 MiB
    List<TensorInfo> infos = new ArrayList<>();
    for (int i = 0; i < 17; i++) infos.add(new TensorInfo("w" + i, DType.F32, new long[] {perTensor / 1024, 1024}));
    Path file = tmp.resolve("large.ckpt");
    TorchZipWriter.write(file, infos, (info, out) -> {
      int t = Integer.parseInt(info.key().substring(1));
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < perTensor; i++) {
        chunk.putFloat(t * 1000f + (i % 1000));
        if (!chunk.hasRemaining()) {
          out.write(chunk.array());
          chunk.clear();
        }
      }
    });
    assertTrue(Files.size(file) > (1L << 32));
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      for (String key : List.of("w0", "w16")) {
        float[] v = ckpt.readFloats(key);
        int t = Integer.parseInt(key.substring(1));
        for (int i : new int[] {0, 1, 999, 1000, perTensor - 1}) assertEquals(t * 1000f + (i % 1000), v[i], key + "[" + i + "]");
      }
    }
  }

  /** [data start, size] of every local entry, found by walking the local headers from the start. */
  private static List<long[]> localEntries(Path file) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file)) {
      long pos = 0;
      ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
      while (true) {
        h.clear();
        ch.read(h, pos);
        if (h.getInt(0) != 0x04034b50) return out;
        int nameLength = h.getShort(26) & 0xffff;
        int extraLength = h.getShort(28) & 0xffff;
        long size = h.getInt(22) & 0xFFFFFFFFL;
        if (size == 0xFFFFFFFFL) { // ZIP64 record first in the extra field
          ByteBuffer x = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
          ch.read(x, pos + 30 + nameLength);
          assertEquals(1, x.getShort(0));
          size = x.getLong(4);
        }
        long data = pos + 30 + nameLength + extraLength;
        out.add(new long[] {data, size});
        pos = data + size;
      }
    }
  }

  private void assertNoTempFiles() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  private static String text(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
