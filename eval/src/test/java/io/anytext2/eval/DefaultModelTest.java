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
 * synthetic training vocabulary never contains, one line each at a fixed place, read back by the
 * package's own {@code ocr_recognizer} (RGB crops, as it was trained). {@code
 * -Danytext2.default.samples=DIR} also writes the pictures there, {@code -Danytext2.default.cfg=S} runs at
 * another guidance scale than 9 (for packages under study); the scores are printed.
 */
class DefaultModelTest {
  /** Held out: none of these is a word of the synthetic generator's Latin vocabulary. */
  static final List<String> HELD_OUT = List.of("SHIP", "CANDY", "PAPER", "LAMP", "GLASS", "TABLE", "CHAIR", "BOAT", "FISH", "DOOR",
      "KING", "QUEEN", "ROSE", "TIGER", "APPLE", "HONEY", "SALT", "WOOD", "IRON", "MILE");
  static final String PROMPT = "A plain white background, showing one line of black text in English.";
  static final Polygon PLACE = Polygon.of(12, 44, 116, 44, 116, 84, 12, 84);

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

  static AnyText2Request request(String word, long seed) {
    return AnyText2Request.generate(PROMPT).line(TextLine.of(word).at(PLACE)).size(128, 128).steps(20).seed(seed)
        .cfgScale(Float.parseFloat(System.getProperty("anytext2.default.cfg", "9"))).build();
  }

  /** What the package's recognizer reads at {@link #PLACE}. */
  static String read(RgbImage image) {
    FloatImage chw = RecognizerCrops.toChw(image, RecognizerCrops.ChannelOrder.RGB);
    return recognizer.recognize(List.of(RecognizerCrops.recognizerInput(RecognizerCrops.crop(chw, PLACE)))).get(0);
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
      RgbImage img = pipeline.run(request(HELD_OUT.get(i), 100 + i)).images().get(0);
      sum += edgeRatio(img, 12, 44, 116, 84);
    }
    double ratio = sum / 8;
    System.out.printf("default model: edge strength inside the requested box / outside = %.2f%n", ratio);
    // measured on the shipped package: 6.32 (the model before it 3.65, before caption dropout 2.75; the earlier placeholder 0.99); the
    // floor leaves a margin for other CPUs' rounding and fails for a model that draws noise everywhere
    assertTrue(ratio >= EDGE_RATIO_FLOOR, "edge ratio " + ratio + " below " + EDGE_RATIO_FLOOR);
  }

  static final double EDGE_RATIO_FLOOR = 5.0;

  /**
   * What the judge can read at all, so that the generated scores can be read against it: each held-out
   * word drawn black on white at {@link #PLACE} in the synthetic data's font (DejaVu Sans), read by the
   * package's recognizer as drawn and after the package's VAE (encoder mean, decoder) — the best any
   * generated picture can score with this judge and this VAE. Asserted: the VAE keeps these pictures
   * (PSNR); the readings are printed (README "The default model").
   */
  @Test
  void theJudgeReadsCleanRendersAndTheirVaeRoundTrip() throws Exception {
    Path pkg = Path.of(System.getProperty("anytext2.default.package", "../onnx"));
    int clean = 0;
    int round = 0;
    double cleanNed = 0;
    double roundNed = 0;
    double minPsnr = Double.MAX_VALUE;
    List<String> lines = new ArrayList<>();
    FontLibrary fonts = FontLibrary.bundled();
    GlyphRenderer glyphs = new GlyphRenderer(fonts);
    FontFace face = fonts.faces().get(0);
    try (OnnxModel enc = OnnxModel.open(pkg.resolve("vae_encoder.onnx"), RuntimeOptions.cpu(), "VAE encoder");
        OnnxModel dec = OnnxModel.open(pkg.resolve("vae_decoder.onnx"), RuntimeOptions.cpu(), "VAE decoder")) {
      for (String word : HELD_OUT) {
        RgbImage drawn = drawn(word, glyphs, face);
        // the pipeline's own conversions: the picture to [-1, 1] (an empty mask masks nothing), the decoder's output to uint8
        FloatImage chw = MaskedImage.of(drawn, Mask.empty(drawn.width(), drawn.height()));
        FloatTensor input = new FloatTensor(chw.data(), new long[] {1, 3, chw.height(), chw.width()});
        FloatTensor latent = enc.run(Map.of("image", input), List.of("mean")).get("mean");
        RgbImage back = new RgbImage(drawn.width(), drawn.height(),
            DiffusionRunner.toUint8Hwc(dec.run(Map.of("latent", latent), List.of("image")).get("image")));
        minPsnr = Math.min(minPsnr, drawn.psnr(back));
        String samples = System.getProperty("anytext2.default.samples");
        if (samples != null) ImageFiles.write(back, Path.of(samples, "vae-" + word.toLowerCase() + ".png"));
        String a = read(drawn);
        String b = read(back);
        clean += TextMetrics.sentenceMatch(a, word);
        round += TextMetrics.sentenceMatch(b, word);
        cleanNed += TextMetrics.ned(dictionary, a, word);
        roundNed += TextMetrics.ned(dictionary, b, word);
        lines.add(word + " -> drawn '" + a + "', after the VAE '" + b + "'");
      }
    }
    int n = HELD_OUT.size();
    System.out.printf("default model's judge on %d held-out words drawn in DejaVu Sans: accuracy %.3f, NED %.3f; after the VAE: accuracy %.3f, NED %.3f"
        + " (lowest PSNR %.1f dB)%n  %s%n", n, clean / (double) n, cleanNed / n, round / (double) n, roundNed / n, minPsnr, String.join("\n  ", lines));
    // measured on the shipped package: lowest PSNR 17.4 dB, NED 0.075 as drawn and 0.293 after the VAE (0.103 / 0.236 with the
    // evaluation's earlier black padding; as drawn, the 40 px box leaves 5-10 px margins round the 28 px ink, far looser than the
    // judge's training crops (8 % margin): cropped to the ink box + 2 px it reads NED 0.73) (the model before it:
    // 12.6 dB, the white turned pink, its judge read 0.035 / 0.025); a decoder that ignores its latent and returns flat mid-grey
    // scores ≈ 6 dB against these pictures, a judge that reads nothing NED 0
    assertTrue(minPsnr >= VAE_PSNR_FLOOR, "VAE round trip PSNR " + minPsnr + " dB below " + VAE_PSNR_FLOOR);
    assertTrue(roundNed / n >= JUDGE_NED_FLOOR, "the judge reads the VAE's pictures of clean words at NED " + roundNed / n);
  }

  static final double VAE_PSNR_FLOOR = 15.0;
  static final double HELD_OUT_NED_FLOOR = 0.03;
  static final double JUDGE_NED_FLOOR = 0.15;

  /**
   * {@code word} in black on white exactly as the model is asked to draw it: the glyph hint the
   * pipeline renders for {@link #PLACE} (the synthetic data's font, DejaVu Sans, fitted into the box
   * and letter-spaced to fill it, as the training images' tight polygons do). A word drawn at its
   * natural width inside the 40 px box instead leaves margins the recognizer never saw in training
   * (README "The default model").
   */
  static RgbImage drawn(String word, GlyphRenderer glyphs, FontFace face) {
    float[] cover = glyphs.glyphImage(face, word, PLACE, new int[] {255, 255, 255}, 128, 128).data(); // one copy, not one per pixel
    byte[] px = new byte[128 * 128 * 3];
    for (int i = 0; i < 128 * 128; i++) {
      for (int c = 0; c < 3; c++) {
        px[3 * i + c] = (byte) Math.round(255f * (1f - cover[c * 128 * 128 + i]));
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
    String samples = System.getProperty("anytext2.default.samples");
    int exact = 0;
    double ned = 0;
    double chance = 0;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < HELD_OUT.size(); i++) {
      String word = HELD_OUT.get(i);
      GenerationResult r = pipeline.run(request(word, 100 + i));
      String read = read(r.images().get(0));
      exact += TextMetrics.sentenceMatch(read, word);
      ned += TextMetrics.ned(dictionary, read, word);
      chance += TextMetrics.ned(dictionary, read, HELD_OUT.get((i + 1) % HELD_OUT.size())); // the reading against another word
      lines.add(word + " -> '" + read + "'");
      if (samples != null) ImageFiles.write(r.images().get(0), Path.of(samples, "default-" + word.toLowerCase() + ".png"));
    }
    double accuracy = exact / (double) HELD_OUT.size();
    double meanNed = ned / HELD_OUT.size();
    System.out.printf("default model, %d held-out words: sentence accuracy %.3f, NED %.3f (against the next word instead: %.3f)%n  %s%n",
        HELD_OUT.size(), accuracy, meanNed, chance / HELD_OUT.size(), String.join("\n  ", lines));
    // measured on the shipped package: sentence accuracy 0.000, NED 0.045, against the next word 0.020 (0.078 / 0.035 while the
    // evaluation black-padded its crops, which made the judge read spurious letters into the padding; README "The default
    // model"); a model that draws nothing readable scores about the latter, a blank line 0
    assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
    assertTrue(meanNed >= HELD_OUT_NED_FLOOR, "NED " + meanNed + " below " + HELD_OUT_NED_FLOOR);
  }
}
