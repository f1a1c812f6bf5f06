package io.anytext2.cli.parity;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The rows of a parity run and their verdict. */
public final class ParityReport {

  /** One compared tensor. {@code note} explains integer comparisons ("ids identical", "3 of 98304 off by 1"). */
  public record Row(String stage, String tensor, double maxAbs, double maxRel, String limit, boolean pass, String note) {}

  private final List<Row> rows = new ArrayList<>();

  /** Compares two float arrays; returns the row added. */
  public Row compare(String stage, String tensor, float[] ours, float[] ref, Tolerance tol) {
    if (ours.length != ref.length) {
      return add(new Row(stage, tensor, Double.NaN, Double.NaN, "-", false, "size " + ours.length + " vs reference " + ref.length));
    }
    double maxAbs = 0;
    double maxRef = 0;
    for (int i = 0; i < ref.length; i++) {
      double d = Math.abs((double) ours[i] - ref[i]);
      if (!(d <= maxAbs)) maxAbs = d; // NaN propagates as a failure
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
    }
    double rel = maxRef == 0 ? maxAbs : maxAbs / maxRef;
    String limit = tol.maxRel() > 0 ? String.format("%.0e abs or %.0e rel", tol.maxAbs(), tol.maxRel()) : String.format("%.0e abs", tol.maxAbs());
    return add(new Row(stage, tensor, maxAbs, rel, limit, !Double.isNaN(maxAbs) && tol.accepts(maxAbs, maxRef), ""));
  }

  /** Integer ids: identical or fail. */
  public Row compareIds(String stage, String tensor, long[] ours, long[] ref) {
    boolean same = java.util.Arrays.equals(ours, ref);
    int diff = 0;
    for (int i = 0; i < Math.min(ours.length, ref.length); i++) if (ours[i] != ref[i]) diff++;
    String note = same ? "identical" : (ours.length != ref.length ? "length " + ours.length + " vs " + ref.length : diff + " ids differ");
    return add(new Row(stage, tensor, same ? 0 : Double.NaN, same ? 0 : Double.NaN, "exact", same, note));
  }

  /** uint8 images: |difference| ≤ 1 on at most 0.1 % of the values. */
  public Row compareUint8(String stage, String tensor, byte[] ours, byte[] ref) {
    if (ours.length != ref.length) return add(new Row(stage, tensor, Double.NaN, Double.NaN, "-", false, "size differs"));
    int off1 = 0;
    int worse = 0;
    int max = 0;
    for (int i = 0; i < ref.length; i++) {
      int d = Math.abs((ours[i] & 0xff) - (ref[i] & 0xff));
      max = Math.max(max, d);
      if (d == 1) off1++;
      if (d > 1) worse++;
    }
    boolean pass = worse == 0 && off1 <= ref.length / 1000;
    return add(new Row(stage, tensor, max, max / 255.0, "<=1 on <=0.1%", pass, off1 + " of " + ref.length + " off by 1, " + worse + " by more"));
  }

  public Row add(Row r) {
    rows.add(r);
    return r;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public boolean passed() {
    return !rows.isEmpty() && rows.stream().allMatch(Row::pass);
  }

  public long failures() {
    return rows.stream().filter(r -> !r.pass()).count();
  }

  public void print(PrintStream out) {
    out.printf("%-10s %-34s %11s %11s  %-20s %s%n", "stage", "tensor", "max-abs", "max-rel", "limit", "result");
    for (Row r : rows) {
      out.printf("%-10s %-34s %11.3e %11.3e  %-20s %s%s%n", r.stage(), r.tensor(), r.maxAbs(), r.maxRel(), r.limit(),
          r.pass() ? "ok" : "FAIL", r.note().isEmpty() ? "" : "  (" + r.note() + ")");
    }
    out.printf("parity: %d tensors, %d passed, %d failed%n", rows.size(), rows.size() - failures(), failures());
  }
}
