package io.anytext2.cli;

import io.anytext2.eval.EvalConfig;
import io.anytext2.eval.EvalRunner;
import io.anytext2.eval.gen.GenerationProtocol;
import io.anytext2.eval.metrics.InceptionFeatures;
import io.anytext2.eval.ocr.RecognizerCrops;
import io.anytext2.eval.report.EvalReport;
import io.anytext2.eval.report.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anytext2 eval gen|edit}: the AnyText-benchmark (TRAINING.md §5). */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate on the AnyText benchmark (laion_word / wukong_word test1k.json): generate the images with the benchmark's",
      "protocol, then OCR sentence accuracy and NED, and CLIPScore / FID when their ONNX encoders are given.",
      "Writes <out>/report.json and <out>/report.md (with the published AnyText/AnyText2 numbers for comparison)."
    },
    subcommands = {EvalCommand.Gen.class, EvalCommand.Edit.class})
final class EvalCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Flags of both modes. */
  abstract static class Common implements Callable<Integer> {
    @Mixin RunOptions run;

    @Option(names = "--benchmark", required = true, description = "benchmark JSON, or a folder holding */test1k.json (repeatable)")
    List<Path> benchmarks;

    @Option(names = "--out", required = true, description = "output folder; images already in it are kept (a run resumes)")
    Path out;

    @Option(names = "--images-per-prompt", defaultValue = "4", description = "images per entry (default ${DEFAULT-VALUE})")
    int imagesPerPrompt;

    @Option(names = "--steps", defaultValue = "20", description = "DDIM steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seed", defaultValue = "100", description = "seed, the same for every prompt (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cfg", defaultValue = "7.5", description = "guidance scale (default ${DEFAULT-VALUE})")
    float cfg;

    @Option(names = "--size", defaultValue = "512", description = "output width and height; polygons are used as given (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--limit", defaultValue = "0", description = "only the first K entries of each file (default: all)")
    int limit;

    @Option(names = "--metrics-only", description = "do not generate: score the images already in the output folder")
    boolean metricsOnly;

    @Option(names = "--font", description = "font file the glyphs are drawn with (the original uses Arial Unicode; default: bundled DejaVu Sans + WenQuanYi)")
    Path font;

    @Option(names = "--ocr-model", description = "recognizer ONNX: input [n,3,48,320] (PP-OCR normalisation), output [n,T,K] scores (default: the package's ocr_recognizer)")
    Path ocrModel;

    @Option(names = "--ocr-dict", description = "its character dictionary, one character per line (default: the package's)")
    Path ocrDict;

    @Option(names = "--ned-dict", description = "dictionary of the NED ids (the original: en_dict.txt for laion, ppocr_keys_v1.txt for wukong; default: --ocr-dict)")
    Path nedDict;

    @Option(names = "--ocr-channels", defaultValue = "bgr", description = "channel order of the crops: bgr (the original reads them with OpenCV) or rgb (default ${DEFAULT-VALUE})")
    String channels;

    @Option(names = "--clip-image", description = "CLIP ViT-B/32 image tower ONNX: [n,3,224,224] normalised → [n,D] (with --clip-text: CLIPScore)")
    Path clipImage;

    @Option(names = "--clip-text", description = "CLIP text tower ONNX: input_ids [n,77] (+ attention_mask) → [n,D]")
    Path clipText;

    @Option(names = "--clip-tokenizer", description = "CLIP vocabulary folder (vocab.json, merges.txt; default: bundled, shared by ViT-B/32 and ViT-L/14)")
    Path clipTokenizer;

    @Option(names = "--inception", description = "pytorch-fid Inception ONNX: [n,3,299,299] → pool3 [n,2048] (with a reference folder: FID)")
    Path inception;

    @Option(names = "--inception-range", defaultValue = "unit", description = "input range of --inception: unit (0..1, the graph maps to -1..1 itself, pytorch-fid's default) or signed (-1..1) (default ${DEFAULT-VALUE})")
    String inceptionRange;

    @Option(names = "--fid-ref", description = "FID reference folder per benchmark name or language, e.g. laion_word=FID/laion-40k or zh=FID/wukong-40k (default: FID/<name>-40k next to the benchmark)")
    Map<String, Path> fidRef;

    @Option(names = "--no-progress", description = "no progress bars")
    boolean quiet;

    abstract EvalConfig.Mode mode();

    Path sourceImages() {
      return null;
    }

    boolean blend() {
      return false;
    }

    @Override
    public Integer call() throws Exception {
      Path model = metricsOnly && ocrModel != null && run.model == null ? null : run.modelDir();
      GenerationProtocol protocol = new GenerationProtocol(imagesPerPrompt, steps, cfg, seed, size, blend());
      EvalConfig cfgRun = new EvalConfig(mode(), benchmarks, model, out, protocol, limit, !metricsOnly, sourceImages(), font, ocrModel, ocrDict,
          nedDict, choice(RecognizerCrops.ChannelOrder.class, "--ocr-channels", channels), clipImage, clipText, clipTokenizer, inception,
          choice(InceptionFeatures.Range.class, "--inception-range", inceptionRange), fidRef,
          model == null ? run.runtime(out) : run.runtime(model));
      EvalReport report = EvalRunner.run(cfgRun, quiet ? EvalRunner.Listener.NONE : new Bars());
      for (EvalReport.BenchmarkReport b : report.benchmarks()) System.out.println(summary(b));
      System.out.println("report: " + out.resolve(ReportWriter.MARKDOWN_FILE) + " (and " + ReportWriter.JSON_FILE + ")");
      return 0;
    }

    static <E extends Enum<E>> E choice(Class<E> type, String flag, String value) {
      for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(value.trim())) return e;
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
      throw new IllegalArgumentException(flag + ": expected one of " + String.join(", ", names) + ", found '" + value + "'");
    }

    static String summary(EvalReport.BenchmarkReport b) {
      List<String> parts = new ArrayList<>();
      if (b.generation() != null) parts.add(b.generation().imagesGenerated() + " generated, " + b.generation().imagesKept() + " kept");
      if (b.ocr() != null) {
        parts.add(String.format(Locale.ROOT, "Sen.Acc %s NED %s over %d lines", fmt(b.ocr().sentenceAccuracy()), fmt(b.ocr().ned()), b.ocr().lines()));
        if (b.ocr().imagesMissing() > 0) parts.add(b.ocr().imagesMissing() + " images missing");
      }
      if (b.clipScore() != null) parts.add("CLIPScore " + fmt(b.clipScore().score()));
      if (b.fid() != null && b.fid().value() != null) parts.add(String.format(Locale.ROOT, "FID %.2f", b.fid().value()));
      int failures = b.failures().size() + b.failuresOmitted();
      if (failures > 0) parts.add(failures + " failures (see the report)");
      return b.name() + ": " + String.join(", ", parts);
    }

    private static String fmt(Double v) {
      return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
  }

  /** One progress bar per phase with a known length; a line for the others. */
  static final class Bars implements EvalRunner.Listener {
    private ProgressBar bar;

    @Override
    public void phase(String benchmark, String phase, int total) {
      endPhase();
      if (total > 0) {
        bar = new ProgressBarBuilder().setTaskName(benchmark + " " + phase).setStyle(ProgressBarStyle.ASCII).setInitialMax(total)
            .setUnit(" entries", 1).build();
      } else {
        System.err.println(benchmark + ": " + phase + " …");
      }
    }

    @Override
    public void step(int done) {
      if (bar != null) bar.stepTo(done);
    }

    @Override
    public void endPhase() {
      if (bar != null) bar.close();
      bar = null;
    }
  }

  @Command(
      name = "gen",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Generate the benchmark images from the captions and polygons (TRAINING.md §5.2), then score them.",
      footer = {
        "",
        "Examples:",
        "  anytext2 eval gen --benchmark AnyText-benchmark/benchmark --model models/anytext2-onnx --out eval-run",
        "  anytext2 eval gen --benchmark benchmark/laion_word/test1k.json --model onnx --out run --limit 50 \\",
        "      --ned-dict en_dict.txt --clip-image clip-b32-image.onnx --clip-text clip-b32-text.onnx \\",
        "      --inception pt_inception.onnx --fid-ref laion_word=FID/laion-40k",
        "  anytext2 eval gen --benchmark b.json --out run --metrics-only --ocr-model rec.onnx --ocr-dict keys.txt"
      })
  static final class Gen extends Common {
    @Override
    EvalConfig.Mode mode() {
      return EvalConfig.Mode.GEN;
    }
  }

  @Command(
      name = "edit",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Edit the benchmark's own pictures: every line's polygon is masked and re-written with its ground-truth text, then",
        "scored like gen (source pictures: data_root/img_name, or --images DIR/img_name)."
      },
      footer = {
        "",
        "Example:",
        "  anytext2 eval edit --benchmark benchmark/laion_word/test1k.json --images laion_word/imgs --model onnx --out edit-run"
      })
  static final class Edit extends Common {
    @Option(names = "--images", description = "folder of the pictures to edit (default: the benchmark's data_root)")
    Path images;

    @Option(names = "--blend", description = "keep every pixel outside the edited areas (the original returns the whole generated picture)")
    boolean blendOutside;

    @Override
    EvalConfig.Mode mode() {
      return EvalConfig.Mode.EDIT;
    }

    @Override
    Path sourceImages() {
      return images;
    }

    @Override
    boolean blend() {
      return blendOutside;
    }
  }
}
