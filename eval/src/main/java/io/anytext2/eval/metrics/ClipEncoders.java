package io.anytext2.eval.metrics;

import io.anytext2.eval.OnnxModel;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLIP image and text towers of CLIPScore (TRAINING.md §5.5), as two user-supplied ONNX files.
 *
 * <ul>
 *   <li>Image: one float input [n,3,224,224]; the picture is resized so that its shorter side is 224
 *       (Pillow bicubic), centre-cropped to 224×224, scaled to [0,1] and normalised with CLIP's mean
 *       (0.48145466, 0.4578275, 0.40821073) and std (0.26862954, 0.26130258, 0.27577711), RGB.
 *       Output: the projected embedding [n,D] ({@code image_embeds} if so named, else the first
 *       rank-2 output).
 *   <li>Text: an int64 (or int32) input {@code input_ids} [n,77] (BOS + at most 75 tokens + EOS, then
 *       padding with EOS, CLIP's tokenizer with truncation) and, if the graph has it, {@code
 *       attention_mask} [n,77] (1 up to and including EOS). Output: {@code text_embeds} or the first
 *       rank-2 output, [n,D].
 * </ul>
 */
public final class ClipEncoders implements AutoCloseable {
  public static final int IMAGE_SIZE = 224;
  static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
  private static final int BATCH = 16;

  private final OnnxModel image;
  private final OnnxModel text;
  private final ClipTokenizer tokenizer;
  private final String imageIn;
  private final String imageOut;
  private final String idsIn;
  private final String maskIn;
  private final String textOut;
  private final int contextLength;

  private ClipEncoders(OnnxModel image, OnnxModel text, ClipTokenizer tokenizer) {
    this.image = image;
    this.text = text;
    this.tokenizer = tokenizer;
    List<String> ins = image.inputNames();
    if (ins.size() != 1) throw new IllegalArgumentException("expected a CLIP image encoder with one input, found " + ins);
    imageIn = ins.get(0);
    long[] s = image.shape(imageIn);
    if (s.length != 4 || (s[1] >= 0 && s[1] != 3) || (s[2] >= 0 && s[2] != IMAGE_SIZE) || (s[3] >= 0 && s[3] != IMAGE_SIZE)) {
      throw new IllegalArgumentException("expected a CLIP image input [n,3,224,224], found " + java.util.Arrays.toString(s));
    }
    imageOut = image.pickOutput(2, "image_embeds");
    List<String> tin = text.inputNames();
    idsIn = tin.contains("input_ids") ? "input_ids" : tin.get(0);
    maskIn = tin.contains("attention_mask") ? "attention_mask" : null;
    if (tin.size() > (maskIn == null ? 1 : 2)) {
      throw new IllegalArgumentException("expected a CLIP text encoder with inputs input_ids [+ attention_mask], found " + tin);
    }
    long[] ts = text.shape(idsIn);
    if (ts.length != 2) throw new IllegalArgumentException("expected CLIP text input ids [n,77], found " + java.util.Arrays.toString(ts));
    contextLength = ts[1] > 0 ? (int) ts[1] : ClipTokenizer.CONTEXT_LENGTH;
    textOut = text.pickOutput(2, "text_embeds");
  }

  /** Opens both towers; {@code tokenizer} is CLIP's BPE vocabulary (the SDK bundles ViT-L/14's, which ViT-B/32 shares). */
  public static ClipEncoders open(Path imageModel, Path textModel, ClipTokenizer tokenizer, RuntimeOptions options) {
    OnnxModel img = OnnxModel.open(imageModel, options, "CLIP image encoder");
    OnnxModel txt = null;
    try {
      txt = OnnxModel.open(textModel, options, "CLIP text encoder");
      return new ClipEncoders(img, txt, tokenizer);
    } catch (RuntimeException e) {
      img.close();
      if (txt != null) txt.close();
      throw e;
    }
  }

  /** The normalised [3,224,224] input of one picture. */
  public static float[] imageInput(RgbImage img) {
    int w = img.width();
    int h = img.height();
    // torchvision Resize(224): the shorter side becomes 224, the longer int(224 · long / short)
    int nw = w <= h ? IMAGE_SIZE : (int) ((long) IMAGE_SIZE * w / h);
    int nh = w <= h ? (int) ((long) IMAGE_SIZE * h / w) : IMAGE_SIZE;
    RgbImage r = nw == w && nh == h ? img : ImageResize.pil(img, nw, nh, ImageResize.Filter.BICUBIC);
    int top = (int) Math.rint((nh - IMAGE_SIZE) / 2.0); // CenterCrop: int(round(…)), Python rounds half to even
    int left = (int) Math.rint((nw - IMAGE_SIZE) / 2.0);
    byte[] px = r.pixels();
    int plane = IMAGE_SIZE * IMAGE_SIZE;
    float[] out = new float[3 * plane];
    for (int y = 0; y < IMAGE_SIZE; y++) {
      for (int x = 0; x < IMAGE_SIZE; x++) {
        int s = ((y + top) * nw + x + left) * 3;
        for (int c = 0; c < 3; c++) {
          float v = (px[s + c] & 0xff) / 255f;
          out[c * plane + y * IMAGE_SIZE + x] = (v - MEAN[c]) / STD[c];
        }
      }
    }
    return out;
  }

  /** Image embeddings, one per picture. */
  public List<float[]> encodeImages(List<RgbImage> images) {
    List<float[]> out = new ArrayList<>();
    for (int from = 0; from < images.size(); from += BATCH) {
      List<RgbImage> part = images.subList(from, Math.min(images.size(), from + BATCH));
      float[] batch = new float[part.size() * 3 * IMAGE_SIZE * IMAGE_SIZE];
      for (int i = 0; i < part.size(); i++) {
        float[] one = imageInput(part.get(i));
        System.arraycopy(one, 0, batch, i * one.length, one.length);
      }
      FloatTensor in = new FloatTensor(batch, new long[] {part.size(), 3, IMAGE_SIZE, IMAGE_SIZE});
      out.addAll(rows(image.run(Map.of(imageIn, in), List.of(imageOut)).get(imageOut), part.size()));
    }
    return out;
  }

  /** Text embeddings, one per caption. */
  public List<float[]> encodeTexts(List<String> captions) {
    List<float[]> out = new ArrayList<>();
    for (int from = 0; from < captions.size(); from += BATCH) {
      List<String> part = captions.subList(from, Math.min(captions.size(), from + BATCH));
      long[] ids = new long[part.size() * contextLength];
      long[] mask = new long[ids.length];
      for (int i = 0; i < part.size(); i++) {
        long[] row = tokenizer.encodePadded(part.get(i), contextLength);
        System.arraycopy(row, 0, ids, i * contextLength, contextLength);
        int end = 1;
        while (end < contextLength && row[end] != tokenizer.eosId()) end++;
        for (int p = 0; p <= Math.min(end, contextLength - 1); p++) mask[i * contextLength + p] = 1;
      }
      long[] shape = {part.size(), contextLength};
      Map<String, Object> in = new HashMap<>();
      in.put(idsIn, new OnnxModel.Ids(ids, shape));
      if (maskIn != null) in.put(maskIn, new OnnxModel.Ids(mask, shape));
      out.addAll(rows(text.run(in, List.of(textOut)).get(textOut), part.size()));
    }
    return out;
  }

  static List<float[]> rows(FloatTensor t, int n) {
    if (t.dim(0) != n) throw new IllegalArgumentException("expected " + n + " embeddings, found " + java.util.Arrays.toString(t.shape()));
    int d = Math.toIntExact(t.numel() / n);
    List<float[]> out = new ArrayList<>(n);
    float[] data = t.data();
    for (int i = 0; i < n; i++) out.add(java.util.Arrays.copyOfRange(data, i * d, (i + 1) * d));
    return out;
  }

  @Override
  public void close() {
    try {
      image.close();
    } finally {
      text.close();
    }
  }
}
