package io.anytext2.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.eval.gen.GenerationProtocol;
import io.anytext2.eval.metrics.ClipEncoders;
import io.anytext2.eval.metrics.ClipScore;
import io.anytext2.eval.metrics.FrechetDistance;
import io.anytext2.eval.metrics.Gaussian;
import io.anytext2.eval.metrics.ImageResize;
import io.anytext2.eval.metrics.InceptionFeatures;
import io.anytext2.eval.report.EvalReport;
import io.anytext2.eval.report.ReportWriter;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the tiny random-weight package: generation, resume, OCR, CLIPScore and FID plumbing, report. */
class EvalRunnerTest {
  @TempDir static Path shared;
  static Path pkg;
  static Path clipImage;
  static Path clipText;
  static Path inception;

  @BeforeAll
  static void models() throws IOException {
    pkg = TestModels.tinyPackage(shared.resolve("pkg"));
    clipImage = TestModels.clipImage(shared.resolve("clip_image.onnx"));
    clipText = TestModels.clipText(shared.resolve("clip_text.onnx"), ClipTokenizer.bundled().vocabSize());
    inception = TestModels.inception(shared.resolve("inception.onnx"));
  }

  static String ann(String text, String poly) {
    return "{\"polygon\": " + poly + ", \"text\": \"" + text + "\", \"language\": \"Latin\", \"valid\": true, \"pos\": 0}";
  }

  /** Three entries in a 128x128 frame: six lines (more than the request API's 5), one line, none. */
  static Path benchmark(Path dir) throws IOException {
    String json = "{\"data_root\": \"src\", \"data_list\": ["
        + "{\"img_name\": \"img/0001.jpg\", \"caption\": \"a shop sign * with words\", \"annotations\": ["
        + ann("OPEN", "[[4,4],[60,4],[60,20],[4,20]]") + "," + ann("SHOP", "[[66,4],[124,4],[124,20],[66,20]]") + ","
        + ann("Java", "[[4,30],[60,30],[60,46],[4,46]]") + "," + ann("Text", "[[66,30],[124,30],[124,46],[66,46]]") + ","
        + ann("HELLO WORLD", "[[4,56],[124,56],[124,80],[4,80]]") + "," + ann("tilt", "[[10,100],[60,90],[64,110],[14,120]]") + ","
        + "{\"polygon\": [[0,0],[9,0],[9,9],[0,9]], \"text\": \"###\", \"language\": \"Latin\", \"valid\": false, \"pos\": 0}]},"
        + "{\"img_name\": \"img/0002.jpg\", \"caption\": \"a poster\", \"annotations\": [" + ann("ABC", "[[20,40],[100,40],[100,70],[20,70]]") + "]},"
        + "{\"img_name\": \"img/0003.jpg\", \"caption\": \"a plain wall\"}]}";
    Path f = Files.createDirectories(dir.resolve("laion_word")).resolve("test1k.json");
    Files.writeString(f, json);
    return f;
  }

  static EvalConfig config(EvalConfig.Mode mode, Path bench, Path out, int images, int steps, Map<String, Path> fidRef) {
    return new EvalConfig(mode, List.of(bench), pkg, out, new GenerationProtocol(images, steps, 7.5f, 100, 128, mode == EvalConfig.Mode.EDIT),
        0, true, null, null, null, null, null, null, clipImage, clipText, null, inception, InceptionFeatures.Range.UNIT, fidRef,
        RuntimeOptions.cpu().withThreads(2));
  }

  static Path referenceFolder(Path dir) throws IOException {
    Random r = new Random(3);
    for (int i = 0; i < 5; i++) {
      byte[] px = new byte[64 * 48 * 3];
      r.nextBytes(px);
      ImageFiles.write(new RgbImage(64, 48, px), dir.resolve("ref" + i + ".png"));
    }
    return dir;
  }

  @Test
  void generatesResumesAndReports(@TempDir Path tmp) throws IOException {
    Path bench = benchmark(tmp);
    Path out = tmp.resolve("out");
    Path ref = referenceFolder(tmp.resolve("ref"));
    EvalConfig cfg = config(EvalConfig.Mode.GEN, bench, out, 2, 2, Map.of("laion_word", ref));
    EvalReport r = EvalRunner.run(cfg, EvalRunner.Listener.NONE);

    Path images = EvalRunner.imagesDir(out, "laion_word");
    for (String stem : List.of("img/0001", "img/0002", "img/0003")) {
      for (int k = 0; k < 2; k++) assertTrue(Files.isRegularFile(images.resolve(stem + "_" + k + ".jpg")), stem + "_" + k);
    }
    EvalReport.BenchmarkReport b = r.benchmarks().get(0);
    assertEquals("laion_word", b.name());
    assertEquals("en", b.language());
    assertEquals(3, b.entries());
    assertEquals(7, b.annotatedLines());
    assertEquals(6, b.generation().imagesGenerated());
    assertEquals(0, b.generation().imagesKept());
    assertEquals(0, b.generation().entriesFailed(), String.valueOf(b.failures()));
    assertEquals(2, b.ocr().entries(), "the entry without lines is not scored");
    assertEquals(4, b.ocr().imagesRead());
    assertEquals(14, b.ocr().lines(), "7 lines x 2 images");
    assertTrue(b.ocr().sentenceAccuracy() >= 0 && b.ocr().sentenceAccuracy() <= 1);
    assertTrue(b.ocr().ned() >= 0 && b.ocr().ned() <= 1);
    assertEquals(14, b.ocr().byLanguage().get("Latin").lines());
    assertEquals(14, Files.readAllLines(out.resolve("laion_word/predictions.jsonl")).size());

    // CLIPScore: the stand-in towers give the channel means of the CLIP input and a constant text vector
    double[] perK = new double[2];
    for (int k = 0; k < 2; k++) {
      for (String stem : List.of("img/0001", "img/0002", "img/0003")) {
        float[] in = ClipEncoders.imageInput(ImageFiles.read(images.resolve(stem + "_" + k + ".jpg"), "t"));
        perK[k] += ClipScore.score(channelMeans(in, 224 * 224), TestModels.TEXT_EMBEDDING, 2.5) / 3;
      }
    }
    assertEquals(6, b.clipScore().images());
    assertEquals(perK[0], b.clipScore().perIndex().get(0), 1e-5);
    assertEquals(perK[1], b.clipScore().perIndex().get(1), 1e-5);
    assertEquals((perK[0] + perK[1]) / 2, b.clipScore().score(), 1e-5);

    // FID: per-channel means of the 299x299 [0,1] input on both sides
    double expected = FrechetDistance.between(Gaussian.ofSamples(inceptionFeatures(listImages(images))),
        Gaussian.ofSamples(inceptionFeatures(listImages(ref))));
    assertEquals(expected, b.fid().value(), 1e-4 * Math.max(1, expected));
    assertEquals(6, b.fid().generatedImages());
    assertEquals(5, b.fid().referenceImages());
    assertTrue(Files.list(out.resolve("cache")).findAny().isPresent(), "reference statistics cached");

    EvalReport back = ReportWriter.readJson(out.resolve(ReportWriter.JSON_FILE));
    assertEquals(b.ocr().sentenceAccuracy(), back.benchmarks().get(0).ocr().sentenceAccuracy());
    String md = Files.readString(out.resolve(ReportWriter.MARKDOWN_FILE));
    assertTrue(md.contains("| **this run** | " + String.format(java.util.Locale.ROOT, "%.4f", b.ocr().sentenceAccuracy())), md);
    assertTrue(md.contains("| AnyText2 | 0.8175 | 0.9193 | 27.87 | 0.9882 | 0.7250 | 0.8529 | 24.32 | 0.9137 |"), md);

    // resume: nothing is generated again, files untouched
    Path one = images.resolve("img/0002_1.jpg");
    long mtime = Files.getLastModifiedTime(images.resolve("img/0001_0.jpg")).toMillis();
    byte[] before = Files.readAllBytes(one);
    EvalReport again = EvalRunner.run(cfg, EvalRunner.Listener.NONE);
    assertEquals(0, again.benchmarks().get(0).generation().imagesGenerated());
    assertEquals(6, again.benchmarks().get(0).generation().imagesKept());
    assertEquals(mtime, Files.getLastModifiedTime(images.resolve("img/0001_0.jpg")).toMillis());
    assertEquals(b.ocr().ned(), again.benchmarks().get(0).ocr().ned());

    // a deleted image is made again, identical (its own slice of the seeded noise)
    Files.delete(one);
    EvalReport third = EvalRunner.run(cfg, EvalRunner.Listener.NONE);
    assertEquals(1, third.benchmarks().get(0).generation().imagesGenerated());
    assertArrayEquals(before, Files.readAllBytes(one));

    // other generation settings in the same folder are refused
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvalRunner.run(config(EvalConfig.Mode.GEN, bench, out, 2, 3, Map.of()), EvalRunner.Listener.NONE));
    assertTrue(e.getMessage().contains("other settings"), e.getMessage());
  }

  @Test
  void scoresExistingImagesWithAnotherRecognizerToKnownValues(@TempDir Path tmp) throws IOException {
    String json = "{\"data_list\": ["
        + "{\"img_name\": \"a.jpg\", \"caption\": \"x\", \"annotations\": [" + ann("HELLO", "[[10,10],[110,10],[110,40],[10,40]]") + "]},"
        + "{\"img_name\": \"b.jpg\", \"caption\": \"y\", \"annotations\": [" + ann("WORLD", "[[10,60],[110,60],[110,90],[10,90]]") + "]}]}";
    Path bench = Files.createDirectories(tmp.resolve("mine")).resolve("bench.json");
    Files.writeString(bench, json);
    Path dict = tmp.resolve("dict.txt");
    Files.writeString(dict, "H\nE\nL\nO\nW\nR\nD\n");
    // every crop reads "HELLO": H E L _ L O with blank = 0, H=1, E=2, L=3, O=4 (9 classes: blank, 7 characters, space)
    Path rec = TestModels.fixedRecognizer(tmp.resolve("rec.onnx"), 9, 1, 2, 3, 0, 3, 4);
    Path out = tmp.resolve("out");
    Path images = EvalRunner.imagesDir(out, "mine-bench");
    RgbImage gray = new RgbImage(128, 128, filled(128 * 128 * 3, (byte) 90));
    ImageFiles.write(gray, images.resolve("a_0.jpg"));
    ImageFiles.write(gray, images.resolve("a_1.jpg"));
    ImageFiles.write(gray, images.resolve("b_0.jpg")); // b_1.jpg is missing
    EvalConfig cfg = new EvalConfig(EvalConfig.Mode.GEN, List.of(bench), null, out, new GenerationProtocol(2, 20, 7.5f, 100, 512, false), 0,
        false, null, null, rec, dict, null, null, null, null, null, null, null, null, RuntimeOptions.cpu().withThreads(1));
    EvalReport r = EvalRunner.run(cfg, EvalRunner.Listener.NONE);
    EvalReport.BenchmarkReport b = r.benchmarks().get(0);
    assertNull(b.generation());
    assertEquals("", b.language());
    assertEquals(3, b.ocr().imagesRead());
    assertEquals(1, b.ocr().imagesMissing());
    assertEquals(3, b.ocr().lines());
    assertEquals(2 / 3.0, b.ocr().sentenceAccuracy(), 1e-12);
    // HELLO vs WORLD: 4 substitutions over 5 characters
    assertEquals((1 + 1 + (1 - 4 / (5 + 1e-5))) / 3, b.ocr().ned(), 1e-12);
    assertEquals("b_1.jpg", b.failures().get(0).item());
    assertNull(b.clipScore());
    assertNull(b.fid());
    assertTrue(Files.readString(out.resolve("report.md")).contains("| mine-bench | - | 2 | 3 | 1 | 3 | 0.6667 |"));
  }

  @Test
  void editsTheBenchmarkPictures(@TempDir Path tmp) throws IOException {
    Path bench = benchmark(tmp);
    Random rnd = new Random(5);
    for (String name : List.of("img/0001.jpg", "img/0002.jpg", "img/0003.jpg")) {
      byte[] px = new byte[128 * 128 * 3];
      for (int i = 0; i < px.length; i++) px[i] = (byte) (60 + rnd.nextInt(40));
      ImageFiles.write(new RgbImage(128, 128, px), tmp.resolve("laion_word/src").resolve(name));
    }
    Path out = tmp.resolve("out");
    EvalConfig cfg = new EvalConfig(EvalConfig.Mode.EDIT, List.of(bench), pkg, out, new GenerationProtocol(1, 1, 7.5f, 100, 128, true), 2,
        true, null, null, null, null, null, null, null, null, null, null, null, null, RuntimeOptions.cpu().withThreads(2));
    EvalReport r = EvalRunner.run(cfg, EvalRunner.Listener.NONE);
    assertEquals("edit", r.mode());
    EvalReport.BenchmarkReport b = r.benchmarks().get(0);
    assertEquals(2, b.entries(), "--limit 2");
    assertEquals(2, b.generation().imagesGenerated());
    // blending keeps the picture outside the edited areas (up to JPEG error)
    RgbImage src = ImageFiles.read(tmp.resolve("laion_word/src/img/0002.jpg"), "t");
    RgbImage edited = ImageFiles.read(EvalRunner.imagesDir(out, "laion_word").resolve("img/0002_0.jpg"), "t");
    assertEquals(src.get(120, 120, 0), edited.get(120, 120, 0), 12);
    assertNotNull(b.ocr());
    assertEquals(7, b.ocr().lines());
  }

  static float[] channelMeans(float[] chw, int plane) {
    float[] m = new float[3];
    for (int c = 0; c < 3; c++) {
      double s = 0;
      for (int i = 0; i < plane; i++) s += chw[c * plane + i];
      m[c] = (float) (s / plane);
    }
    return m;
  }

  static List<RgbImage> listImages(Path dir) throws IOException {
    List<RgbImage> out = new ArrayList<>();
    try (var s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) out.add(ImageFiles.read(p, "t"));
    }
    return out;
  }

  static double[][] inceptionFeatures(List<RgbImage> images) {
    double[][] f = new double[images.size()][];
    for (int i = 0; i < images.size(); i++) {
      RgbImage img = images.get(i);
      int plane = img.width() * img.height();
      float[] chw = new float[3 * plane];
      for (int p = 0; p < plane; p++) for (int c = 0; c < 3; c++) chw[c * plane + p] = img.get(p % img.width(), p / img.width(), c) / 255f;
      float[] r = ImageResize.torchBilinear(chw, 3, img.height(), img.width(), 299, 299);
      float[] m = channelMeans(r, 299 * 299);
      f[i] = new double[] {m[0], m[1], m[2]};
    }
    return f;
  }

  static byte[] filled(int n, byte v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, v);
    return b;
  }
}
