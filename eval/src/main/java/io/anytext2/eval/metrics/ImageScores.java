package io.anytext2.eval.metrics;

import io.anytext2.eval.bench.BenchmarkEntry;
import io.anytext2.eval.bench.BenchmarkFile;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * CLIPScore and the generated side of FID in one pass over a benchmark's images (each picture is
 * read once). CLIPScore follows TRAINING.md §5.5: the raw caption, 2.5·max(cos, 0) per image, a
 * mean per image index k, then the mean of those means.
 */
public final class ImageScores {
  private ImageScores() {}

  /**
   * @param images pictures scored
   * @param clipScore mean over k of the per-k means (NaN without CLIP)
   * @param perIndex per-k means (NaN where index k had no image)
   * @param meanCosine mean cosine over all pictures
   * @param generated Inception statistics of the pictures (null without Inception or with fewer than 2)
   */
  public record Result(int images, double clipScore, double[] perIndex, double meanCosine, Gaussian generated) {}

  /** {@code clip} and {@code inception} may each be null. */
  public static Result score(BenchmarkFile bench, Path imagesDir, int imagesPerPrompt, ClipEncoders clip, InceptionFeatures inception,
      IntConsumer entryDone) {
    double[] sum = new double[imagesPerPrompt];
    int[] count = new int[imagesPerPrompt];
    double cosSum = 0;
    int images = 0;
    GaussianAccumulator acc = null;
    int done = 0;
    for (BenchmarkEntry e : bench.entries()) {
      List<RgbImage> pics = new ArrayList<>();
      List<Integer> index = new ArrayList<>();
      for (int k = 0; k < imagesPerPrompt; k++) {
        Path f = imagesDir.resolve(e.imageName(k));
        if (!Files.isRegularFile(f)) continue;
        try {
          pics.add(ImageFiles.read(f, "generated image"));
          index.add(k);
        } catch (IllegalArgumentException ex) {
          // unreadable pictures are reported by the OCR pass; they are skipped here
        }
      }
      if (!pics.isEmpty()) {
        images += pics.size();
        if (clip != null) {
          float[] text = clip.encodeTexts(List.of(e.caption())).get(0);
          List<float[]> feats = clip.encodeImages(pics);
          for (int i = 0; i < feats.size(); i++) {
            double cos = ClipScore.cosine(feats.get(i), text);
            cosSum += cos;
            sum[index.get(i)] += ClipScore.BENCHMARK_WEIGHT * Math.max(0, cos);
            count[index.get(i)]++;
          }
        }
        if (inception != null) {
          if (acc == null) acc = new GaussianAccumulator(inception.featureSize(pics.get(0)));
          inception.accumulate(pics, acc);
        }
      }
      entryDone.accept(++done);
    }
    double[] perIndex = new double[imagesPerPrompt];
    double total = 0;
    int used = 0;
    for (int k = 0; k < imagesPerPrompt; k++) {
      perIndex[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
      if (count[k] > 0) {
        total += perIndex[k];
        used++;
      }
    }
    double clipScore = clip == null || used == 0 ? Double.NaN : total / used;
    double meanCos = clip == null || images == 0 ? Double.NaN : cosSum / images;
    Gaussian g = acc != null && acc.count() >= 2 ? acc.result() : null;
    return new Result(images, clipScore, perIndex, meanCos, g);
  }
}
