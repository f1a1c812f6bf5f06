package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
  @TempDir Path dir;

  @Test
  void writesTheHeaderOnceAndRowsInColumnOrder() throws Exception {
    Path file = dir.resolve("run/metrics.csv");
    try (MetricsCsv csv = MetricsCsv.open(file, List.of("epoch", "grad_norm"))) {
      assertEquals(List.of("step", "loss_simple", "loss_ocr", "loss_ctc", "lr", "epoch", "grad_norm"), csv.columns());
      csv.append(1, 0.5f, 0, 0, 2e-5f);
      csv.append(2, Map.of("loss_simple", 0.25, "epoch", 1, "lr", 2e-5));
    }
    assertEquals(List.of(
        "step,loss_simple,loss_ocr,loss_ctc,lr,epoch,grad_norm",
        "1,0.5,0,0,2.0e-5,,",
        "2,0.25,,,2.0e-5,1,"), Files.readAllLines(file));
  }

  @Test
  void reopeningAppendsWithoutASecondHeader() throws Exception {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      csv.append(1, 1, 0, 0, 1e-4);
    }
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      csv.append(2, 0.5, 0, 0, 1e-4);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertEquals(1, lines.stream().filter(l -> l.startsWith("step")).count());
    assertArrayEquals(new long[] {1, 2}, MetricsCsv.read(file).steps());
  }

  @Test
  void resumeDropsRowsAfterTheResumedStep() throws Exception {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      for (int step = 1; step <= 10; step++) {
        csv.append(step, 1.0 / step, 0, 0, 2e-5);
      }
    }
    try (MetricsCsv csv = MetricsCsv.resume(file, List.of(), 6)) {
      csv.append(7, 0.125, 0, 0, 2e-5);
    }
    MetricsTable table = MetricsCsv.read(file);
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7}, table.steps());
    assertEquals(0.125, table.column("loss_simple")[6]);
    assertEquals(1.0 / 3, table.column("loss_simple")[2], 1e-15);
    assertEquals(1, Files.readAllLines(file).stream().filter(l -> l.startsWith("step")).count());
  }

  @Test
  void resumeOfAMissingFileStartsOne() throws Exception {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.resume(file, List.of(), 100)) {
      csv.append(101, 1, 0, 0, 1);
    }
    assertEquals(2, Files.readAllLines(file).size());
  }

  @Test
  void aRowCutShortByACrashIsDroppedOnReopen() throws Exception {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      csv.append(1, 1, 0, 0, 1);
    }
    Files.writeString(file, "2,0.5,0", StandardOpenOption.APPEND); // no newline: interrupted write
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      csv.append(2, 0.5, 0, 0, 1);
    }
    assertEquals(List.of("step,loss_simple,loss_ocr,loss_ctc,lr", "1,1,0,0,1", "2,0.5,0,0,1"), Files.readAllLines(file));
  }

  @Test
  void aDifferentHeaderIsRejected() throws Exception {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.open(file, List.of("epoch"))) {
      csv.append(1, 1, 0, 0, 1);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsCsv.open(file, List.of()));
    assertTrue(e.getMessage().contains("expected header"), e.getMessage());
  }

  @Test
  void unknownColumnsAndBadNamesAreRejected() {
    try (MetricsCsv csv = MetricsCsv.open(dir.resolve("m.csv"), List.of())) {
      assertThrows(IllegalArgumentException.class, () -> csv.append(1, Map.of("loss", 1)));
      assertThrows(IllegalArgumentException.class, () -> csv.append(1, Map.of("step", 1)));
    }
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.open(dir.resolve("a.csv"), List.of("a,b")));
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.open(dir.resolve("b.csv"), List.of("lr")));
  }

  @Test
  void numbersRoundTripIncludingNonFiniteValues() throws Exception {
    Path file = dir.resolve("metrics.csv");
    double[] values = {0.1f, 0.1, 1e-30, -3.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789};
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      for (int i = 0; i < values.length; i++) {
        csv.append(i, values[i], 0, 0, 0);
      }
    }
    double[] read = MetricsCsv.read(file).column("loss_simple");
    assertEquals(0.1f, (float) read[0]); // a float-valued entry reads back as the same float
    for (int i = 1; i < values.length; i++) {
      assertEquals(values[i], read[i], "entry " + i); // other doubles exactly
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains("\n0,0.1,"), "a float value is written as the float's shortest form");
    assertTrue(text.contains(",nan,") && text.contains(",inf,") && text.contains(",-inf,"), text);
  }

  @Test
  void readRejectsMalformedRows() throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "step,a\n1,2\n2,x\n");
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(file));
    Files.writeString(file, "step,a\n1,2,3\n");
    assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(file));
  }
}
