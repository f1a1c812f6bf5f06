package io.anytext2.eval.report;

import java.util.List;

/** The published AnyText-benchmark numbers of TRAINING.md §5.6 (AnyText2 README, docs/eval.jpg). */
public final class PublishedNumbers {
  private PublishedNumbers() {}

  /** Scores of one benchmark half (null where not published). */
  public record Scores(Double sentenceAccuracy, Double ned, Double fid, Double clipScore) {}

  /** One method's row: English (laion_word) and Chinese (wukong_word). */
  public record Row(String method, Scores en, Scores zh) {}

  public static final List<Row> ROWS = List.of(
      new Row("AnyText", new Scores(0.7239, 0.8760, 33.54, 0.8841), new Scores(0.6923, 0.8396, 31.58, 0.8015)),
      new Row("AnyText2", new Scores(0.8175, 0.9193, 27.87, 0.9882), new Scores(0.7250, 0.8529, 24.32, 0.9137)),
      new Row("AnyText2XL", new Scores(0.8506, 0.9406, 28.99, 0.9838), new Scores(0.7716, 0.8767, 27.31, 0.9045)));
}
