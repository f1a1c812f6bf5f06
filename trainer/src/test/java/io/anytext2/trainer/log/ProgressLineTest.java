package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advance(double seconds) {
    nanos.addAndGet((long) (seconds * 1e9));
  }

  private static Map<String, Double> values(double loss, double lr) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("lr", lr);
    return m;
  }

  @Test
  void aTerminalLineShowsBarValuesRateAndEta() {
    ProgressLine line = new ProgressLine(out, true, 100, 0, nanos::get, 200);
    line.prefix("epoch 0");
    line.update(1, values(0.5, 2e-5));
    assertEquals("", text(), "nothing drawn before the refresh interval");
    advance(0.5);
    line.update(10, values(0.123456, 2e-5));
    // 10 steps in 0.5 s = 20 it/s; 90 steps left = 4.5 s
    assertEquals("\repoch 0 |  10% [##..................] 10/100 | loss 0.1235 lr 2e-05 | 20.00 it/s | 0:00:00 < 0:00:04",
        text());
    advance(1);
    line.update(40, values(0.1, 2e-5));
    // instant rate 30 it/s, smoothed 0.3*30 + 0.7*20 = 23; the shorter line is padded over the old one
    assertTrue(text().endsWith("\repoch 0 |  40% [########............] 40/100 | loss 0.1 lr 2e-05 | 23.00 it/s"
        + " | 0:00:01 < 0:00:02   "), text());
    line.close();
    assertTrue(text().endsWith("\n"));
  }

  @Test
  void aLogGetsALineEveryThirtySecondsAndOneAtClose() {
    ProgressLine line = new ProgressLine(out, false, 1000, 0, nanos::get, 200);
    for (int step = 1; step <= 100; step++) {
      advance(1);
      line.update(step, values(1.0 / step, 1e-4));
    }
    line.close();
    String[] lines = text().split("\n");
    assertEquals(4, lines.length, text()); // at 30, 60, 90 s and at close
    assertTrue(lines[0].contains(" 30/1000 ") && lines[0].contains("1.00 it/s"), lines[0]);
    assertTrue(lines[3].contains(" 100/1000 ") && lines[3].contains("0:01:40 < 0:15:00"), lines[3]);
    assertTrue(!text().contains("\r"));
  }

  @Test
  void aResumedRunCountsTheRateFromItsStartStep() {
    ProgressLine line = new ProgressLine(out, true, 2000, 1500, nanos::get, 200);
    advance(2);
    line.update(1510, Map.of());
    assertTrue(text().contains("1510/2000 | 5.00 it/s"), text());
  }

  @Test
  void unknownTotalLongLinesAndMessages() {
    ProgressLine line = new ProgressLine(out, true, 0, 0, nanos::get, 40);
    advance(1);
    line.update(7, values(0.25, 1));
    String drawn = text().substring(1);
    assertEquals(40, drawn.length());
    assertTrue(drawn.startsWith("step 7 | loss 0.25 lr 1 | 7.00 it/s"), drawn);
    assertTrue(drawn.endsWith("…"));
    line.message("saved epoch=0-step=7");
    assertTrue(text().endsWith("\r" + " ".repeat(40) + "\rsaved epoch=0-step=7" + System.lineSeparator()), text());
    line.close();
    line.close();
    assertThrows(IllegalStateException.class, () -> line.update(8, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new ProgressLine(out, true, 0, 0, nanos::get, 5));
  }

  @Test
  void numbersAndDurationsAreCompact() {
    assertEquals("0.1235", ProgressLine.compact(0.123456));
    assertEquals("2e-05", ProgressLine.compact(2e-5));
    assertEquals("-1.235e+05", ProgressLine.compact(-123456));
    assertEquals("12.5", ProgressLine.compact(12.5));
    assertEquals("0", ProgressLine.compact(0));
    assertEquals("nan", ProgressLine.compact(Double.NaN));
    assertEquals("1:01:01", ProgressLine.duration(3661.9));
    assertEquals("27:46:40", ProgressLine.duration(100_000));
  }
}
