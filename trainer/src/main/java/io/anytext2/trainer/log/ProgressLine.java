package io.anytext2.trainer.log;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A console progress line for the training loop, in the manner of Lightning's tqdm bar:
 *
 * <pre>epoch 3 |  42% [########............] 6300/15000 | loss 0.1234 lr 2e-05 | 1.85 it/s | 0:56:40 &lt; 1:18:22</pre>
 *
 * <p>On a terminal the line is redrawn in place ({@code \r}) at most every {@link
 * #TERMINAL_REFRESH_NANOS}; elsewhere (a log file, CI) a full line is printed at most every {@link
 * #LOG_REFRESH_NANOS}, so logs stay short. Steps per second is an exponential moving average of
 * the rate between redraws (tqdm's smoothing 0.3), counted from the step the line started at, so a
 * resumed run's rate and ETA are right from the start. Thread-safe.
 */
public final class ProgressLine implements AutoCloseable {
  /** Redraw interval on a terminal: 0.25 s. */
  public static final long TERMINAL_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /** Line interval when the output is not a terminal: 30 s. */
  public static final long LOG_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final double SMOOTHING = 0.3;
  private static final int BAR_CELLS = 20;

  private final PrintStream out;
  private final boolean interactive;
  private final long totalSteps;
  private final LongSupplier nanoClock;
  private final int maxWidth;
  private final long startNanos;
  private String prefix = "";
  /** Step and time of the last rate measurement (the last draw). */
  private long lastStep;
  private long lastDrawNanos;
  /** The newest step reported. */
  private long latestStep;
  private double rate = Double.NaN;
  private int lastLength;
  private Map<String, Double> lastValues = Map.of();
  private boolean closed;

  /**
   * @param out where to draw
   * @param interactive redraw one line in place (a terminal) or print lines (a log)
   * @param totalSteps the last step of the run (e.g. epochs x steps per epoch), 0 or less if unknown
   * @param startStep the step training starts or resumes at
   * @param nanoClock a monotonic clock ({@code System::nanoTime}; tests pass their own)
   * @param maxWidth longest line drawn, in characters
   */
  public ProgressLine(PrintStream out, boolean interactive, long totalSteps, long startStep, LongSupplier nanoClock,
      int maxWidth) {
    if (maxWidth < 20) {
      throw new IllegalArgumentException("expected a line width of at least 20 characters, found " + maxWidth);
    }
    this.out = out;
    this.interactive = interactive;
    this.totalSteps = totalSteps;
    this.nanoClock = nanoClock;
    this.maxWidth = maxWidth;
    this.lastStep = startStep;
    this.latestStep = startStep;
    this.startNanos = nanoClock.getAsLong();
    this.lastDrawNanos = startNanos;
  }

  /**
   * A line on standard error: in place when a console is attached, else a line every 30 s; width
   * from the {@code COLUMNS} environment variable (default 120).
   */
  public static ProgressLine toConsole(long totalSteps, long startStep) {
    int width = 120;
    try {
      width = Math.max(20, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120").strip()));
    } catch (NumberFormatException e) {
      // keep the default
    }
    return new ProgressLine(System.err, System.console() != null, totalSteps, startStep, System::nanoTime, width);
  }

  /** Text before the bar, e.g. "epoch 3". */
  public synchronized void prefix(String text) {
    this.prefix = text == null ? "" : text;
  }

  /**
   * Reports the step just finished and the values to show (e.g. {@code {"loss": 0.12, "lr": 2e-5}},
   * in map order); draws when the refresh interval has passed.
   */
  public synchronized void update(long step, Map<String, ? extends Number> values) {
    if (closed) {
      throw new IllegalStateException("ProgressLine is closed");
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, v.doubleValue()));
    lastValues = copy;
    latestStep = step;
    long now = nanoClock.getAsLong();
    long interval = interactive ? TERMINAL_REFRESH_NANOS : LOG_REFRESH_NANOS;
    if (now - lastDrawNanos >= interval) {
      measure(step, now);
      draw(render(step));
    }
  }

  /** Prints a message on its own line, keeping the progress line below it on a terminal. */
  public synchronized void message(String text) {
    if (interactive && lastLength > 0) {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      lastLength = 0;
    }
    out.println(text);
    out.flush();
  }

  /** Draws the final state and ends the line. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long now = nanoClock.getAsLong();
    if (latestStep > lastStep) {
      measure(latestStep, now);
    }
    draw(render(latestStep));
    if (interactive) {
      out.println();
    }
    out.flush();
  }

  private void measure(long step, long now) {
    double seconds = (now - lastDrawNanos) / 1e9;
    if (seconds > 0 && step >= lastStep) {
      double instant = (step - lastStep) / seconds;
      rate = Double.isNaN(rate) ? instant : SMOOTHING * instant + (1 - SMOOTHING) * rate;
    }
    lastStep = step;
    lastDrawNanos = now;
  }

  /** The line for a step with the current rate and values (no drawing). */
  synchronized String render(long step) {
    StringBuilder line = new StringBuilder();
    if (!prefix.isEmpty()) {
      line.append(prefix).append(" | ");
    }
    if (totalSteps > 0) {
      double fraction = Math.max(0, Math.min(1, (double) step / totalSteps));
      int filled = (int) Math.floor(fraction * BAR_CELLS);
      line.append(String.format(Locale.ROOT, "%3d%% [", (int) Math.floor(fraction * 100)))
          .append("#".repeat(filled)).append(".".repeat(BAR_CELLS - filled)).append("] ")
          .append(step).append('/').append(totalSteps);
    } else {
      line.append("step ").append(step);
    }
    if (!lastValues.isEmpty()) {
      line.append(" |");
      lastValues.forEach((k, v) -> line.append(' ').append(k).append(' ').append(compact(v)));
    }
    long elapsed = nanoClock.getAsLong() - startNanos;
    line.append(" | ").append(Double.isNaN(rate) ? "?" : String.format(Locale.ROOT, "%.2f", rate)).append(" it/s | ")
        .append(duration(elapsed / 1e9));
    if (totalSteps > 0) {
      line.append(" < ").append(Double.isNaN(rate) || rate <= 0 ? "?" : duration(Math.max(0, totalSteps - step) / rate));
    }
    return line.length() > maxWidth ? line.substring(0, maxWidth - 1) + "…" : line.toString();
  }

  private void draw(String line) {
    if (interactive) {
      int pad = Math.max(0, lastLength - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Four significant digits, scientific outside [1e-3, 1e5). */
  static String compact(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v == 0 ? "0" : Double.toString(v).toLowerCase(Locale.ROOT);
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) {
      return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
    String s = String.format(Locale.ROOT, "%.3e", v); // e.g. 2.000e-05
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e).replaceAll("\\.?0+$", "");
    return mantissa + s.substring(e);
  }

  /** H:MM:SS. */
  static String duration(double seconds) {
    long s = (long) Math.floor(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
