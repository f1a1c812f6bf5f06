package io.anytext2.eval.metrics;

import io.anytext2.eval.OnnxModel;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * pytorch-fid's feature extractor as a user-supplied ONNX file (TRAINING.md §5.4, P-33): one float
 * input [n,3,299,299], RGB. The picture is scaled to [0,1] and resized to 299×299 with torch's
 * bilinear interpolation (align_corners=False), as pytorch-fid's {@code InceptionV3} does first;
 * with {@link Range#SIGNED} it is then mapped to [−1,1] here (for graphs exported with
 * {@code normalize_input=False}), with {@link Range#UNIT} the graph is expected to do it (the
 * pytorch-fid default). Output: the 2048-d pool3 features, [n,2048] or [n,2048,1,1].
 */
public final class InceptionFeatures implements AutoCloseable {
  public static final int SIZE = 299;
  private static final int BATCH = 16;

  /** The value range the ONNX graph takes. */
  public enum Range {
    UNIT,
    SIGNED
  }

  private final OnnxModel model;
  private final String input;
  private final String output;
  private final Range range;

  private InceptionFeatures(OnnxModel model, Range range) {
    this.model = model;
    this.range = range;
    List<String> ins = model.inputNames();
    if (ins.size() != 1) throw new IllegalArgumentException("expected an Inception model with one input, found " + ins);
    input = ins.get(0);
    long[] s = model.shape(input);
    if (s.length != 4 || (s[1] >= 0 && s[1] != 3) || (s[2] >= 0 && s[2] != SIZE) || (s[3] >= 0 && s[3] != SIZE)) {
      throw new IllegalArgumentException("expected an Inception input [n,3,299,299], found " + java.util.Arrays.toString(s));
    }
    List<String> outs = model.outputNames();
    output = outs.contains("pool3") ? "pool3" : outs.get(0);
  }

  public static InceptionFeatures open(Path onnx, Range range, RuntimeOptions options) {
    OnnxModel m = OnnxModel.open(onnx, options, "Inception model");
    try {
      return new InceptionFeatures(m, range);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  public Path file() {
    return model.file();
  }

  /** The [3,299,299] input of one picture. */
  public float[] input(RgbImage img) {
    int w = img.width();
    int h = img.height();
    int plane = w * h;
    float[] chw = new float[3 * plane];
    byte[] px = img.pixels();
    for (int i = 0; i < plane; i++) for (int c = 0; c < 3; c++) chw[c * plane + i] = (px[3 * i + c] & 0xff) / 255f;
    float[] r = w == SIZE && h == SIZE ? chw : ImageResize.torchBilinear(chw, 3, h, w, SIZE, SIZE);
    if (range == Range.SIGNED) for (int i = 0; i < r.length; i++) r[i] = 2 * r[i] - 1;
    return r;
  }

  /** Features of the pictures, into {@code acc}. */
  public void accumulate(List<RgbImage> images, GaussianAccumulator acc) {
    for (int from = 0; from < images.size(); from += BATCH) {
      List<RgbImage> part = images.subList(from, Math.min(images.size(), from + BATCH));
      int per = 3 * SIZE * SIZE;
      float[] batch = new float[part.size() * per];
      for (int i = 0; i < part.size(); i++) System.arraycopy(input(part.get(i)), 0, batch, i * per, per);
      FloatTensor out = model.run(Map.of(input, new FloatTensor(batch, new long[] {part.size(), 3, SIZE, SIZE})), List.of(output)).get(output);
      for (float[] f : ClipEncoders.rows(out, part.size())) acc.add(f);
    }
  }

  /** Feature size, from the first batch. */
  public int featureSize(RgbImage probe) {
    FloatTensor out = model.run(Map.of(input, new FloatTensor(input(probe), new long[] {1, 3, SIZE, SIZE})), List.of(output)).get(output);
    return Math.toIntExact(out.numel());
  }

  @Override
  public void close() {
    model.close();
  }
}
