package io.anytext2.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.eval.ocr.OcrDictionary;
import io.anytext2.eval.ocr.OnnxCtcRecognizer;
import io.anytext2.eval.ocr.RecognizerCrops;
import io.anytext2.eval.ocr.TextMetrics;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.pipeline.DiffusionRunner;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.MaskedImage;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped default model ({@code onnx/} of the repository, README "The default model"): it loads,
 * a fixed seed gives the same picture twice, and its text is measured the README's way: words the
 * synthetic training vocabulary never contains, one line each in a box shaped like the training lines ({@link #place}), read back by the
 * package's own {@code ocr_recognizer} (RGB crops, as it was trained). {@code
 * -Danytext2.default.samples=DIR} also writes the pictures there, {@code -Danytext2.default.cfg=S} runs at
 * another guidance scale than 9, {@code -Danytext2.default.color=none} without the line colour (another R,G,B: that ink,
 * the clean renders too) and {@code -Danytext2.default.cjk=w1,w2,…} with other Chinese words (for packages under study);
 * the scores are printed.
 */
class DefaultModelTest {
  /** Held out: none of these is a word of the synthetic generator's Latin vocabulary. */
  static final List<String> HELD_OUT = List.of("SHIP", "CANDY", "PAPER", "LAMP", "GLASS", "TABLE", "CHAIR", "BOAT", "FISH", "DOOR",
      "KING", "QUEEN", "ROSE", "TIGER", "APPLE", "HONEY", "SALT", "WOOD", "IRON", "MILE");
  static final String PROMPT = "A plain white background, showing one line of black text in English.";
  /** Ink height of a held-out word: inside the synthetic data's 18-32 % of 128 px. */
  static final int INK_HEIGHT = 28;
  private static final FontFace FACE = FontLibrary.bundled().renderingFace();

  /**
   * Where {@code word} is asked for: centred, its box shaped as the synthetic data's polygons are (the word's ink in the
   * rendering face at {@link #INK_HEIGHT} px plus an 8 % margin all round, TextStamp), so that the glyph hint fitted into
   * it is neither stretched nor letter-spaced and the crop the judge reads has the margins it was trained on. (Until
   * 2026-11-26 every word had the same 104 x 40 box: short words came out letter-spaced, looser than any training line.)
   */
  static Polygon place(String word) {
    FontFace face = faceFor(word);
    java.awt.geom.Rectangle2D ink = new java.awt.font.TextLayout(word, face.atSize(100),
        new java.awt.font.FontRenderContext(null, true, true)).getBounds();
    int margin = Math.max(1, (int) Math.round(INK_HEIGHT * 0.08));
    // a long word shrinks to 90 % of the side, as the synthetic data's LinePlacer shrinks it (not squeezed)
    double scale = Math.min(INK_HEIGHT / ink.getHeight(), (0.9 * 128 - 2 * margin) / ink.getWidth());
    int w = (int) Math.ceil(ink.getWidth() * scale) + 2 * margin;
    int h = (int) Math.ceil(ink.getHeight() * scale) + 2 * margin;
    int x0 = 64 - w / 2;
    int y0 = 64 - h / 2;
    return Polygon.of(x0, y0, x0 + w, y0, x0 + w, y0 + h, x0, y0 + h);
  }

  /** The first bundled face that has every character of {@code word} (DejaVu Sans for Latin, WenQuanYi for Chinese). */
  static FontFace faceFor(String word) {
    return FontLibrary.bundled().faces().stream().filter(f -> word.codePoints().allMatch(f::covers)).findFirst().orElse(FACE);
  }

  private static AnyText2Pipeline pipeline;
  private static OnnxCtcRecognizer recognizer;
  private static OcrDictionary dictionary;

  @BeforeAll
  static void open() {
    Path pkg = Path.of(System.getProperty("anytext2.default.package", "../onnx"));
    assumeTrue(Files.isRegularFile(pkg.resolve("manifest.json")), "no default model package at " + pkg.toAbsolutePath() + "; skipping");
    pipeline = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu());
    dictionary = OcrDictionary.read(pkg.resolve("ocr/dictionary.txt"));
    recognizer = OnnxCtcRecognizer.open(pkg.resolve("ocr_recognizer.onnx"), dictionary, RuntimeOptions.cpu(), "default model recognizer");
  }

  @AfterAll
  static void close() {
    if (recognizer != null) recognizer.close();
    if (pipeline != null) pipeline.close();
  }

  /**
   * The line's colour: black, as the prompt says. The model was trained with every line's colour given (color_prob 1.0,
   * TRAINING.md), so a line without one asks it for an embedding it never saw. {@code -Danytext2.default.color=none}
   * leaves it to the model, any other value is parsed as R,G,B or #RRGGBB.
   */
  static TextLine line(String word) {
    String c = System.getProperty("anytext2.default.color", "0,0,0");
    TextLine line = TextLine.of(word).at(place(word));
    return c.equals("none") ? line : line.withColor(io.anytext2.sdk.Rgb.parse(c));
  }

  static AnyText2Request request(String word, long seed) {
    return request(word, PROMPT, seed);
  }

  static AnyText2Request request(String word, String prompt, long seed) {
    return AnyText2Request.generate(prompt).line(line(word)).size(128, 128).steps(20).seed(seed)
        .cfgScale(Float.parseFloat(System.getProperty("anytext2.default.cfg", "9"))).build();
  }

  /** What the package's recognizer reads in {@code word}'s box ({@link #place}). */
  static String read(RgbImage image, String word) {
    FloatImage chw = RecognizerCrops.toChw(image, RecognizerCrops.ChannelOrder.RGB);
    return recognizer.recognize(List.of(RecognizerCrops.recognizerInput(RecognizerCrops.crop(chw, place(word))))).get(0);
  }

  @Test
  void theShippedPackageGeneratesTheSamePictureForTheSameSeed() {
    RgbImage a = pipeline.run(request("SHIP", 5)).images().get(0);
    RgbImage b = pipeline.run(request("SHIP", 5)).images().get(0);
    assertEquals(128, a.width());
    assertEquals(128, a.height());
    assertArrayEquals(a.pixels(), b.pixels());
    RgbImage other = pipeline.run(request("SHIP", 6)).images().get(0);
    assertTrue(!java.util.Arrays.equals(a.pixels(), other.pixels()), "another seed, another picture");
  }

  /**
   * Where the text goes: the mean luma edge strength inside the requested box over the mean outside it,
   * averaged over the held-out words. A model that draws strokes where it is asked scores well above 1;
   * the earlier placeholder (noise textures everywhere) scored about 1.
   */
  @Test
  void strokesAppearWhereTheLineWasAsked() {
    double sum = 0;
    for (int i = 0; i < 8; i++) {
      String word = HELD_OUT.get(i);
      RgbImage img = pipeline.run(request(word, 100 + i)).images().get(0);
      List<io.anytext2.sdk.prep.IntPoint> box = place(word).points();
      sum += edgeRatio(img, box.get(0).x(), box.get(0).y(), box.get(2).x(), box.get(2).y());
    }
    double ratio = sum / 8;
    System.out.printf("default model: edge strength inside the requested box / outside = %.2f%n", ratio);
    // measured on the shipped package (stage 3g, Latin + Chinese, black ink given): 14.79; 3f 12.61 (without the colour
    // 3.45); the model before it 7.53 with the colour, 5.63 without; the earlier placeholder 0.99. The floor leaves a margin
    // for other CPUs' rounding and fails for a model that draws noise everywhere
    assertTrue(ratio >= EDGE_RATIO_FLOOR, "edge ratio " + ratio + " below " + EDGE_RATIO_FLOOR);
  }

  static final double EDGE_RATIO_FLOOR = 10.0;

  /**
   * What the judge can read at all, so that the generated scores can be read against it: each held-out
   * word drawn black on white at {@link #place} in the synthetic data's font (DejaVu Sans), read by the
   * package's recognizer as drawn and after the package's VAE (encoder mean, decoder) — the best any
   * generated picture can score with this judge and this VAE. Asserted: the VAE keeps these pictures
   * (PSNR); the readings are printed (README "The default model").
   */
  @Test
  void theJudgeReadsCleanRendersAndTheirVaeRoundTrip() throws Exception {
    double[] m = judgeOnCleanWords(HELD_OUT, "");
    // measured on the shipped package (judge 1d, fine-tuned on glyph-aligned Latin and Chinese lines, README "The default
    // model"): lowest PSNR 17.6 dB, NED 0.888 as drawn (accuracy 0.55) and 0.366 after the VAE; judge 1c (Latin only) read
    // 0.846 / 0.462, the judge before it 0.378 / 0.324 in these boxes, and 0.075 / 0.293 in the former fixed 104 x 40 box,
    // whose letter-spaced short words no training line resembled. A decoder that ignores its latent and returns flat
    // mid-grey scores about 6 dB against these pictures, a judge that reads nothing NED 0
    assertTrue(m[2] >= VAE_PSNR_FLOOR, "VAE round trip PSNR " + m[2] + " dB below " + VAE_PSNR_FLOOR);
    assertTrue(m[0] >= JUDGE_CLEAN_NED_FLOOR, "the judge reads clean words at NED " + m[0]);
    assertTrue(m[1] >= JUDGE_NED_FLOOR, "the judge reads the VAE's pictures of clean words at NED " + m[1]);
  }

  /**
   * Each word drawn on white ({@link #drawn}) at {@link #place} in the first bundled face that covers it, read by the package's
   * recognizer as drawn and after the package's VAE; prints the readings and returns {NED as drawn, NED after the VAE,
   * lowest PSNR of the round trip}.
   */
  private static double[] judgeOnCleanWords(List<String> words, String label) throws Exception {
    Path pkg = Path.of(System.getProperty("anytext2.default.package", "../onnx"));
    int clean = 0;
    int round = 0;
    double cleanNed = 0;
    double roundNed = 0;
    double minPsnr = Double.MAX_VALUE;
    List<String> lines = new ArrayList<>();
    FontLibrary fonts = FontLibrary.bundled();
    GlyphRenderer glyphs = new GlyphRenderer(fonts);
    try (OnnxModel enc = OnnxModel.open(pkg.resolve("vae_encoder.onnx"), RuntimeOptions.cpu(), "VAE encoder");
        OnnxModel dec = OnnxModel.open(pkg.resolve("vae_decoder.onnx"), RuntimeOptions.cpu(), "VAE decoder")) {
      for (String word : words) {
        RgbImage drawn = drawn(word, glyphs, faceFor(word));
        // the pipeline's own conversions: the picture to [-1, 1] (an empty mask masks nothing), the decoder's output to uint8
        FloatImage chw = MaskedImage.of(drawn, Mask.empty(drawn.width(), drawn.height()));
        FloatTensor input = new FloatTensor(chw.data(), new long[] {1, 3, chw.height(), chw.width()});
        FloatTensor latent = enc.run(Map.of("image", input), List.of("mean")).get("mean");
        RgbImage back = new RgbImage(drawn.width(), drawn.height(),
            DiffusionRunner.toUint8Hwc(dec.run(Map.of("latent", latent), List.of("image")).get("image")));
        minPsnr = Math.min(minPsnr, drawn.psnr(back));
        String samples = System.getProperty("anytext2.default.samples");
        if (samples != null) ImageFiles.write(back, Path.of(samples, "vae-" + label + (label.isEmpty() ? word.toLowerCase() : "" + lines.size()) + ".png"));
        String a = read(drawn, word);
        String b = read(back, word);
        clean += TextMetrics.sentenceMatch(a, word);
        round += TextMetrics.sentenceMatch(b, word);
        cleanNed += TextMetrics.ned(dictionary, a, word);
        roundNed += TextMetrics.ned(dictionary, b, word);
        lines.add(word + " -> drawn '" + a + "', after the VAE '" + b + "'");
      }
    }
    int n = words.size();
    System.out.printf("default model's judge on %d held-out %swords drawn in the bundled fonts: accuracy %.3f, NED %.3f; after the VAE: accuracy %.3f, NED %.3f"
        + " (lowest PSNR %.1f dB)%n  %s%n", n, label.isEmpty() ? "" : "Chinese ", clean / (double) n, cleanNed / n, round / (double) n, roundNed / n, minPsnr,
        String.join("\n  ", lines));
    return new double[] {cleanNed / n, roundNed / n, minPsnr};
  }

  static final double VAE_PSNR_FLOOR = 15.0;
  static final double HELD_OUT_NED_FLOOR = 0.15;
  static final double JUDGE_CLEAN_NED_FLOOR = 0.75;
  static final double JUDGE_NED_FLOOR = 0.30;
  static final double CJK_EDGE_RATIO_FLOOR = 8.0;

  /**
   * {@code word} on white in the line's ink ({@link #line}: black by default and without a colour) exactly as the model is
   * asked to draw it: the glyph hint the pipeline renders for {@link #place} ({@code face} fitted into the box, as the
   * training images' glyph-aligned lines are). A word drawn at its natural width inside a wider box instead leaves margins
   * the recognizer never saw in training (README "The default model").
   */
  static RgbImage drawn(String word, GlyphRenderer glyphs, FontFace face) {
    float[] cover = glyphs.glyphImage(face, word, place(word), new int[] {255, 255, 255}, 128, 128).data(); // one copy, not one per pixel
    io.anytext2.sdk.Rgb ink = line(word).color();
    int[] rgb = ink == null ? new int[3] : new int[] {ink.r(), ink.g(), ink.b()};
    byte[] px = new byte[128 * 128 * 3];
    for (int i = 0; i < 128 * 128; i++) {
      for (int c = 0; c < 3; c++) {
        float t = cover[c * 128 * 128 + i];
        px[3 * i + c] = (byte) Math.round(255f * (1f - t) + rgb[c] * t);
      }
    }
    return new RgbImage(128, 128, px);
  }

  /** Mean |∂x L| + |∂y L| of luma inside [x0, x1) × [y0, y1) over the mean outside it. */
  static double edgeRatio(RgbImage img, int x0, int y0, int x1, int y1) {
    int w = img.width();
    int h = img.height();
    double[] luma = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        luma[y * w + x] = 0.299 * img.get(x, y, 0) + 0.587 * img.get(x, y, 1) + 0.114 * img.get(x, y, 2);
      }
    }
    double in = 0;
    double out = 0;
    int nIn = 0;
    int nOut = 0;
    for (int y = 0; y < h - 1; y++) {
      for (int x = 0; x < w - 1; x++) {
        double e = Math.abs(luma[y * w + x + 1] - luma[y * w + x]) + Math.abs(luma[(y + 1) * w + x] - luma[y * w + x]);
        if (x >= x0 && x < x1 && y >= y0 && y < y1) {
          in += e;
          nIn++;
        } else {
          out += e;
          nOut++;
        }
      }
    }
    return (in / nIn) / Math.max(1e-9, out / nOut);
  }

  @Test
  void heldOutWordsAreMeasuredWithThePackagesRecognizer() throws Exception {
    double[] m = measure(HELD_OUT, PROMPT, "");
    double accuracy = m[0];
    double meanNed = m[1];
    // measured on the shipped package (3g with judge 1d): sentence accuracy 0.000, NED 0.190, against the other words 0.064
    // (the judge reads the VAE's pictures of the clean words at 0.366, above); with judge 1c 0.238 / 0.090, where 3f scored
    // 0.226 / 0.092 (without the line colour 0.100 / 0.083) and the model before it 0.088 / 0.054 (README "The default
    // model"). A blank line scores 0. The floor is the measured level minus a margin for other CPUs' rounding.
    assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
    assertTrue(meanNed >= HELD_OUT_NED_FLOOR, "NED " + meanNed + " below " + HELD_OUT_NED_FLOOR);
  }

  /**
   * Chinese held-out words (none in the synthetic Chinese vocabulary's word list; every character in its character set),
   * measured as the Latin ones when the package's dictionary has their characters (a Latin-only package skips, saying so).
   * The shipped judge reads none of them, not even drawn clean (NED 0.000 both; it reads synthetic training-like Chinese
   * lines at 0.33, mostly whole vocabulary words), so what is asserted is where the strokes go: the edge ratio, 11.50 on the
   * shipped package (3f, never trained on Chinese, 9.23), README "The default model".
   */
  @Test
  void heldOutChineseWordsAreMeasuredWhenTheJudgeReadsChinese() throws Exception {
    Path pkg = Path.of(System.getProperty("anytext2.default.package", "../onnx"));
    java.util.Set<Integer> known = new java.util.HashSet<>();
    for (String line : Files.readAllLines(pkg.resolve("ocr/dictionary.txt"))) if (!line.isEmpty()) known.add(line.codePointAt(0));
    assumeTrue(HELD_OUT_CJK.stream().allMatch(w -> w.codePoints().allMatch(known::contains)),
        "the package's OCR dictionary has no Chinese: Chinese lines are not measured (README \"The default model\")");
    double[] judge = judgeOnCleanWords(HELD_OUT_CJK, "zh-");
    double[] m = measure(HELD_OUT_CJK, PROMPT_CJK, "zh-");
    assertTrue(judge[2] >= VAE_PSNR_FLOOR, "VAE round trip PSNR of Chinese words " + judge[2] + " dB below " + VAE_PSNR_FLOOR);
    assertTrue(m[1] >= 0 && m[1] <= 1, "NED " + m[1]);
    assertTrue(m[3] >= CJK_EDGE_RATIO_FLOOR, "Chinese edge ratio " + m[3] + " below " + CJK_EDGE_RATIO_FLOOR);
  }

  /** {@code -Danytext2.default.cjk=w1,w2,…} measures other Chinese words (e.g. training-vocabulary ones, for a study). */
  static final List<String> HELD_OUT_CJK = System.getProperty("anytext2.default.cjk") != null
      ? List.of(System.getProperty("anytext2.default.cjk").split(","))
      : List.of("开门", "大学", "东方", "山水", "白天", "人民", "时间", "中心", "小说", "工作");
  static final String PROMPT_CJK = "A plain white background, showing one line of black text in Chinese.";

  /**
   * Generates each word at {@link #place}, reads it back, prints the readings and returns {accuracy, NED, NED against the
   * other words, mean edge ratio in the box ({@link #edgeRatio})}; {@code -Danytext2.default.samples} also gets the pictures (file names prefixed with {@code prefix}).
   */
  private static double[] measure(List<String> words, String prompt, String prefix) throws Exception {
    String samples = System.getProperty("anytext2.default.samples");
    int exact = 0;
    double ned = 0;
    double chance = 0;
    double edges = 0;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      GenerationResult r = pipeline.run(request(word, prompt, 100 + i));
      String read = read(r.images().get(0), word);
      List<io.anytext2.sdk.prep.IntPoint> box = place(word).points();
      edges += edgeRatio(r.images().get(0), box.get(0).x(), box.get(0).y(), box.get(2).x(), box.get(2).y());
      exact += TextMetrics.sentenceMatch(read, word);
      ned += TextMetrics.ned(dictionary, read, word);
      for (String other : words) { // the reading against every other word: what a reading that ignores the request scores
        if (!other.equals(word)) chance += TextMetrics.ned(dictionary, read, other) / (words.size() - 1);
      }
      lines.add(word + " -> '" + read + "'");
      if (samples != null) ImageFiles.write(r.images().get(0), Path.of(samples, "default-" + prefix + (prefix.isEmpty() ? word.toLowerCase() : "" + i) + ".png"));
    }
    int n = words.size();
    System.out.printf("default model, %d held-out %swords: sentence accuracy %.3f, NED %.3f (against the other words instead: %.3f),"
        + " edge strength inside the box / outside %.2f%n  %s%n",
        n, prefix.isEmpty() ? "" : "Chinese ", exact / (double) n, ned / n, chance / n, edges / n, String.join("\n  ", lines));
    return new double[] {exact / (double) n, ned / n, chance / n, edges / n};
  }
}
