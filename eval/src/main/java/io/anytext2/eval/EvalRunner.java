package io.anytext2.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.eval.bench.BenchmarkEntry;
import io.anytext2.eval.bench.BenchmarkFile;
import io.anytext2.eval.bench.Benchmarks;
import io.anytext2.eval.gen.BenchmarkGenerator;
import io.anytext2.eval.gen.ProtocolInputs;
import io.anytext2.eval.metrics.ClipEncoders;
import io.anytext2.eval.metrics.FidReference;
import io.anytext2.eval.metrics.FrechetDistance;
import io.anytext2.eval.metrics.Gaussian;
import io.anytext2.eval.metrics.ImageScores;
import io.anytext2.eval.metrics.InceptionFeatures;
import io.anytext2.eval.ocr.OcrDictionary;
import io.anytext2.eval.ocr.OcrResult;
import io.anytext2.eval.ocr.OcrScorer;
import io.anytext2.eval.ocr.OnnxCtcRecognizer;
import io.anytext2.eval.report.EvalReport;
import io.anytext2.eval.report.Failure;
import io.anytext2.eval.report.PublishedNumbers;
import io.anytext2.eval.report.ReportWriter;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One evaluation run: generate the missing images of every benchmark (unless only scoring), then
 * OCR sentence accuracy and NED, CLIPScore and FID when their encoders are given, then
 * {@code report.json} + {@code report.md} in the output folder.
 *
 * <p>Output layout: {@code <out>/<benchmark>/images/<stem>_<k>.jpg}, {@code <out>/<benchmark>/predictions.jsonl}
 * (one line per scored line), {@code <out>/settings.json} (the generation settings, checked on
 * resume), {@code <out>/cache/} (FID reference statistics), {@code <out>/report.json|md}.
 */
public final class EvalRunner {
  public static final String SETTINGS_FILE = "settings.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Progress of the phases ("generate", "ocr", "clip+fid", "fid-reference") of each benchmark. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void phase(String benchmark, String phase, int total) {}

    default void step(int done) {}

    default void endPhase() {}
  }

  private final EvalConfig cfg;
  private final Listener listener;

  private EvalRunner(EvalConfig cfg, Listener listener) {
    this.cfg = cfg;
    this.listener = listener;
  }

  public static EvalReport run(EvalConfig cfg, Listener listener) throws IOException {
    return new EvalRunner(cfg, listener).run();
  }

  /** Where the images of a benchmark go. */
  public static Path imagesDir(Path out, String benchmark) {
    return out.resolve(benchmark).resolve("images");
  }

  private EvalReport run() throws IOException {
    long t0 = System.nanoTime();
    String started = Instant.now().toString();
    List<BenchmarkFile> benches = new ArrayList<>();
    for (BenchmarkFile b : Benchmarks.resolve(cfg.benchmarks())) benches.add(b.limit(cfg.limit()));
    Files.createDirectories(cfg.out());
    Map<String, BenchmarkGenerator.Outcome> generation = cfg.generate() ? generateAll(benches) : Map.of();

    ModelPackage pkg = cfg.model() == null ? null : ModelPackage.open(cfg.model());
    Path ocrDictPath = ocrDictionary(pkg);
    OcrDictionary ocrDict = OcrDictionary.read(ocrDictPath);
    Path nedDictPath = cfg.nedDictionary() != null ? cfg.nedDictionary() : ocrDictPath;
    OcrDictionary nedDict = cfg.nedDictionary() != null ? OcrDictionary.read(nedDictPath) : ocrDict;
    Path recognizerFile = cfg.ocrModel() != null ? cfg.ocrModel() : pkg.resolve(pkg.graph(GraphNames.OCR).file());
    String recognizerName = cfg.ocrModel() != null ? cfg.ocrModel().toString() : "model package ocr_recognizer (PP-OCRv3, greedy CTC)";

    Map<String, OcrResult> ocr = new HashMap<>();
    try (OnnxCtcRecognizer rec = OnnxCtcRecognizer.open(recognizerFile, ocrDict, cfg.runtime(), recognizerName)) {
      OcrScorer scorer = new OcrScorer(rec, nedDict, cfg.channelOrder());
      for (BenchmarkFile b : benches) ocr.put(b.name(), scoreOcr(scorer, b));
    }
    Map<String, ImageScores.Result> images = new HashMap<>();
    Map<String, EvalReport.FidResult> fids = new HashMap<>();
    List<Failure> metricFailures = new ArrayList<>();
    if (cfg.clipImage() != null || cfg.inception() != null) {
      scoreImages(benches, images, fids, metricFailures);
    }
    List<EvalReport.BenchmarkReport> reports = new ArrayList<>();
    for (BenchmarkFile b : benches) reports.add(benchmarkReport(b, generation.get(b.name()), ocr.get(b.name()), images.get(b.name()),
        fids.get(b.name()), metricFailures));
    EvalReport.RunInfo info = new EvalReport.RunInfo(cfg.model() == null ? null : cfg.model().toString(), protocolMap(),
        recognizerName, ocrDictPath.toString(), nedDictPath.toString(), cfg.channelOrder().name(), str(cfg.clipImage()), str(cfg.clipText()),
        str(cfg.inception()), cfg.inception() == null ? null : cfg.inceptionRange().name(), started, (System.nanoTime() - t0) / 1e9);
    EvalReport report = new EvalReport(cfg.mode().label(), info, reports, PublishedNumbers.ROWS);
    ReportWriter.write(report, cfg.out());
    return report;
  }

  private Map<String, BenchmarkGenerator.Outcome> generateAll(List<BenchmarkFile> benches) throws IOException {
    checkSettings();
    FontLibrary fonts = FontLibrary.bundled();
    FontFace face = cfg.font() == null ? fonts.renderingFace() : FontLibrary.load(cfg.font());
    Map<String, BenchmarkGenerator.Outcome> out = new LinkedHashMap<>();
    try (BenchmarkGenerator gen = BenchmarkGenerator.open(cfg.model(), cfg.runtime(), new ProtocolInputs(fonts, face))) {
      for (BenchmarkFile b : benches) {
        Function<BenchmarkEntry, Path> sources = cfg.mode() == EvalConfig.Mode.EDIT ? sources(b) : null;
        listener.phase(b.name(), "generate", b.entries().size());
        out.put(b.name(), gen.run(b, imagesDir(cfg.out(), b.name()), cfg.protocol(), sources, (done, total) -> listener.step(done)));
        listener.endPhase();
      }
    }
    return out;
  }

  /** Edit sources: {@code --images DIR/<img_name>}, else the file's {@code data_root/<img_name>}. */
  private Function<BenchmarkEntry, Path> sources(BenchmarkFile b) {
    Path root = cfg.sourceImages() != null ? cfg.sourceImages() : b.dataRoot();
    if (root == null) {
      throw new IllegalArgumentException("benchmark " + b.file() + " has no data_root: pass the folder of the pictures to edit with --images");
    }
    return e -> root.resolve(e.imgName());
  }

  /** A resumed run must generate with the settings of the images already there. */
  private void checkSettings() throws IOException {
    Map<String, Object> now = new LinkedHashMap<>();
    now.put("mode", cfg.mode().label());
    now.put("model", cfg.model().toAbsolutePath().normalize().toString());
    now.put("font", cfg.font() == null ? "bundled" : cfg.font().toAbsolutePath().normalize().toString());
    now.putAll(protocolMap());
    Path file = cfg.out().resolve(SETTINGS_FILE);
    if (Files.isRegularFile(file)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> before = JSON.readValue(file.toFile(), LinkedHashMap.class);
      Map<String, Object> normalized = JSON.readValue(JSON.writeValueAsString(now), LinkedHashMap.class);
      if (!before.equals(normalized)) {
        throw new IllegalArgumentException("output " + cfg.out() + " holds images made with other settings (" + before + "; now " + normalized
            + "): use another --out, or the same settings to resume");
      }
      return;
    }
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(now), StandardCharsets.UTF_8);
  }

  private Map<String, Object> protocolMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("imagesPerPrompt", cfg.protocol().imagesPerPrompt());
    m.put("steps", cfg.protocol().steps());
    m.put("cfgScale", (double) cfg.protocol().cfgScale());
    m.put("seed", cfg.protocol().seed());
    m.put("size", cfg.protocol().size());
    m.put("blend", cfg.protocol().blend());
    return m;
  }

  private Path ocrDictionary(ModelPackage pkg) {
    if (cfg.ocrDictionary() != null) return cfg.ocrDictionary();
    if (pkg.manifest().ocr() == null || pkg.manifest().ocr().dictionary() == null) {
      throw new IllegalArgumentException("model package " + pkg.dir() + " has no OCR dictionary: pass --ocr-dict (e.g. ppocr_keys_v1.txt)"
          + " or convert with --ocr-dict");
    }
    return pkg.resolve(pkg.manifest().ocr().dictionary());
  }

  private OcrResult scoreOcr(OcrScorer scorer, BenchmarkFile b) throws IOException {
    Path dir = cfg.out().resolve(b.name());
    Files.createDirectories(dir);
    listener.phase(b.name(), "ocr", b.entries().size());
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("predictions.jsonl"), StandardCharsets.UTF_8)) {
      OcrResult r = scorer.score(b, imagesDir(cfg.out(), b.name()), cfg.protocol().imagesPerPrompt(), p -> {
        try {
          w.write(JSON.writeValueAsString(p));
          w.newLine();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, listener::step);
      listener.endPhase();
      return r;
    }
  }

  private void scoreImages(List<BenchmarkFile> benches, Map<String, ImageScores.Result> images, Map<String, EvalReport.FidResult> fids,
      List<Failure> failures) throws IOException {
    ClipEncoders clip = null;
    InceptionFeatures inception = null;
    try {
      if (cfg.clipImage() != null) {
        ClipTokenizer tok = cfg.clipTokenizer() == null ? ClipTokenizer.bundled() : ClipTokenizer.load(cfg.clipTokenizer());
        clip = ClipEncoders.open(cfg.clipImage(), cfg.clipText(), tok, cfg.runtime());
      }
      if (cfg.inception() != null) inception = InceptionFeatures.open(cfg.inception(), cfg.inceptionRange(), cfg.runtime());
      for (BenchmarkFile b : benches) {
        listener.phase(b.name(), inception == null ? "clip" : clip == null ? "fid" : "clip+fid", b.entries().size());
        ImageScores.Result r = ImageScores.score(b, imagesDir(cfg.out(), b.name()), cfg.protocol().imagesPerPrompt(), clip, inception,
            listener::step);
        listener.endPhase();
        images.put(b.name(), r);
        if (inception != null) fids.put(b.name(), fid(b, r, inception, failures));
      }
    } finally {
      if (clip != null) clip.close();
      if (inception != null) inception.close();
    }
  }

  private EvalReport.FidResult fid(BenchmarkFile b, ImageScores.Result r, InceptionFeatures inception, List<Failure> failures) {
    Path ref = cfg.fidReference().get(b.name());
    if (ref == null && !b.language().isEmpty()) ref = cfg.fidReference().get(b.language());
    if (ref == null) ref = FidReference.autodetect(b.file(), b.language());
    if (ref == null) {
      failures.add(new Failure(b.name(), "no FID reference folder (pass --fid-ref " + b.name() + "=DIR)"));
      return null;
    }
    if (r.generated() == null) {
      failures.add(new Failure(b.name(), "FID needs at least 2 generated images, found " + r.images()));
      return new EvalReport.FidResult(null, r.images(), 0, ref.toString());
    }
    listener.phase(b.name(), "fid-reference", 0);
    Gaussian reference = FidReference.statistics(ref, inception, cfg.out().resolve("cache"));
    listener.endPhase();
    double value = FrechetDistance.between(r.generated(), reference);
    return new EvalReport.FidResult(value, r.generated().count(), reference.count(), ref.toString());
  }

  private EvalReport.BenchmarkReport benchmarkReport(BenchmarkFile b, BenchmarkGenerator.Outcome gen, OcrResult ocr, ImageScores.Result img,
      EvalReport.FidResult fid, List<Failure> metricFailures) {
    List<Failure> failures = new ArrayList<>();
    if (gen != null) failures.addAll(gen.failures());
    if (ocr != null) failures.addAll(ocr.failures());
    for (Failure f : metricFailures) if (f.item().equals(b.name())) failures.add(f);
    int omitted = Math.max(0, failures.size() - EvalReport.BenchmarkReport.MAX_FAILURES);
    EvalReport.Generation g = gen == null ? null : new EvalReport.Generation(gen.imagesGenerated(), gen.imagesKept(), gen.failures().size());
    EvalReport.Ocr o = null;
    if (ocr != null && ocr.entries() > 0) {
      Map<String, EvalReport.LanguageScores> langs = new LinkedHashMap<>();
      ocr.byLanguage().forEach((k, v) -> langs.put(k, new EvalReport.LanguageScores(v.lines(), num(v.sentenceAccuracy()), num(v.ned()))));
      o = new EvalReport.Ocr(ocr.entries(), ocr.imagesRead(), ocr.imagesMissing(), ocr.overall().lines(), num(ocr.overall().sentenceAccuracy()),
          num(ocr.overall().ned()), langs);
    }
    EvalReport.ClipScoreResult clip = null;
    if (img != null && cfg.clipImage() != null) {
      List<Double> per = new ArrayList<>();
      for (double v : img.perIndex()) per.add(num(v));
      clip = new EvalReport.ClipScoreResult(img.images(), num(img.clipScore()), per, num(img.meanCosine()));
    }
    return new EvalReport.BenchmarkReport(b.name(), b.file().toString(), b.language(), b.entries().size(), b.lineCount(), g, o, clip, fid,
        failures.subList(0, failures.size() - omitted), omitted);
  }

  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String str(Path p) {
    return p == null ? null : p.toString();
  }
}
