package io.anytext2.trainer.log;

import java.util.List;

/**
 * The rows of a metrics CSV in memory: {@code columns} are the value columns (without "step"),
 * {@code values[c][r]} the value of column c in row r, NaN where the cell was empty.
 */
public record MetricsTable(List<String> columns, long[] steps, double[][] values) {

  public MetricsTable {
    columns = List.copyOf(columns);
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " value columns, found " + values.length);
    }
    for (int c = 0; c < values.length; c++) {
      if (values[c].length != steps.length) {
        throw new IllegalArgumentException("expected " + steps.length + " values in column " + columns.get(c)
            + ", found " + values[c].length);
      }
    }
  }

  /** Number of rows. */
  public int rows() {
    return steps.length;
  }

  /** The values of one column, one per row (NaN where empty). */
  public double[] column(String name) {
    int c = columns.indexOf(name);
    if (c < 0) {
      throw new IllegalArgumentException("expected one of the columns " + columns + ", found \"" + name + "\"");
    }
    return values[c].clone();
  }
}
