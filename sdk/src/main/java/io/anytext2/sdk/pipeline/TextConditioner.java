package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.prompt.PlaceholderAssignment;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.tensor.FloatTensor;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.util.Map;

/**
 * Encodes captions with the CLIP text encoder, injecting one line embedding per placeholder token
 * (MODEL.md §3.3): the image caption is cut into 75-token chunks that share one placeholder cursor
 * and are encoded as one batch, then concatenated along the token axis; the text caption is one
 * 77-token row whose cursor restarts at line 0.
 */
public final class TextConditioner {
  private final GraphStage textEncoder;
  private final ClipTokenizer tokenizer;
  private final int placeholderId;
  private final int width;
  private final int length;

  public TextConditioner(GraphStage textEncoder, ClipTokenizer tokenizer, int placeholderId, int width, int length) {
    this.textEncoder = textEncoder;
    this.tokenizer = tokenizer;
    this.placeholderId = placeholderId;
    this.width = width;
    this.length = length;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** Image caption → [1, 77·k, D] (k chunks). {@code lines} is [n, D] (n may be 0). */
  public FloatTensor encodeImageCaption(String caption, FloatTensor lines) {
    return encodeRows(tokenizer.encodeChunks(caption), lines);
  }

  /** Text caption → [1, 77, D]. */
  public FloatTensor encodeTextCaption(String caption, FloatTensor lines) {
    return encodeRows(new long[][] {tokenizer.encodePadded(caption, length)}, lines);
  }

  /** Encodes rows of ids sharing one placeholder cursor; returns them concatenated along tokens. */
  public FloatTensor encodeRows(long[][] rows, FloatTensor lines) {
    int n = lines == null ? 0 : (int) lines.dim(0);
    PlaceholderAssignment a = PlaceholderAssignment.assign(rows, placeholderId, n);
    int k = rows.length;
    long[] ids = new long[k * length];
    float[] injected = new float[k * length * width];
    float[] mask = new float[k * length];
    for (int r = 0; r < k; r++) {
      if (rows[r].length != length) {
        throw new IllegalArgumentException("expected token rows of " + length + " ids, found " + rows[r].length);
      }
      System.arraycopy(rows[r], 0, ids, r * length, length);
      for (int p = 0; p < length; p++) {
        int line = a.lineAt(r, p);
        if (line != PlaceholderAssignment.NO_LINE) {
          System.arraycopy(lines.data(), line * width, injected, (r * length + p) * width, width);
          mask[r * length + p] = 1f;
        }
      }
    }
    Map<String, FloatTensor> out = textEncoder.run(Map.of(
        GraphNames.TXT_IN_IDS, new GraphStage.LongInput(ids, new long[] {k, length}),
        GraphNames.TXT_IN_INJECTED, new FloatTensor(injected, new long[] {k, length, width}),
        GraphNames.TXT_IN_MASK, new FloatTensor(mask, new long[] {k, length, 1})));
    // [k, 77, D] → [1, 77·k, D]: chunks are consecutive in memory, so this is a reshape
    return out.get(GraphNames.TXT_OUT).reshape(1, (long) k * length, width);
  }
}
