package io.anytext2.eval.ocr;

import io.anytext2.eval.bench.BenchmarkEntry;
import io.anytext2.eval.bench.BenchmarkFile;
import io.anytext2.eval.bench.BenchmarkLine;
import io.anytext2.eval.report.Failure;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Sentence accuracy and NED over a folder of generated images (TRAINING.md §5.3, the original
 * {@code eval/eval_dgocr.py}): for every entry with at least one line, every image index k and
 * every line, crop, recognise, compare; plain means over all lines × images × entries.
 */
public final class OcrScorer {
  private final OnnxCtcRecognizer recognizer;
  private final OcrDictionary nedDictionary;
  private final RecognizerCrops.ChannelOrder order;

  /**
   * @param nedDictionary the dictionary whose ids NED compares (the original: {@code en_dict.txt} for
   *     laion, {@code ppocr_keys_v1.txt} for wukong)
   */
  public OcrScorer(OnnxCtcRecognizer recognizer, OcrDictionary nedDictionary, RecognizerCrops.ChannelOrder order) {
    this.recognizer = recognizer;
    this.nedDictionary = nedDictionary;
    this.order = order;
  }

  /** One scored line. */
  public record LinePrediction(String image, int line, String language, String truth, String predicted, int match, double ned) {}

  /**
   * Scores {@code imagesPerPrompt} images per entry found in {@code imagesDir}; missing or unreadable
   * images are reported as failures and left out of the means.
   */
  public OcrResult score(BenchmarkFile bench, Path imagesDir, int imagesPerPrompt, Consumer<LinePrediction> sink, IntConsumer entryDone) {
    OcrResult.Builder result = new OcrResult.Builder();
    int done = 0;
    for (BenchmarkEntry e : bench.entries()) {
      entryDone.accept(done++);
      if (e.lines().isEmpty()) continue; // the OCR loader skips entries without a valid line (P-31)
      result.entry();
      List<FloatImage> inputs = new ArrayList<>();
      List<String> images = new ArrayList<>();
      List<BenchmarkLine> lines = new ArrayList<>();
      List<Integer> lineIndex = new ArrayList<>();
      for (int k = 0; k < imagesPerPrompt; k++) {
        String name = e.imageName(k);
        Path file = imagesDir.resolve(name);
        if (!Files.isRegularFile(file)) {
          result.missing(new Failure(name, "image missing"));
          continue;
        }
        RgbImage img;
        try {
          img = ImageFiles.read(file, "generated image");
        } catch (IllegalArgumentException ex) {
          result.missing(new Failure(name, ex.getMessage()));
          continue;
        }
        result.imageRead();
        FloatImage chw = RecognizerCrops.toChw(img, order);
        for (int j = 0; j < e.lines().size(); j++) {
          BenchmarkLine line = e.lines().get(j);
          FloatImage crop;
          try {
            crop = RecognizerCrops.crop(chw, line.polygon());
          } catch (IllegalArgumentException ex) {
            // a degenerate rectangle cannot be read: the line counts as unread (prediction "")
            result.failure(new Failure(name, "line " + j + ": " + ex.getMessage()));
            record(result, sink, name, j, line, "");
            continue;
          }
          inputs.add(RecognizerCrops.recognizerInput(crop));
          images.add(name);
          lines.add(line);
          lineIndex.add(j);
        }
      }
      if (inputs.isEmpty()) continue;
      List<String> predicted = recognizer.recognize(inputs);
      for (int i = 0; i < predicted.size(); i++) record(result, sink, images.get(i), lineIndex.get(i), lines.get(i), predicted.get(i));
    }
    entryDone.accept(done);
    return result.build();
  }

  private void record(OcrResult.Builder result, Consumer<LinePrediction> sink, String image, int j, BenchmarkLine line, String predicted) {
    int match = TextMetrics.sentenceMatch(predicted, line.text());
    double ned = TextMetrics.ned(nedDictionary, predicted, line.text());
    result.line(line.language(), match, ned);
    sink.accept(new LinePrediction(image, j, line.language(), line.text(), predicted, match, ned));
  }
}
