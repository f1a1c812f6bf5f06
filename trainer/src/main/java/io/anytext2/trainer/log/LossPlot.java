package io.anytext2.trainer.log;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line plot of metrics CSV columns against step, drawn with Java2D: axes with tick labels and
 * grid, a title, axis labels, a legend, an optional logarithmic y axis (non-positive values are
 * left out there) and optional TensorBoard-style smoothing (the raw curve stays visible, faint).
 *
 * @param width image width in pixels (at least 200)
 * @param height image height in pixels (at least 150)
 * @param logScale base-10 logarithmic y axis
 * @param smoothing TensorBoard's exponential smoothing weight in [0, 1): 0 draws the raw values only
 * @param title text above the plot
 */
public record LossPlot(int width, int height, boolean logScale, double smoothing, String title) {
  private static final Color[] PALETTE = { // matplotlib's tab10
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
  };
  private static final int LEFT = 80;
  private static final int RIGHT = 24;
  private static final int TOP = 40;
  private static final int BOTTOM = 56;

  public LossPlot {
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException("expected a plot of at least 200x150 pixels, found " + width + "x" + height);
    }
    if (!(smoothing >= 0 && smoothing < 1)) {
      throw new IllegalArgumentException("expected a smoothing weight in [0, 1), found " + smoothing);
    }
    title = title == null ? "" : title;
  }

  /** 1000x600, linear y, no smoothing, titled "training loss". */
  public static LossPlot defaults() {
    return new LossPlot(1000, 600, false, 0, "training loss");
  }

  public LossPlot withLogScale(boolean log) {
    return new LossPlot(width, height, log, smoothing, title);
  }

  public LossPlot withSmoothing(double weight) {
    return new LossPlot(width, height, logScale, weight, title);
  }

  public LossPlot withTitle(String text) {
    return new LossPlot(width, height, logScale, smoothing, text);
  }

  /** Reads {@code csv} (see {@link MetricsCsv#read}) and writes the plot of {@code columns} to {@code png}. */
  public Path write(Path csv, List<String> columns, Path png) {
    ImageGrid.writePng(render(MetricsCsv.read(csv), columns), png);
    return png;
  }

  /** Draws the columns (each must exist in the table; empty cells and NaN are skipped). */
  public BufferedImage render(MetricsTable table, List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("expected at least one column to plot, found none");
    }
    List<double[]> ys = new ArrayList<>();
    for (String c : columns) {
      ys.add(table.column(c));
    }
    double[] xs = new double[table.rows()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = table.steps()[i];
    }
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (double[] y : ys) {
      for (int i = 0; i < y.length; i++) {
        if (usable(y[i])) {
          double v = logScale ? Math.log10(y[i]) : y[i];
          yMin = Math.min(yMin, v);
          yMax = Math.max(yMax, v);
          xMin = Math.min(xMin, xs[i]);
          xMax = Math.max(xMax, xs[i]);
        }
      }
    }
    boolean hasData = yMin <= yMax;
    Axis xAxis = hasData ? Axis.linear(xMin, xMax) : Axis.linear(0, 1);
    Axis yAxis = !hasData ? Axis.linear(0, 1) : logScale ? Axis.log(yMin, yMax) : Axis.linear(yMin, yMax);

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      TextPainter.prepare(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int plotW = width - LEFT - RIGHT;
      int plotH = height - TOP - BOTTOM;
      drawAxes(g, xAxis, yAxis, plotW, plotH);
      if (!hasData) {
        TextPainter label = new TextPainter(16);
        g.setColor(Color.GRAY);
        String text = "no data" + (logScale ? " (log scale shows positive values only)" : "");
        label.draw(g, text, LEFT + (plotW - label.width(text)) / 2, TOP + plotH / 2);
      } else {
        AffineTransform toPixels = new AffineTransform(
            plotW / (xAxis.hi - xAxis.lo), 0, 0, -plotH / (yAxis.hi - yAxis.lo),
            LEFT - xAxis.lo * plotW / (xAxis.hi - xAxis.lo), TOP + plotH + yAxis.lo * plotH / (yAxis.hi - yAxis.lo));
        g.setClip(LEFT, TOP, plotW + 1, plotH + 1);
        for (int s = 0; s < ys.size(); s++) {
          Color color = PALETTE[s % PALETTE.length];
          if (smoothing > 0) {
            g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 70));
            g.setStroke(new BasicStroke(1f));
            g.draw(curve(xs, ys.get(s), false, toPixels));
          }
          g.setColor(color);
          g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          g.draw(curve(xs, ys.get(s), smoothing > 0, toPixels));
        }
        g.setClip(null);
      }
      drawLegend(g, columns, plotW);
    } finally {
      g.dispose();
    }
    return image;
  }

  private boolean usable(double v) {
    return Double.isFinite(v) && (!logScale || v > 0);
  }

  /** The polyline of the usable points in pixel space, smoothed as TensorBoard does when asked. */
  private Shape curve(double[] xs, double[] ys, boolean smooth, AffineTransform toPixels) {
    Path2D.Double path = new Path2D.Double();
    double last = 0;
    int n = 0;
    double previousX = Double.NaN;
    for (int i = 0; i < ys.length; i++) {
      if (!usable(ys[i])) {
        continue;
      }
      double v = logScale ? Math.log10(ys[i]) : ys[i];
      if (smooth) { // exponential moving average, debiased like TensorBoard's smoothing slider
        last = last * smoothing + (1 - smoothing) * v;
        n++;
        v = last / (1 - Math.pow(smoothing, n));
      }
      if (xs[i] >= previousX) {
        path.lineTo(xs[i], v);
      } else { // first point, or the step went back (rows of a resumed run): start a new piece
        path.moveTo(xs[i], v);
        path.lineTo(xs[i], v); // so that a lone point still shows as a round dot
      }
      previousX = xs[i];
    }
    return toPixels.createTransformedShape(path);
  }

  private void drawAxes(Graphics2D g, Axis x, Axis y, int plotW, int plotH) {
    TextPainter tick = new TextPainter(12);
    TextPainter label = new TextPainter(14);
    g.setStroke(new BasicStroke(1f));
    for (double t : y.minorTicks) {
      int py = TOP + plotH - (int) Math.round((t - y.lo) / (y.hi - y.lo) * plotH);
      g.setColor(new Color(0xf0f0f0));
      g.drawLine(LEFT, py, LEFT + plotW, py);
    }
    for (int i = 0; i < y.ticks.size(); i++) {
      int py = TOP + plotH - (int) Math.round((y.ticks.get(i) - y.lo) / (y.hi - y.lo) * plotH);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, py, LEFT + plotW, py);
      g.setColor(Color.BLACK);
      g.drawLine(LEFT - 5, py, LEFT, py);
      String text = y.labels.get(i);
      tick.draw(g, text, LEFT - 8 - tick.width(text), py + tick.ascent() / 2 - 1);
    }
    for (int i = 0; i < x.ticks.size(); i++) {
      int px = LEFT + (int) Math.round((x.ticks.get(i) - x.lo) / (x.hi - x.lo) * plotW);
      g.setColor(new Color(0xdddddd));
      g.drawLine(px, TOP, px, TOP + plotH);
      g.setColor(Color.BLACK);
      g.drawLine(px, TOP + plotH, px, TOP + plotH + 5);
      String text = x.labels.get(i);
      tick.draw(g, text, px - tick.width(text) / 2, TOP + plotH + 8 + tick.ascent());
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    String xLabel = "step";
    label.draw(g, xLabel, LEFT + (plotW - label.width(xLabel)) / 2, height - 10);
    String yLabel = logScale ? "value (log scale)" : "value";
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    label.draw(g, yLabel, -(TOP + (plotH + label.width(yLabel)) / 2), 18);
    g.setTransform(saved);
    TextPainter titleFont = new TextPainter(16);
    titleFont.draw(g, title, LEFT + (plotW - titleFont.width(title)) / 2, TOP - 14);
  }

  private void drawLegend(Graphics2D g, List<String> columns, int plotW) {
    TextPainter text = new TextPainter(13);
    int lineH = text.lineHeight() + 2;
    int textW = columns.stream().mapToInt(text::width).max().orElse(0);
    int boxW = textW + 40;
    int boxH = columns.size() * lineH + 8;
    int x = LEFT + plotW - boxW - 8;
    int y = TOP + 8;
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect(x, y, boxW, boxH);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, boxW, boxH);
    for (int i = 0; i < columns.size(); i++) {
      int baseline = y + 4 + i * lineH + text.ascent();
      g.setColor(PALETTE[i % PALETTE.length]);
      g.setStroke(new BasicStroke(3f));
      int mid = baseline - text.ascent() / 2 + 1;
      g.drawLine(x + 6, mid, x + 28, mid);
      g.setColor(Color.BLACK);
      text.draw(g, columns.get(i), x + 34, baseline);
    }
  }

  /** An axis range in plot units (log10 of the value on a log axis) with labelled and minor ticks. */
  private static final class Axis {
    final double lo;
    final double hi;
    final List<Double> ticks = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    final List<Double> minorTicks = new ArrayList<>();

    private Axis(double lo, double hi) {
      this.lo = lo;
      this.hi = hi;
    }

    /** Ticks at 1, 2 or 5 times a power of ten, about six of them; the range ends on ticks. */
    static Axis linear(double min, double max) {
      if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double step = niceStep((max - min) / 6);
      Axis a = new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step);
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      boolean scientific = step < 1e-4 || Math.max(Math.abs(a.lo), Math.abs(a.hi)) >= 1e7;
      for (long k = Math.round(a.lo / step); k * step <= a.hi + step * 1e-9; k++) {
        double t = k * step;
        a.ticks.add(t);
        a.labels.add(scientific ? String.format(Locale.ROOT, "%.2g", t)
            : String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(t) < step * 1e-9 ? 0.0 : t));
      }
      return a;
    }

    /** Decades (every k-th when many) labelled 10^k; minor ticks at 2..9 times each decade. */
    static Axis log(double log10Min, double log10Max) {
      double lo = Math.floor(log10Min);
      double hi = Math.ceil(log10Max);
      if (hi == lo) {
        hi = lo + 1;
      }
      Axis a = new Axis(lo, hi);
      int every = (int) Math.ceil((hi - lo) / 8);
      for (int k = (int) lo; k <= hi; k++) {
        if ((k - (int) lo) % every == 0) {
          a.ticks.add((double) k);
          a.labels.add(Math.abs(k) <= 3 ? plainPowerOfTen(k) : "1e" + k);
        }
        if (k < hi && every == 1) {
          for (int m = 2; m <= 9; m++) {
            a.minorTicks.add(k + Math.log10(m));
          }
        }
      }
      return a;
    }

    private static String plainPowerOfTen(int k) {
      return k >= 0 ? String.valueOf((long) Math.pow(10, k)) : String.format(Locale.ROOT, "%." + (-k) + "f", Math.pow(10, k));
    }

    private static double niceStep(double raw) {
      double p = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / p;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
  }
}
