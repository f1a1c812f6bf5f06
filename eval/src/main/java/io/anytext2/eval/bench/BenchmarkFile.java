package io.anytext2.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.sdk.prep.IntPoint;
import io.anytext2.sdk.prep.Polygon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An AnyText-benchmark / AnyWord annotation file ({@code {"data_root": …, "data_list": [...]}},
 * TRAINING.md §1, §5.1), read with the line selection of the original evaluation scripts.
 *
 * @param name short name for reports and output folders ({@code laion_word}, {@code wukong_word}, …)
 * @param file the JSON file
 * @param dataRoot the {@code data_root} field resolved against the file's folder (null when absent)
 * @param language {@code en} for a {@code laion} path, {@code zh} for a {@code wukong} path (the
 *     original picks its NED dictionary this way, §5.3 step 6), else {@code ""}
 */
public record BenchmarkFile(String name, Path file, Path dataRoot, String language, List<BenchmarkEntry> entries) {
  /** {@code max_lines} of the evaluation scripts (§5.2 step 1). */
  public static final int MAX_LINES = 20;
  /** {@code max_chars} of the evaluation scripts. */
  public static final int MAX_CHARS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  public BenchmarkFile {
    entries = List.copyOf(entries);
  }

  /** Reads one JSON file; a clear IllegalArgumentException naming the entry that is malformed. */
  public static BenchmarkFile read(Path json) {
    if (!Files.isRegularFile(json)) throw new IllegalArgumentException("benchmark file " + json + " does not exist");
    JsonNode root;
    try {
      root = JSON.readTree(json.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("benchmark file " + json + " is not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
    JsonNode list = root == null ? null : root.get("data_list");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("expected a benchmark JSON with a data_list array, found none in " + json);
    }
    List<BenchmarkEntry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        entries.add(entry(list.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(json + ": data_list[" + i + "]: " + e.getMessage());
      }
    }
    JsonNode dr = root.get("data_root");
    Path parent = json.toAbsolutePath().getParent();
    Path dataRoot = dr == null || !dr.isTextual() ? null : parent.resolve(dr.asText());
    return new BenchmarkFile(defaultName(json), json, dataRoot, languageOf(json), entries);
  }

  /** The first {@code limit} entries (all when limit ≤ 0). */
  public BenchmarkFile limit(int limit) {
    if (limit <= 0 || limit >= entries.size()) return this;
    return new BenchmarkFile(name, file, dataRoot, language, entries.subList(0, limit));
  }

  public BenchmarkFile withName(String newName) {
    return new BenchmarkFile(newName, file, dataRoot, language, entries);
  }

  /** Number of evaluated lines over all entries (each counted once, not per image). */
  public int lineCount() {
    return entries.stream().mapToInt(e -> e.lines().size()).sum();
  }

  static BenchmarkEntry entry(JsonNode e) {
    if (e == null || !e.isObject()) throw new IllegalArgumentException("expected an object, found " + e);
    JsonNode name = e.get("img_name");
    if (name == null || !name.isTextual()) throw new IllegalArgumentException("expected an img_name string, found " + name);
    JsonNode cap = e.get("caption");
    List<BenchmarkLine> lines = new ArrayList<>();
    JsonNode anns = e.get("annotations");
    if (anns != null && anns.isArray()) {
      for (JsonNode a : anns) {
        JsonNode poly = a.get("polygon");
        if (poly == null || !poly.isArray() || poly.isEmpty()) continue; // dropped, as load_data does
        JsonNode valid = a.get("valid");
        if (valid != null && valid.isBoolean() && !valid.asBoolean()) continue;
        if (lines.size() == MAX_LINES) break; // only the first max_lines lines are used
        JsonNode text = a.get("text");
        if (text == null || !text.isTextual()) throw new IllegalArgumentException("expected a text string in every annotation, found " + text);
        JsonNode lang = a.get("language");
        lines.add(new BenchmarkLine(firstCodePoints(text.asText(), MAX_CHARS), polygon(poly), lang == null ? "" : lang.asText()));
      }
    }
    return new BenchmarkEntry(name.asText(), cap == null || cap.isNull() ? "" : cap.asText(), lines);
  }

  private static Polygon polygon(JsonNode poly) {
    List<IntPoint> pts = new ArrayList<>();
    for (JsonNode p : poly) {
      if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
        throw new IllegalArgumentException("expected polygon points [x, y], found " + p);
      }
      pts.add(new IntPoint(integral(p.get(0)), integral(p.get(1))));
    }
    return new Polygon(pts);
  }

  /** OpenCV draws the polygons as int32 arrays; a fractional coordinate is not a benchmark polygon. */
  private static int integral(JsonNode v) {
    double d = v.asDouble();
    if (d != Math.rint(d) || Math.abs(d) > 1e6) throw new IllegalArgumentException("expected integer polygon coordinates, found " + v);
    return (int) d;
  }

  /** Python's {@code text[:n]}: code points, not UTF-16 units (P-25). */
  static String firstCodePoints(String s, int n) {
    int count = s.codePointCount(0, s.length());
    return count <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
  }

  static String languageOf(Path json) {
    String p = json.toAbsolutePath().toString().toLowerCase(Locale.ROOT);
    if (p.contains("wukong")) return "zh";
    if (p.contains("laion")) return "en";
    return "";
  }

  /** {@code laion_word/test1k.json} → {@code laion_word}; other file names add their stem. */
  static String defaultName(Path json) {
    String file = json.getFileName().toString();
    String stem = file.toLowerCase(Locale.ROOT).endsWith(".json") ? file.substring(0, file.length() - 5) : file;
    Path parent = json.toAbsolutePath().getParent();
    String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
    if (folder.isEmpty()) return stem;
    return stem.equals("test1k") ? folder : folder + "-" + stem;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
