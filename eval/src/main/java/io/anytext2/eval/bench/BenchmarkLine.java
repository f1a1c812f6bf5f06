package io.anytext2.eval.bench;

import io.anytext2.sdk.prep.Polygon;

/**
 * One text line of a benchmark entry as the evaluation uses it.
 *
 * @param text the ground truth, already cut to {@link BenchmarkFile#MAX_CHARS} code points
 * @param polygon where the line is, in the 512x512 frame of the benchmark (not rescaled, P-18)
 * @param language the annotation's {@code language} field ("" when absent)
 */
public record BenchmarkLine(String text, Polygon polygon, String language) {
  public BenchmarkLine {
    if (text == null) throw new IllegalArgumentException("expected a line text, found null");
    if (polygon == null) throw new IllegalArgumentException("expected a polygon for line '" + text + "', found null");
    language = language == null ? "" : language;
  }
}
