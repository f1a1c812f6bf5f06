package io.anytext2.eval.bench;

import io.anytext2.sdk.prep.Polygon;
import java.util.List;

/**
 * One image of a benchmark file (TRAINING.md §1.2, §5.2).
 *
 * @param imgName the {@code img_name} field (relative to the file's {@code data_root})
 * @param caption the raw {@code caption} field (CLIPScore reads it unchanged, §5.5)
 * @param lines the evaluated lines: non-empty polygon, {@code valid} not false, the first
 *     {@link BenchmarkFile#MAX_LINES}, texts cut to {@link BenchmarkFile#MAX_CHARS} code points
 */
public record BenchmarkEntry(String imgName, String caption, List<BenchmarkLine> lines) {
  /** The placeholder the captions may contain; generation replaces it by a space (§5.2 step 2). */
  public static final String PLACEHOLDER = "*";
  /** The line an entry without valid lines is generated with (§5.2 step 1, {@code load_data}). */
  public static final BenchmarkLine DUMMY_LINE = new BenchmarkLine(" ", Polygon.of(0, 0, 0, 50, 50, 50, 50, 0), "");

  public BenchmarkEntry {
    if (imgName == null || imgName.isBlank()) throw new IllegalArgumentException("expected an img_name, found none");
    caption = caption == null ? "" : caption;
    lines = List.copyOf(lines);
    stemOf(imgName); // validates
  }

  /** The generated images' name prefix: {@code img_name.split('.')[0]} as the original scripts cut it. */
  public String stem() {
    return stemOf(imgName);
  }

  /** File name of generated image {@code k}: {@code <stem>_<k>.jpg}. */
  public String imageName(int k) {
    return stem() + "_" + k + ".jpg";
  }

  /** The image prompt before the added prompt: the caption with every {@code *} replaced by a space. */
  public String imageCaption() {
    return caption.replace(PLACEHOLDER, " ");
  }

  /** The lines the model is conditioned on: {@link #lines}, or the dummy line when there is none. */
  public List<BenchmarkLine> generationLines() {
    return lines.isEmpty() ? List.of(DUMMY_LINE) : lines;
  }

  private static String stemOf(String imgName) {
    int dot = imgName.indexOf('.');
    String stem = dot < 0 ? imgName : imgName.substring(0, dot);
    String norm = stem.replace('\\', '/');
    if (stem.isEmpty() || norm.startsWith("/") || norm.endsWith("/") || java.util.Arrays.asList(norm.split("/")).contains("..")) {
      throw new IllegalArgumentException("expected img_name to be a relative file name, found '" + imgName + "'");
    }
    return stem;
  }
}
