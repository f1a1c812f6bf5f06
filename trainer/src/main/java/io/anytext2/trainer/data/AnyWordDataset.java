package io.anytext2.trainer.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AnyWord-3M training list (TRAINING.md §1): the concatenation, in the given order, of the
 * entries kept from each annotation file, each cut to its {@code percent} prefix (§1.5).
 *
 * <p>Files are read with a streaming parser (one {@code data_list} element in memory at a time),
 * so the 3M-image lists load without a whole-file tree. A malformed element (wrong type, missing
 * field, bad polygon, unknown language) is skipped and counted as a {@link DataIssue}; a file that
 * cannot be read or parsed as JSON, or has no {@code data_root}/{@code data_list}, is one fatal
 * {@link IllegalArgumentException} naming the file.
 *
 * <p>Deviation: a relative {@code data_root} is resolved against the annotation file's folder
 * (the original joins it to the working directory), so a dataset folder can be moved as a whole.
 */
public final class AnyWordDataset {

  private static final Logger LOG = LoggerFactory.getLogger(AnyWordDataset.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Issues kept with their message (all are counted). */
  private static final int MAX_STORED_ISSUES = 1000;
  private static final int MAX_LOGGED_ISSUES = 10;

  /**
   * What loading one file did.
   *
   * @param listed elements of its {@code data_list}
   * @param kept entries in the dataset
   * @param watermarked images skipped because {@code wm_score > wm_thresh}
   * @param malformed elements skipped as malformed
   * @param emptyPolygons annotations dropped for an empty polygon
   * @param invalidLines {@code valid: false} lines (loss-masked, never rendered)
   */
  public record SourceReport(
      Path json, double percent, int listed, int kept, int watermarked, int malformed,
      int emptyPolygons, int invalidLines) {}

  private final List<AnyWordEntry> entries;
  private final List<SourceReport> reports;
  private final List<DataIssue> issues;
  private final int malformed;

  private AnyWordDataset(List<AnyWordEntry> entries, List<SourceReport> reports, List<DataIssue> issues, int malformed) {
    this.entries = Collections.unmodifiableList(entries);
    this.reports = List.copyOf(reports);
    this.issues = List.copyOf(issues);
    this.malformed = malformed;
  }

  /** Loads the files with the train.py switches (wm_thresh 1.0, watermark caption suffix on). */
  public static AnyWordDataset load(List<AnyWordSource> sources) {
    return load(sources, AnyWordJson.Options.DEFAULTS.wmThresh(), AnyWordJson.Options.DEFAULTS.captionWatermark());
  }

  /**
   * Loads the files.
   *
   * @param wmThresh images with {@code wm_score} above it are skipped
   * @param captionWatermark append " with watermarks " / " no watermarks " to captions of entries
   *     that have a {@code wm_score}
   */
  public static AnyWordDataset load(List<AnyWordSource> sources, double wmThresh, boolean captionWatermark) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("expected at least one annotation file, found none");
    }
    AnyWordJson.Options options = new AnyWordJson.Options(wmThresh, captionWatermark);
    List<AnyWordEntry> all = new ArrayList<>();
    List<SourceReport> reports = new ArrayList<>();
    List<DataIssue> issues = new ArrayList<>();
    int malformed = 0;
    for (AnyWordSource source : sources) {
      FileResult r = readFile(source, options);
      all.addAll(r.entries);
      reports.add(r.report);
      malformed += r.report.malformed();
      for (DataIssue issue : r.issues) {
        if (issues.size() < MAX_STORED_ISSUES) {
          issues.add(issue);
        }
      }
      LOG.info("{}: {} of {} entries kept ({} watermarked, {} malformed)", source.json(),
          r.report.kept(), r.report.listed(), r.report.watermarked(), r.report.malformed());
    }
    return new AnyWordDataset(all, reports, issues, malformed);
  }

  /** A dataset over entries built in memory (no files involved). */
  public static AnyWordDataset of(List<AnyWordEntry> entries) {
    return new AnyWordDataset(new ArrayList<>(entries), List.of(), List.of(), 0);
  }

  public int size() {
    return entries.size();
  }

  public AnyWordEntry get(int index) {
    return entries.get(index);
  }

  public List<AnyWordEntry> entries() {
    return entries;
  }

  /** One report per file, in the given order. */
  public List<SourceReport> reports() {
    return reports;
  }

  /** Number of malformed elements skipped over all files. */
  public int malformedCount() {
    return malformed;
  }

  /** The malformed elements (the first 1000 of them). */
  public List<DataIssue> issues() {
    return issues;
  }

  private record FileResult(List<AnyWordEntry> entries, SourceReport report, List<DataIssue> issues) {}

  private static FileResult readFile(AnyWordSource source, AnyWordJson.Options options) {
    Path file = source.json();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("expected an AnyWord annotation file at " + file + ", found none");
    }
    List<AnyWordJson.Parsed> parsed = new ArrayList<>();
    String dataRoot = null;
    boolean sawList = false;
    try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "expected " + file + " to hold a JSON object with data_root and data_list, found " + first);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("data_root")) {
          if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("expected data_root of " + file + " to be a string, found " + value);
          }
          dataRoot = p.getText();
        } else if (field.equals("data_list")) {
          if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("expected data_list of " + file + " to be an array, found " + value);
          }
          sawList = true;
          int index = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode node = MAPPER.readTree(p);
            // img paths are made relative here and resolved once data_root is known (it may come last)
            parsed.add(AnyWordJson.parse(node, Path.of(""), file, index++, options));
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException("expected valid JSON in " + file + ", found a syntax error"
          + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr())
          + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read annotation file " + file + ": " + e.getMessage(), e);
    }
    if (dataRoot == null) {
      throw new IllegalArgumentException("expected a data_root field in " + file + ", found none");
    }
    if (!sawList) {
      throw new IllegalArgumentException("expected a data_list field in " + file + ", found none");
    }
    Path parent = file.toAbsolutePath().getParent();
    Path root = parent.resolve(dataRoot);
    return select(source, parsed, root);
  }

  /**
   * The §1.5 prefix rule: the original walks {@code data_list} and stops once it holds more than
   * {@code n·percent} entries; elements after that point are never looked at (nor counted).
   */
  private static FileResult select(AnyWordSource source, List<AnyWordJson.Parsed> parsed, Path root) {
    double limit = parsed.size() * source.percent();
    List<AnyWordEntry> kept = new ArrayList<>();
    List<DataIssue> issues = new ArrayList<>();
    int watermarked = 0;
    int empty = 0;
    int invalid = 0;
    for (int i = 0; i < parsed.size(); i++) {
      if (kept.size() > limit) {
        break;
      }
      AnyWordJson.Parsed r = parsed.get(i);
      if (r.error() != null) {
        DataIssue issue = new DataIssue(source.json(), i, r.error());
        if (issues.size() < MAX_LOGGED_ISSUES) {
          LOG.warn("skipping malformed entry: {}", issue);
        }
        issues.add(issue);
      } else if (r.watermarked()) {
        watermarked++;
      } else {
        AnyWordEntry e = r.entry();
        kept.add(new AnyWordEntry(root.resolve(e.imagePath()), e.caption(), e.lines(), e.invalidPolygons(), e.source(), e.index()));
        empty += r.emptyPolygons();
        invalid += r.invalidLines();
      }
    }
    SourceReport report = new SourceReport(source.json(), source.percent(), parsed.size(), kept.size(),
        watermarked, issues.size(), empty, invalid);
    return new FileResult(kept, report, issues);
  }
}
