package io.anytext2.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes an {@link EvalReport} as {@code report.json} and {@code report.md}. */
public final class ReportWriter {
  public static final String JSON_FILE = "report.json";
  public static final String MARKDOWN_FILE = "report.md";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {}

  public static void write(EvalReport r, Path dir) throws IOException {
    Files.createDirectories(dir);
    atomic(dir.resolve(JSON_FILE), JSON.writeValueAsString(r));
    atomic(dir.resolve(MARKDOWN_FILE), markdown(r));
  }

  public static EvalReport readJson(Path file) throws IOException {
    return JSON.readValue(file.toFile(), EvalReport.class);
  }

  /** The human-readable report. */
  public static String markdown(EvalReport r) {
    StringBuilder md = new StringBuilder();
    EvalReport.RunInfo run = r.run();
    md.append("# AnyText2 benchmark evaluation (").append(r.mode()).append(")\n\n");
    md.append("- model: ").append(code(run.model())).append('\n');
    md.append("- protocol: ").append(run.protocol()).append('\n');
    md.append("- OCR: ").append(run.recognizer()).append(", dictionary ").append(code(run.ocrDictionary()))
        .append(", NED dictionary ").append(code(run.nedDictionary())).append(", crops fed as ").append(run.channelOrder()).append('\n');
    md.append("- CLIPScore: ").append(run.clipImage() == null ? "not computed (no --clip-image/--clip-text)" : code(run.clipImage()) + " + " + code(run.clipText()))
        .append('\n');
    md.append("- FID: ").append(run.inception() == null ? "not computed (no --inception)" : code(run.inception()) + " (input range " + run.inceptionRange() + ")")
        .append('\n');
    md.append("- started ").append(run.startedAt()).append(String.format(Locale.ROOT, ", %.1f s%n%n", run.seconds()));

    md.append("## Results\n\n");
    md.append("| benchmark | lang | entries | images scored | missing | lines | Sen.Acc | NED | CLIPScore | FID |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (EvalReport.BenchmarkReport b : r.benchmarks()) {
      EvalReport.Ocr o = b.ocr();
      md.append("| ").append(b.name()).append(" | ").append(b.language().isEmpty() ? "-" : b.language()).append(" | ").append(b.entries())
          .append(" | ").append(o == null ? "-" : o.imagesRead()).append(" | ").append(o == null ? "-" : o.imagesMissing())
          .append(" | ").append(o == null ? "-" : o.lines()).append(" | ").append(f4(o == null ? null : o.sentenceAccuracy()))
          .append(" | ").append(f4(o == null ? null : o.ned())).append(" | ").append(f4(b.clipScore() == null ? null : b.clipScore().score()))
          .append(" | ").append(f2(b.fid() == null ? null : b.fid().value())).append(" |\n");
    }
    md.append("\nSen.Acc and NED: means over all lines × images (TRAINING.md §5.3); CLIPScore: 2.5·max(cos, 0), mean over k of the")
        .append(" per-index means (§5.5); FID: Fréchet distance of Inception pool3 features against the reference folder (§5.4).\n");

    md.append("\n### Per annotation language\n\n| benchmark | language | lines | Sen.Acc | NED |\n|---|---|---|---|---|\n");
    for (EvalReport.BenchmarkReport b : r.benchmarks()) {
      if (b.ocr() == null) continue;
      for (Map.Entry<String, EvalReport.LanguageScores> e : b.ocr().byLanguage().entrySet()) {
        md.append("| ").append(b.name()).append(" | ").append(e.getKey().isEmpty() ? "(none)" : e.getKey()).append(" | ")
            .append(e.getValue().lines()).append(" | ").append(f4(e.getValue().sentenceAccuracy())).append(" | ")
            .append(f4(e.getValue().ned())).append(" |\n");
      }
    }

    md.append("\n## Compared with the published numbers (TRAINING.md §5.6)\n\n");
    md.append("| method | EN Sen.Acc | EN NED | EN FID | EN CLIPScore | CN Sen.Acc | CN NED | CN FID | CN CLIPScore |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    md.append(row("**this run**", scoresOf(r, "en"), scoresOf(r, "zh")));
    for (PublishedNumbers.Row p : r.published()) md.append(row(p.method(), p.en(), p.zh()));
    md.append("\nThe published rows used the ModelScope DuGuang ConvNeXt-Tiny recognizer, 1000 prompts × 4 images per language,")
        .append(" CLIP ViT-B/32 and pytorch-fid's Inception; a run with another recognizer, fewer prompts or other encoders is only")
        .append(" indicative. EN = laion_word, CN = wukong_word.\n");

    boolean any = r.benchmarks().stream().anyMatch(b -> !b.failures().isEmpty());
    if (any) {
      md.append("\n## Failures\n\n");
      for (EvalReport.BenchmarkReport b : r.benchmarks()) {
        for (Failure f : b.failures()) md.append("- ").append(b.name()).append(": ").append(code(f.item())).append(": ").append(f.reason()).append('\n');
        if (b.failuresOmitted() > 0) md.append("- ").append(b.name()).append(": … and ").append(b.failuresOmitted()).append(" more\n");
      }
    }
    return md.toString();
  }

  /** The scores of the first benchmark of a language, as a published-table half. */
  static PublishedNumbers.Scores scoresOf(EvalReport r, String language) {
    for (EvalReport.BenchmarkReport b : r.benchmarks()) {
      if (!b.language().equals(language)) continue;
      return new PublishedNumbers.Scores(b.ocr() == null ? null : b.ocr().sentenceAccuracy(), b.ocr() == null ? null : b.ocr().ned(),
          b.fid() == null ? null : b.fid().value(), b.clipScore() == null ? null : b.clipScore().score());
    }
    return new PublishedNumbers.Scores(null, null, null, null);
  }

  private static String row(String method, PublishedNumbers.Scores en, PublishedNumbers.Scores zh) {
    return "| " + method + " | " + String.join(" | ", List.of(f4(en.sentenceAccuracy()), f4(en.ned()), f2(en.fid()), f4(en.clipScore()),
        f4(zh.sentenceAccuracy()), f4(zh.ned()), f2(zh.fid()), f4(zh.clipScore()))) + " |\n";
  }

  private static String f4(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String f2(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String code(String s) {
    return s == null ? "-" : "`" + s + "`";
  }

  private static void atomic(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
