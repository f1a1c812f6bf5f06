package io.anytext2.nn.models.ocr;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.ops.Pads;
import io.anytext2.nn.ops.TensorOps;

/**
 * The PP-OCRv3 text recognizer (MODEL.md §3.4): a MobileNetV1Enhance backbone, the SVTR sequence
 * encoder ("neck") and the CTC head. AnyText2 uses the neck output as the glyph / font-style
 * feature; the CTC logits are only exposed for parity checks. BatchNorm runs in inference mode.
 */
public final class OcrRecognizer {
  /** BatchNorm eps of every ConvBNLayer (MODEL.md §6 item 2). */
  static final float BN_EPS = 1e-5f;

  private final OcrConfig cfg;
  private final String prefix;

  /**
   * @param prefix checkpoint prefix with its trailing dot: {@code "text_predictor."} or
   *     {@code "embedding_manager.font_predictor."}
   */
  public OcrRecognizer(OcrConfig cfg, String prefix) {
    this.cfg = cfg;
    this.prefix = prefix;
  }

  public OcrConfig config() {
    return cfg;
  }

  /** Normalised line images [N,3,48,320] → neck features [N,40,neckDims] (time step major). */
  public <T> T neck(TensorOps<T> op, T x) {
    requireInput(op.shape(x));
    T features = MobileNetV1Enhance.forward(op, cfg, prefix + "backbone.", x); // [N,C,1,40]
    T encoded = SvtrNeck.forward(op, cfg, prefix + "neck.encoder.", features); // [N,dims,1,40]
    return op.imageToTokens(encoded); // Im2Seq: H is 1, so [N, 40, dims]
  }

  /** CTC head: Linear(neckDims → numClasses) over the neck features → [N,40,numClasses], no softmax. */
  public <T> T logits(TensorOps<T> op, T neck) {
    return Layers.linear(op, prefix + "head.fc", cfg.neckDims(), cfg.numClasses(), true, neck);
  }

  /** ConvBNLayer: conv without bias → BatchNorm (inference). The activation is left to the caller. */
  static <T> T convBn(
      TensorOps<T> op, String convKey, String bnKey, int cIn, int cOut, int k, int strideH, int strideW, int groups, T x) {
    T y = Layers.conv(op, convKey, cIn, cOut, k, strideH, strideW, Pads.same(k / 2), groups, false, x);
    return Layers.batchNorm(op, bnKey, cOut, BN_EPS, y);
  }

  private static void requireInput(long[] s) {
    boolean ok = s.length == 4 && matches(s[1], 3) && matches(s[2], OcrConfig.INPUT_HEIGHT) && matches(s[3], OcrConfig.INPUT_WIDTH);
    if (!ok) {
      throw new IllegalArgumentException(
          "OCR input: expected [N,3," + OcrConfig.INPUT_HEIGHT + "," + OcrConfig.INPUT_WIDTH + "], found " + java.util.Arrays.toString(s));
    }
  }

  private static boolean matches(long dim, long expected) {
    return dim == expected || dim == -1;
  }
}
