package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
  private static final int BLUE = 0x1f77b4; // first series colour
  private static final int ORANGE = 0xff7f0e; // second series colour

  @TempDir Path dir;

  /** A decaying noisy loss over 2000 steps, as a diffusion run logs it. */
  private Path sampleCsv() {
    Path file = dir.resolve("metrics.csv");
    Random random = new Random(7);
    try (MetricsCsv csv = MetricsCsv.open(file, List.of())) {
      for (int step = 0; step <= 2000; step += 10) {
        double sim = 0.02 + 0.3 * Math.exp(-step / 400.0) * (0.6 + 0.8 * random.nextDouble());
        csv.append(step, sim, 0.5 * sim, 0, 2e-5);
      }
    }
    return file;
  }

  @Test
  void writesAPngWithBothSeriesInsideThePlotArea() throws Exception {
    Path csv = sampleCsv();
    Path png = LossPlot.defaults().withSmoothing(0.6).write(csv, List.of("loss_simple", "loss_ocr"),
        dir.resolve("plots/loss.png"));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1000, image.getWidth());
    assertEquals(600, image.getHeight());
    assertTrue(count(image, BLUE) > 500, "first series drawn");
    assertTrue(count(image, ORANGE) > 500, "second series drawn");
    Path keep = Path.of(System.getProperty("anytext2.plot.out", ""));
    if (!keep.toString().isEmpty()) { // for looking at the picture: -Danytext2.plot.out=/tmp/plots
      Files.createDirectories(keep);
      Files.copy(png, keep.resolve("loss.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ImageIO.write(LossPlot.defaults().withLogScale(true).withTitle("log scale")
          .render(MetricsCsv.read(csv), List.of("loss_simple", "loss_ocr", "lr")), "png",
          keep.resolve("loss-log.png").toFile());
    }
  }

  @Test
  void theLogScaleSpreadsSmallValuesApart() {
    MetricsTable table = new MetricsTable(List.of("a"), new long[] {0, 1, 2, 3},
        new double[][] {{1000, 1, 0.01, 0.001}});
    BufferedImage linear = LossPlot.defaults().render(table, List.of("a"));
    BufferedImage log = LossPlot.defaults().withLogScale(true).render(table, List.of("a"));
    // On the linear axis steps 1..3 hug the bottom; on the log axis (1e-3..1e3) the curve from
    // step 1 (value 1, mid-height) to step 2 (0.01) crosses the middle rows.
    int midRowsLinear = countInRows(linear, BLUE, 250, 400, 300, 700);
    int midRowsLog = countInRows(log, BLUE, 250, 400, 300, 700);
    assertEquals(0, midRowsLinear);
    assertTrue(midRowsLog > 0);
  }

  @Test
  void nonPositiveValuesAreLeftOutOnALogAxisAndEmptyDataStillRenders() {
    MetricsTable table = new MetricsTable(List.of("a"), new long[] {0, 1}, new double[][] {{0, -1}});
    BufferedImage log = LossPlot.defaults().withLogScale(true).render(table, List.of("a"));
    assertEquals(0, countInRows(log, BLUE, 40, 544, 80, 700)); // nothing but the legend swatch at the right
    BufferedImage linear = LossPlot.defaults().render(table, List.of("a"));
    assertNotEquals(0, countInRows(linear, BLUE, 40, 544, 80, 700));
  }

  @Test
  void aStepGoingBackStartsANewPieceInsteadOfALineBack() {
    // rows of a resumed run that were not truncated: 0..100 at 0.9 (row 90), then again at 0.1 (row 494)
    MetricsTable table = new MetricsTable(List.of("a"), new long[] {0, 100, 0, 100}, new double[][] {{0.9, 0.9, 0.1, 0.1}});
    BufferedImage image = LossPlot.defaults().render(table, List.of("a"));
    assertEquals(0, countInRows(image, BLUE, 150, 450, 100, 950));
    assertTrue(countInRows(image, BLUE, 490, 498, 100, 950) > 500, "the second piece is drawn");
  }

  @Test
  void aSinglePointIsVisible() {
    MetricsTable table = new MetricsTable(List.of("a"), new long[] {5}, new double[][] {{0.3}});
    assertTrue(countInRows(LossPlot.defaults().render(table, List.of("a")), BLUE, 40, 544, 80, 700) > 0);
  }

  @Test
  void badArgumentsAreRejected() {
    MetricsTable table = new MetricsTable(List.of("a"), new long[] {0}, new double[][] {{1}});
    assertThrows(IllegalArgumentException.class, () -> LossPlot.defaults().render(table, List.of("b")));
    assertThrows(IllegalArgumentException.class, () -> LossPlot.defaults().render(table, List.of()));
    assertThrows(IllegalArgumentException.class, () -> LossPlot.defaults().withSmoothing(1));
    assertThrows(IllegalArgumentException.class, () -> new LossPlot(10, 10, false, 0, "t"));
  }

  private static int count(BufferedImage image, int rgb) {
    return countInRows(image, rgb, 0, image.getHeight(), 0, image.getWidth());
  }

  private static int countInRows(BufferedImage image, int rgb, int y0, int y1, int x0, int x1) {
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
      }
    }
    return n;
  }
}
