package io.anytext2.eval.report;

import java.util.List;
import java.util.Map;

/**
 * What one {@code anytext2 eval} run measured; written as report.json and report.md. Scores that
 * could not be computed are null.
 *
 * @param mode "gen" or "edit"
 * @param run settings and models of the run
 * @param benchmarks one block per benchmark file
 * @param published the published numbers compared against (TRAINING.md §5.6)
 */
public record EvalReport(String mode, RunInfo run, List<BenchmarkReport> benchmarks, List<PublishedNumbers.Row> published) {
  public EvalReport {
    benchmarks = List.copyOf(benchmarks);
    published = List.copyOf(published);
  }

  /**
   * @param model the model package (null when only scoring existing images with another recognizer)
   * @param protocol images per prompt, steps, cfg, seed, size, blend
   * @param recognizer what read the crops
   * @param ocrDictionary its character dictionary
   * @param nedDictionary the dictionary NED ids come from
   * @param channelOrder BGR (the original) or RGB
   */
  public record RunInfo(String model, Map<String, Object> protocol, String recognizer, String ocrDictionary, String nedDictionary,
      String channelOrder, String clipImage, String clipText, String inception, String inceptionRange, String startedAt, double seconds) {}

  /**
   * @param language "en" (laion) / "zh" (wukong) / "" — the column of the published table it fills
   * @param entries entries of the (possibly limited) file
   * @param generation null when only scoring
   * @param ocr sentence accuracy and NED (null when no entry has a line)
   * @param clipScore null without CLIP encoders
   * @param fid null without Inception model or reference folder
   * @param failures the first {@value #MAX_FAILURES} failures; {@code failuresOmitted} counts the rest
   */
  public record BenchmarkReport(String name, String file, String language, int entries, int annotatedLines, Generation generation,
      Ocr ocr, ClipScoreResult clipScore, FidResult fid, List<Failure> failures, int failuresOmitted) {
    public static final int MAX_FAILURES = 100;
  }

  /** Images written now / already present / entries that failed. */
  public record Generation(int imagesGenerated, int imagesKept, int entriesFailed) {}

  /**
   * @param entries entries with at least one line
   * @param imagesRead images scored
   * @param imagesMissing expected images absent or unreadable (excluded from the means)
   * @param lines scored lines (lines × images)
   */
  public record Ocr(int entries, int imagesRead, int imagesMissing, int lines, Double sentenceAccuracy, Double ned,
      Map<String, LanguageScores> byLanguage) {}

  public record LanguageScores(int lines, Double sentenceAccuracy, Double ned) {}

  /**
   * @param score the benchmark's CLIPScore: mean over k of the mean over images {@code <stem>_k} of
   *     2.5·max(cos, 0)
   * @param perIndex the mean for each k
   * @param meanCosine plain mean cosine over all images (×100 with max(·,0) is torchmetrics' scale)
   */
  public record ClipScoreResult(int images, Double score, List<Double> perIndex, Double meanCosine) {}

  public record FidResult(Double value, long generatedImages, long referenceImages, String referenceDir) {}
}
