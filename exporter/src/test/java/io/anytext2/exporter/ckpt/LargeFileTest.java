package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files past the 2 GB (one mapped buffer, one Java array) and 4 GB (plain zip) limits. They write
 * about 9 GB to the temp directory, so they run only with {@code -Danytext2.large.tests=true}.
 */
class LargeFileTest {
  @TempDir Path tmp;

  @BeforeEach
  void onlyWhenAsked() {
    assumeTrue(Boolean.getBoolean("anytext2.large.tests"),
        "large-file tests write ~9 GB; enable with -Danytext2.large.tests=true");
  }

  private static byte patternByte(int tensor, long i) {
    return (byte) ((i * 31 + tensor * 7) ^ (i >>> 11));
  }

  /** Three 1.5 GB tensors: the last one starts past 3 GB and crosses two 1 GiB map windows. */
  @Test
  void safetensorsOverFourGigabytes() throws IOException {
    long n = 1_500_000_003L;
    List<TensorInfo> infos = List.of(new TensorInfo("a", DType.U8, new long[] {n}),
        new TensorInfo("b", DType.U8, new long[] {n}), new TensorInfo("c", DType.U8, new long[] {n}));
    Path file = tmp.resolve("big.safetensors");
    SafetensorsWriter.write(file, infos, info -> {
      int t = info.key().charAt(0) - 'a';
      byte[] data = new byte[(int) n];
      for (int i = 0; i < data.length; i++) {
        data[i] = patternByte(t, i);
      }
      return data;
    });
    assertTrue(Files.size(file) > 4_500_000_000L);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertTrue(st.dataPosition("c") > 3_000_000_000L);
      byte[] c = st.readBytes("c");
      assertEquals(n, c.length);
      for (int i = 0; i < c.length; i++) {
        if (c[i] != patternByte(2, i)) {
          throw new AssertionError("byte " + i + " of c differs");
        }
      }
    }
  }

  /** One 4.4 GB float storage (a ZIP64 entry); views at its start and past 4 GiB. */
  @Test
  void torchZip64WithViewsPastFourGigabytes() throws IOException {
    long numel = 1_100_000_000L;
    long farOffset = 1_073_741_900L; // element index; byte offset 4_294_967_600 > 2^32
    byte[] pickle = new PickleBuilder().proto(2).emptyDict().mark()
        .text("head").tensorV2("FloatStorage", "0", numel, 0, new long[] {1000}, new long[] {1})
        .text("far").tensorV2("FloatStorage", "0", numel, farOffset, new long[] {2, 500}, new long[] {500, 1})
        .text("far_t").tensorV2("FloatStorage", "0", numel, farOffset, new long[] {500, 2}, new long[] {1, 500})
        .setItems().stop().bytes();
    Path file = tmp.resolve("big.ckpt");
    CRC32 crc = new CRC32();
    streamPattern(numel, chunk -> crc.update(chunk.duplicate()));
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      PickleBuilder.stored(zip, "archive/data.pkl", pickle);
      ZipEntry data = new ZipEntry("archive/data/0");
      data.setMethod(ZipEntry.STORED);
      data.setSize(numel * 4);
      data.setCompressedSize(numel * 4);
      data.setCrc(crc.getValue());
      zip.putNextEntry(data);
      streamPattern(numel, chunk -> {
        try {
          zip.write(chunk.array(), 0, chunk.limit());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      zip.closeEntry();
    }
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      float[] head = ckpt.readFloats("head");
      float[] far = ckpt.readFloats("far");
      float[] farT = ckpt.readFloats("far_t");
      for (int i = 0; i < 1000; i++) {
        assertEquals(patternValue(i), head[i]);
        assertEquals(patternValue(farOffset + i), far[i]);
      }
      float[] transposed = new float[1000];
      for (int r = 0; r < 500; r++) {
        for (int c = 0; c < 2; c++) {
          transposed[r * 2 + c] = patternValue(farOffset + c * 500 + r);
        }
      }
      assertArrayEquals(transposed, farT);
    }
  }

  private static float patternValue(long i) {
    return (float) (i % 1_000_003);
  }

  private static void streamPattern(long numel, java.util.function.Consumer<ByteBuffer> sink) {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 23).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < numel; ) {
      chunk.clear();
      while (chunk.remaining() >= 4 && i < numel) {
        chunk.putFloat(patternValue(i++));
      }
      chunk.flip();
      sink.accept(chunk);
    }
  }
}
