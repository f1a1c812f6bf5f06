package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
  private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_500L), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void crc32cMatchesTheCastagnoliCheckValue() {
    CRC32C crc = new CRC32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0xE3069283L, crc.getValue());
  }

  @Test
  void maskedCrcOfTheFirstRecordLengthIsTheOneEveryTensorFlowEventFileStartsWith() {
    // A TF event file starts with 18 00 00 00 00 00 00 00 a3 7f 4b 22: the record length 24 and
    // its masked CRC32C (checked independently with a bitwise CRC32C in Python).
    byte[] length = {24, 0, 0, 0, 0, 0, 0, 0};
    assertEquals(0x224b7fa3, TensorBoardWriter.maskedCrc32c(length, 0, 8));
  }

  @Test
  void firstRecordIsTheFileVersionEventByteForByte() throws Exception {
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, FIXED, "host")) {
      file = tb.file();
    }
    assertEquals("events.out.tfevents.1700000000.host", file.getFileName().toString());
    byte[] bytes = Files.readAllBytes(file);
    String wall = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(1_700_000_000.5).array());
    String data = "09" + wall + "1a0d" + HexFormat.of().formatHex("brain.Event:2".getBytes(StandardCharsets.US_ASCII));
    String expected = "1800000000000000" + "a37f4b22" + data;
    assertEquals(expected, HexFormat.of().formatHex(bytes, 0, 12 + 24));
    assertEquals(12 + 24 + 4, bytes.length);
  }

  @Test
  void scalarsReadBackWithTagsStepsAndWallTime() throws Exception {
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, FIXED, "host")) {
      file = tb.file();
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("t/sim", 0.125);
      values.put("t/loss", 0.25);
      tb.addScalars(values, 0);
      tb.addScalar("lr", 2e-5, 50);
      tb.addScalar("t/loss", 1.5, 1L << 40);
      // flushed on every write: readable before close
      assertEquals(4, EventFileReader.read(file).size());
    }
    List<EventFileReader.Event> events = EventFileReader.read(file);
    assertEquals(4, events.size());
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertTrue(events.get(0).values().isEmpty());

    EventFileReader.Event first = events.get(1);
    assertNull(first.fileVersion());
    assertEquals(0, first.step());
    assertEquals(1_700_000_000.5, first.wallTime());
    assertEquals(List.of("t/sim", "t/loss"), first.values().stream().map(EventFileReader.Value::tag).toList());
    assertEquals(0.125f, first.values().get(0).simpleValue());
    assertEquals(0.25f, first.values().get(1).simpleValue());

    assertEquals(50, events.get(2).step());
    assertEquals("lr", events.get(2).values().get(0).tag());
    assertEquals(2e-5f, events.get(2).values().get(0).simpleValue());
    assertEquals(1L << 40, events.get(3).step());
  }

  @Test
  void imagesAreStoredAsDecodablePngWithTheirSize() throws Exception {
    BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 2, 0x12ab34);
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, FIXED, "host")) {
      file = tb.file();
      tb.addImage("samples", image, 1000);
    }
    EventFileReader.Value value = EventFileReader.read(file).get(1).values().get(0);
    assertEquals("samples", value.tag());
    assertNull(value.simpleValue());
    assertEquals(5, value.image().height());
    assertEquals(7, value.image().width());
    assertEquals(3, value.image().colorspace());
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(value.image().png()));
    assertEquals(0x12ab34, decoded.getRGB(3, 2) & 0xFFFFFF);
  }

  @Test
  void theReaderRejectsAFlippedByte() throws Exception {
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, FIXED, "host")) {
      file = tb.file();
      tb.addScalar("x", 1, 1);
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1; // inside the last record's data
    assertThrows(IllegalStateException.class, () -> EventFileReader.records(bytes));
  }

  @Test
  void recordFramingIsLengthCrcDataCrc() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] data = {1, 2, 3};
    TensorBoardWriter.writeRecord(out, data);
    byte[] bytes = out.toByteArray();
    assertEquals(8 + 4 + 3 + 4, bytes.length);
    assertArrayEquals(data, EventFileReader.records(bytes).get(0));
  }

  @Test
  void twoWritersInOneSecondGetTwoFiles() {
    try (TensorBoardWriter a = TensorBoardWriter.open(dir, FIXED, "host");
        TensorBoardWriter b = TensorBoardWriter.open(dir, FIXED, "host")) {
      assertNotEquals(a.file(), b.file());
      assertTrue(b.file().getFileName().toString().startsWith("events.out.tfevents.1700000000.host"));
    }
  }

  @Test
  void badInputAndUseAfterCloseAreRejected() {
    TensorBoardWriter tb = TensorBoardWriter.open(dir, FIXED, "host");
    assertThrows(IllegalArgumentException.class, () -> tb.addScalar(" ", 1, 1));
    assertThrows(IllegalArgumentException.class, () -> tb.addScalar("x", 1, -1));
    tb.close();
    tb.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> tb.addScalar("x", 1, 1));
  }

  @Test
  void versionFoldersAreNumberedAfterTheLargestExisting() throws Exception {
    Path root = dir.resolve("lightning_logs");
    assertEquals(root.resolve("version_0"), TensorBoardWriter.nextVersionDir(root));
    Files.createDirectories(root.resolve("version_0"));
    Files.createDirectories(root.resolve("version_7"));
    Files.createDirectories(root.resolve("version_x"));
    Files.writeString(root.resolve("version_99"), "a file, not a run");
    assertEquals(root.resolve("version_8"), TensorBoardWriter.nextVersionDir(root));
  }

  @Test
  void defaultOpenUsesTheHostNameAndCurrentTime() {
    long before = System.currentTimeMillis() / 1000;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir.resolve("version_0"))) {
      String[] parts = tb.file().getFileName().toString().split("\\.", 5);
      assertEquals("events", parts[0]);
      assertEquals("tfevents", parts[2]);
      long seconds = Long.parseLong(parts[3]);
      assertTrue(seconds >= before && seconds <= before + 5, "epoch seconds " + seconds);
      assertTrue(parts[4].length() > 0);
    }
  }
}
