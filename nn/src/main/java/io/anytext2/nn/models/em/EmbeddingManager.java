package io.anytext2.nn.models.em;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.EmbeddingManagerConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.ops.TensorOps;
import java.util.Arrays;

/**
 * AnyText2's per-line embedding (MODEL.md §3.5, {@code EmbeddingManager.encode_text}): for each
 * text line, {@code LN(proj(glyph OCR)) + position_encoder(pos) + LN(style_proj(font OCR)) +
 * LN(color_proj(rgb))}, summed in that order. The glyph recognizer is the frozen
 * {@code text_predictor}, the style recognizer the fine-tuned {@code embedding_manager.font_predictor}.
 */
public final class EmbeddingManager {
  static final String PREFIX = "embedding_manager.";
  /** LayerNorm eps of proj / style_proj / color_proj (MODEL.md §6 item 2). */
  static final float LN_EPS = 1e-5f;

  private final EmbeddingManagerConfig cfg;
  private final OcrConfig ocr;
  private final OcrRecognizer glyphRecognizer;
  private final OcrRecognizer styleRecognizer;

  /** Keys {@code embedding_manager.*} and the glyph recognizer {@code text_predictor.*}. */
  public EmbeddingManager(EmbeddingManagerConfig cfg, OcrConfig ocr) {
    this.cfg = cfg;
    this.ocr = ocr;
    this.glyphRecognizer = new OcrRecognizer(ocr, "text_predictor.");
    this.styleRecognizer = new OcrRecognizer(ocr, PREFIX + "font_predictor.");
  }

  public EmbeddingManagerConfig config() {
    return cfg;
  }

  /**
   * recogBatch, styleBatch [n,3,48,320] (prepared by the host as MODEL.md §3.4.2), positions
   * [n,1,H,W] 0/1, colors [n,3] raw 0..255 (500 = unset). Returns [n,D] line embeddings.
   */
  public <T> T forward(TensorOps<T> op, T recogBatch, T styleBatch, T positions, T colors) {
    long[] cs = op.shape(colors);
    if (cs.length != 2 || cs[1] != 3) {
      throw new IllegalArgumentException("embedding manager colors: expected [n,3], found " + Arrays.toString(cs));
    }
    long[] ps = op.shape(positions);
    if (ps.length != 4 || ps[1] != 1) {
      throw new IllegalArgumentException("embedding manager positions: expected [n,1,H,W], found " + Arrays.toString(ps));
    }
    T glyph = projected(op, "proj", glyphRecognizer.neck(op, recogBatch));
    T position = PositionEncoder.forward(op, PREFIX + "position_encoder.", cfg.tokenDim(), positions);
    T style = projected(op, "style_proj", styleRecognizer.neck(op, styleBatch));
    T color = linearNorm(op, "color_proj", 3, colors);
    return op.add(op.add(op.add(glyph, position), style), color);
  }

  /** Flattens neck features [n, 40, dims] step-major to [n, 40·dims] and applies Linear + LN. */
  private <T> T projected(TensorOps<T> op, String name, T neck) {
    return linearNorm(op, name, OcrConfig.STEPS * ocr.neckDims(), op.reshape(neck, 0, -1));
  }

  private <T> T linearNorm(TensorOps<T> op, String name, int in, T x) {
    String key = PREFIX + name;
    T y = Layers.linear(op, key + ".0", in, cfg.tokenDim(), true, x);
    return Layers.layerNorm(op, key + ".1", cfg.tokenDim(), LN_EPS, y);
  }
}
