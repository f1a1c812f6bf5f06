package io.anytext2.trainer.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code metrics.csv} of training scalars: header {@code step,loss_simple,loss_ocr,loss_ctc,lr}
 * plus the extra columns declared at creation, one row per {@link #append}, flushed at once.
 *
 * <p>Reopening a file appends to it (the header is written only into an empty file and must match
 * the declared columns). A row cut short by a crash (no final newline) is dropped when the file is
 * reopened. {@link #resume} also drops every row after the step a run resumes from, so that steps
 * trained again after a resume from an earlier checkpoint are not listed twice.
 *
 * <p>Numbers are written in their shortest round-trip form (a float-valued double as a float), NaN
 * and infinities as {@code nan}, {@code inf}, {@code -inf} (what Python's float() and pandas read);
 * a value left out of a row is an empty cell.
 */
public final class MetricsCsv implements AutoCloseable {
  /** The loss terms of TRAINING.md §3.5 and the learning rate, after "step". */
  public static final List<String> STANDARD_COLUMNS = List.of("loss_simple", "loss_ocr", "loss_ctc", "lr");
  /** The first column. */
  public static final String STEP = "step";

  private final Path file;
  private final List<String> columns;
  private final Writer out;
  private boolean closed;

  private MetricsCsv(Path file, List<String> columns) throws IOException {
    this.file = file;
    this.columns = columns;
    boolean empty = !Files.exists(file) || Files.size(file) == 0;
    this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    if (empty) {
      out.write(String.join(",", columns) + "\n");
      out.flush();
    }
  }

  /**
   * Opens {@code file} for appending, creating it (and its folder) with the header when absent or
   * empty. An existing header must equal {@code step, STANDARD_COLUMNS, extraColumns}.
   */
  public static MetricsCsv open(Path file, List<String> extraColumns) {
    List<String> columns = columns(extraColumns);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      if (Files.exists(file)) {
        dropPartialLastLine(file);
        checkHeader(file, columns);
      }
      return new MetricsCsv(file, columns);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /**
   * As {@link #open}, after removing every row whose step is greater than {@code resumedStep} (the
   * global step of the checkpoint the run resumes from). The file is rewritten atomically.
   */
  public static MetricsCsv resume(Path file, List<String> extraColumns, long resumedStep) {
    List<String> columns = columns(extraColumns);
    if (Files.exists(file)) {
      try {
        dropPartialLastLine(file);
        checkHeader(file, columns);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        kept.add(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
          if (!lines.get(i).isEmpty() && parseStep(file, i + 1, lines.get(i)) <= resumedStep) {
            kept.add(lines.get(i));
          }
        }
        if (kept.size() < lines.size()) {
          AtomicFiles.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rewrite " + file + " for resume", e);
      }
    }
    return open(file, extraColumns);
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** All columns, "step" first. */
  public List<String> columns() {
    return columns;
  }

  /** Appends a row of the standard columns (extra columns left empty). */
  public void append(long step, double lossSimple, double lossOcr, double lossCtc, double lr) {
    append(step, Map.of("loss_simple", lossSimple, "loss_ocr", lossOcr, "loss_ctc", lossCtc, "lr", lr));
  }

  /**
   * Appends a row. Keys must be declared value columns; columns not in the map stay empty.
   */
  public synchronized void append(long step, Map<String, ? extends Number> values) {
    if (closed) {
      throw new IllegalStateException("MetricsCsv for " + file + " is closed");
    }
    for (String key : values.keySet()) {
      if (key.equals(STEP) || !columns.contains(key)) {
        throw new IllegalArgumentException("expected a value column of " + columns.subList(1, columns.size())
            + ", found \"" + key + "\"");
      }
    }
    StringBuilder row = new StringBuilder().append(step);
    for (int c = 1; c < columns.size(); c++) {
      row.append(',');
      Number v = values.get(columns.get(c));
      if (v != null) {
        row.append(format(v.doubleValue()));
      }
    }
    try {
      out.write(row.append('\n').toString());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  /** Reads a metrics CSV (any columns, "step" first); empty cells become NaN. */
  public static MetricsTable read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (lines.isEmpty() || !lines.get(0).startsWith(STEP)) {
      throw new IllegalArgumentException("expected a CSV whose header starts with \"step\", found "
          + (lines.isEmpty() ? "an empty file" : "\"" + lines.get(0) + "\"") + " in " + file);
    }
    String[] header = lines.get(0).split(",", -1);
    List<String> valueColumns = List.of(header).subList(1, header.length);
    List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isEmpty()).toList();
    long[] steps = new long[rows.size()];
    double[][] values = new double[valueColumns.size()][rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      String[] cells = rows.get(r).split(",", -1);
      if (cells.length != header.length) {
        throw new IllegalArgumentException("expected " + header.length + " cells in row " + (r + 2) + " of " + file
            + ", found " + cells.length);
      }
      steps[r] = parseStep(file, r + 2, rows.get(r));
      for (int c = 1; c < cells.length; c++) {
        values[c - 1][r] = parseValue(file, r + 2, cells[c]);
      }
    }
    return new MetricsTable(valueColumns, steps, values);
  }

  /** Shortest text that reads back as the same value (as float when the value is a float). */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    float f = (float) v;
    return ((double) f == v ? Float.toString(f) : Double.toString(v)).toLowerCase(Locale.ROOT);
  }

  private static double parseValue(Path file, int line, String cell) {
    String s = cell.strip().toLowerCase(Locale.ROOT);
    switch (s) {
      case "":
      case "nan":
        return Double.NaN;
      case "inf":
      case "infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf":
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a number in line " + line + " of " + file
              + ", found \"" + cell + "\"");
        }
    }
  }

  private static long parseStep(Path file, int line, String row) {
    int comma = row.indexOf(',');
    String cell = comma < 0 ? row : row.substring(0, comma);
    try {
      return Long.parseLong(cell.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer step in line " + line + " of " + file
          + ", found \"" + cell + "\"");
    }
  }

  private static List<String> columns(List<String> extraColumns) {
    List<String> columns = new ArrayList<>();
    columns.add(STEP);
    columns.addAll(STANDARD_COLUMNS);
    columns.addAll(extraColumns);
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (c == null || c.isBlank() || c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
        throw new IllegalArgumentException("expected a column name without comma, quote or newline, found \"" + c + "\"");
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException("expected unique column names, found \"" + c + "\" twice");
      }
    }
    return List.copyOf(columns);
  }

  private static void checkHeader(Path file, List<String> columns) throws IOException {
    String first;
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      first = reader.readLine();
    }
    String expected = String.join(",", columns);
    if (first != null && !first.equals(expected)) {
      throw new IllegalArgumentException("expected header \"" + expected + "\" in " + file + ", found \"" + first + "\"");
    }
  }

  /** Cuts the file after its last newline: a row whose write was interrupted is not kept. */
  private static void dropPartialLastLine(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep < size) {
        ch.truncate(keep);
      }
    }
  }
}
