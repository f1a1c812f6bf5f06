package io.anytext2.bench.jmh;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.layout.AutoLayout;
import io.anytext2.sdk.pipeline.Preprocessor;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.sched.DdimScheduler;
import io.anytext2.sdk.sched.DdimStep;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host-side (CPU) parts of a request, which run around the model graphs: CLIP tokenisation,
 * glyph rendering, automatic layout, the whole request preprocessing, one DDIM update with
 * guidance and PNG input/output. Sizes are those of the benchmark request (512×512, two lines).
 *
 * <pre>{@code
 * mvn -B -ntp -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/anytext2-benchmarks.jar CpuParts -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuPartsBenchmark {
  static final String PROMPT = "a photo of a street shop sign that reads \"OPEN\" and \"Fresh Bread\", evening light, 4k";
  static final List<String> LINES = List.of("OPEN", "Fresh Bread");

  /** Latent batch of the DDIM update: 1 or 4 images of 4×64×64. */
  @Param({"1", "4"})
  int images;

  private ClipTokenizer tokenizer;
  private GlyphRenderer glyphs;
  private FontFace face;
  private Polygon box;
  private Preprocessor preprocessor;
  private AnyText2Request request;
  private DdimScheduler ddim;
  private float[] x;
  private float[] epsCond;
  private float[] epsUncond;
  private RgbImage image;
  private Path dir;
  private Path png;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    tokenizer = ClipTokenizer.bundled();
    FontLibrary fonts = FontLibrary.bundled();
    glyphs = new GlyphRenderer(fonts);
    face = fonts.renderingFace();
    box = AutoLayout.place(LINES, 512, 512, Mask.empty(512, 512)).get(1);
    preprocessor = new Preprocessor(fonts, 8);
    request = AnyText2Request.generate(PROMPT).line("OPEN").line("Fresh Bread").size(512, 512).cfgScale(9f).seed(1).build();
    ddim = DdimScheduler.sd15(20, 0);
    SplittableRandom r = new SplittableRandom(1);
    int n = images * 4 * 64 * 64;
    x = gaussian(r, n);
    epsCond = gaussian(r, n);
    epsUncond = gaussian(r, n);
    byte[] pixels = new byte[512 * 512 * 3];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) r.nextInt(256);
    image = new RgbImage(512, 512, pixels);
    dir = Files.createTempDirectory("anytext2-bench-");
    png = dir.resolve("image.png");
    ImageFiles.write(image, png);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(png);
    Files.deleteIfExists(dir.resolve("out.png"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public long[][] tokenizePrompt() {
    return tokenizer.encodeChunks(PROMPT);
  }

  @Benchmark
  public Object renderGlyphLine() {
    return glyphs.glyphLine(face, "Fresh Bread");
  }

  @Benchmark
  public Object renderGlyphImage() {
    return glyphs.glyphImage(face, "Fresh Bread", box, new int[] {200, 30, 40}, 512, 512);
  }

  @Benchmark
  public List<Polygon> autoLayout() {
    return AutoLayout.place(LINES, 512, 512, Mask.empty(512, 512));
  }

  /** Everything before the first graph call: prompt parsing, layout, glyphs, masks, OCR crops. */
  @Benchmark
  public Preprocessor.Prepared preprocessRequest() {
    return preprocessor.prepare(request, 7);
  }

  /** One DDIM update with classifier-free guidance (the host arithmetic between UNet calls). */
  @Benchmark
  public DdimStep ddimStepWithGuidance() {
    return ddim.step(x, epsCond, epsUncond, 9f, 10);
  }

  @Benchmark
  public void writePng() throws IOException {
    ImageFiles.write(image, dir.resolve("out.png"));
  }

  @Benchmark
  public RgbImage readPng() {
    return ImageFiles.read(png, "image");
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian());
    return v;
  }
}
