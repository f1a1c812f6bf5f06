package io.anytext2.eval.gen;

import io.anytext2.eval.bench.BenchmarkEntry;
import io.anytext2.eval.bench.BenchmarkFile;
import io.anytext2.eval.report.Failure;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.pipeline.DiffusionRunner;
import io.anytext2.sdk.pipeline.EditBlend;
import io.anytext2.sdk.prep.EditImage;
import io.anytext2.sdk.pipeline.ModelStages;
import io.anytext2.sdk.pipeline.PackageTokenizer;
import io.anytext2.sdk.pipeline.SamplingParams;
import io.anytext2.sdk.pipeline.SeededNoise;
import io.anytext2.sdk.pipeline.StepListener;
import io.anytext2.sdk.pipeline.TextConditioner;
import io.anytext2.sdk.pipeline.Trace;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Generates (or edits) the benchmark images with the model stages directly, so that the protocol's
 * inputs go in unchanged: verbatim captions, up to 20 lines, cfg 7.5 (the request API validates for
 * interactive use: at most 5 lines, quote parsing). Resumable: an image that already exists is kept
 * and not generated again; the others are made from their own slice of the seeded x_T, so a resumed
 * run writes the same pictures as an uninterrupted one.
 */
public final class BenchmarkGenerator implements AutoCloseable {
  private final ModelManifest manifest;
  private final ModelStages stages;
  private final DiffusionRunner runner;
  private final ProtocolInputs inputs;

  private BenchmarkGenerator(ModelManifest manifest, ModelStages stages, DiffusionRunner runner, ProtocolInputs inputs) {
    this.manifest = manifest;
    this.stages = stages;
    this.runner = runner;
    this.inputs = inputs;
  }

  /** Opens the model package's diffusion graphs. */
  public static BenchmarkGenerator open(Path modelDir, RuntimeOptions options, ProtocolInputs inputs) {
    ModelPackage pkg = ModelPackage.open(modelDir);
    ModelManifest m = pkg.manifest();
    var tokenizer = PackageTokenizer.load(pkg);
    ModelStages stages = ModelStages.open(pkg, options);
    TextConditioner text = new TextConditioner(stages.textEncoder, tokenizer, m.tokenizer().placeholderId(),
        m.config().clip().hiddenSize(), m.tokenizer().maxLength());
    return new BenchmarkGenerator(m, stages, new DiffusionRunner(stages, text, m.scheduler().scaleFactor(), m.scheduler().alphasCumprod()),
        inputs);
  }

  public String provider() {
    return stages.provider();
  }

  /** Counts of a generation pass. */
  public record Outcome(int entries, int imagesGenerated, int imagesKept, List<Failure> failures) {
    public Outcome {
      failures = List.copyOf(failures);
    }
  }

  /** Called after every entry (done of total). */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void entryDone(int done, int total);
  }

  /**
   * Writes the missing images of every entry into {@code imagesDir}.
   *
   * @param sources edit only: the source picture of an entry; null to generate from scratch
   */
  public Outcome run(BenchmarkFile bench, Path imagesDir, GenerationProtocol p, Function<BenchmarkEntry, Path> sources, Progress progress) {
    int generated = 0;
    int kept = 0;
    List<Failure> failures = new ArrayList<>();
    List<BenchmarkEntry> entries = bench.entries();
    for (int i = 0; i < entries.size(); i++) {
      BenchmarkEntry e = entries.get(i);
      List<Integer> missing = new ArrayList<>();
      for (int k = 0; k < p.imagesPerPrompt(); k++) {
        if (Files.isRegularFile(imagesDir.resolve(e.imageName(k)))) kept++;
        else missing.add(k);
      }
      if (!missing.isEmpty()) {
        try {
          generated += generate(e, imagesDir, p, missing, sources);
        } catch (IllegalArgumentException ex) {
          failures.add(new Failure(e.imgName(), ex.getMessage()));
        }
      }
      progress.entryDone(i + 1, entries.size());
    }
    return new Outcome(entries.size(), generated, kept, failures);
  }

  private int generate(BenchmarkEntry e, Path imagesDir, GenerationProtocol p, List<Integer> missing, Function<BenchmarkEntry, Path> sources) {
    RgbImage source = null;
    if (sources != null) {
      RgbImage raw = ImageFiles.read(sources.apply(e), "source image of " + e.imgName());
      source = EditImage.resize(raw, p.size(), p.size()); // bilinear to the output size; polygons stay as given (P-18)
    }
    ProtocolInputs.Prepared prep = inputs.prepare(e, p.size(), source);
    int down = manifest.config().vae().downFactor();
    int h = p.size() / down;
    int channels = manifest.config().unet().inChannels();
    FloatTensor all = SeededNoise.initial(p.seed(), p.imagesPerPrompt(), channels, h, h);
    int per = channels * h * h;
    float[] xT = new float[missing.size() * per];
    for (int i = 0; i < missing.size(); i++) System.arraycopy(all.data(), missing.get(i) * per, xT, i * per, per);
    FloatTensor latent = runner.sample(prep.inputs(), prep.captions(), new SamplingParams(p.steps(), p.cfgScale(), 1f, 1f, 0),
        new FloatTensor(xT, new long[] {missing.size(), channels, h, h}),
        SeededNoise.posterior(p.seed(), manifest.config().vae().embedDim(), h, h), SeededNoise.steps(p.seed()), StepListener.NONE, Trace.NONE);
    byte[] hwc = DiffusionRunner.toUint8Hwc(runner.decode(latent));
    int bytes = p.size() * p.size() * 3;
    for (int i = 0; i < missing.size(); i++) {
      RgbImage img = new RgbImage(p.size(), p.size(), java.util.Arrays.copyOfRange(hwc, i * bytes, (i + 1) * bytes));
      if (prep.source() != null && p.blend()) img = EditBlend.compose(prep.source(), img, prep.editMask());
      try {
        ImageFiles.write(img, imagesDir.resolve(e.imageName(missing.get(i))));
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot write " + imagesDir.resolve(e.imageName(missing.get(i))), ex);
      }
    }
    return missing.size();
  }

  @Override
  public void close() {
    stages.close();
  }
}
