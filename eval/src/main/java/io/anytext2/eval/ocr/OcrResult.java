package io.anytext2.eval.ocr;

import io.anytext2.eval.report.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OCR scores of one benchmark.
 *
 * @param entries entries with at least one line
 * @param imagesRead images found and decoded
 * @param imagesMissing expected images that were absent or unreadable (left out of the means)
 * @param overall every scored line
 * @param byLanguage per annotation {@code language} ("" for none)
 * @param failures missing images and unreadable crops
 */
public record OcrResult(int entries, int imagesRead, int imagesMissing, LineScores overall, Map<String, LineScores> byLanguage,
    List<Failure> failures) {

  public OcrResult {
    byLanguage = java.util.Collections.unmodifiableMap(new TreeMap<>(byLanguage));
    failures = List.copyOf(failures);
  }

  /** Line-weighted means of one group. */
  public record LineScores(int lines, double sentenceAccuracy, double ned) {}

  /** Accumulates lines; means are plain sums over counts. */
  static final class Builder {
    private int entries;
    private int imagesRead;
    private int imagesMissing;
    private final Sum all = new Sum();
    private final Map<String, Sum> byLanguage = new TreeMap<>();
    private final List<Failure> failures = new ArrayList<>();

    void entry() {
      entries++;
    }

    void imageRead() {
      imagesRead++;
    }

    void missing(Failure f) {
      imagesMissing++;
      failures.add(f);
    }

    void failure(Failure f) {
      failures.add(f);
    }

    void line(String language, int match, double ned) {
      all.add(match, ned);
      byLanguage.computeIfAbsent(language, k -> new Sum()).add(match, ned);
    }

    OcrResult build() {
      Map<String, LineScores> langs = new TreeMap<>();
      byLanguage.forEach((k, v) -> langs.put(k, v.scores()));
      return new OcrResult(entries, imagesRead, imagesMissing, all.scores(), langs, failures);
    }
  }

  private static final class Sum {
    int n;
    long matches;
    double ned;

    void add(int match, double lineNed) {
      n++;
      matches += match;
      ned += lineNed;
    }

    LineScores scores() {
      return new LineScores(n, n == 0 ? Double.NaN : matches / (double) n, n == 0 ? Double.NaN : ned / n);
    }
  }
}
