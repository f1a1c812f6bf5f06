package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.Polygon;
import java.nio.file.Path;
import java.util.List;

/**
 * One image of an AnyWord-3M annotation file after load-time processing (TRAINING.md §1.2, §1.6).
 *
 * @param imagePath {@code data_root/img_name} (§1.4)
 * @param caption the caption with every {@code *} replaced by a space and the watermark suffix
 *     appended when the entry has a {@code wm_score} (the ". " of §2.2 step 3 is added at sample
 *     time)
 * @param lines the valid lines in annotation order (may be empty: a text-free image)
 * @param invalidPolygons polygons of {@code valid: false} lines (always masked out of the loss)
 * @param source the annotation file the entry came from
 * @param index the entry's position in that file's {@code data_list}
 */
public record AnyWordEntry(
    Path imagePath,
    String caption,
    List<TextAnnotation> lines,
    List<Polygon> invalidPolygons,
    Path source,
    int index) {

  public AnyWordEntry {
    lines = List.copyOf(lines);
    invalidPolygons = List.copyOf(invalidPolygons);
  }

  /** "data.json entry 12 (images/x.jpg)": where a problem with this entry comes from. */
  public String describe() {
    return source.getFileName() + " entry " + index + " (" + imagePath + ")";
  }
}
