package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.prompt.PlaceholderAssignment;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.tensor.FloatTensor;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes captions with the CLIP text encoder, injecting one line embedding per placeholder token
 * (MODEL.md §3.3): the image caption is cut into 75-token chunks that share one placeholder cursor
 * and are encoded as one batch, then concatenated along the token axis; the text caption is one
 * 77-token row whose cursor restarts at line 0. {@link #encodeCaptions} encodes several captions (a request's
 * four: image and text caption of each guidance branch) in one text-encoder call: rows are independent in
 * the encoder, so batching changes only how often the graph is called.
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

  /** The image caption's token rows: 75-token chunks, each a 77-id row. */
  public long[][] imageCaptionRows(String caption) {
    return tokenizer.encodeChunks(caption);
  }

  /** The text caption's one 77-id row. */
  public long[][] textCaptionRows(String caption) {
    return new long[][] {tokenizer.encodePadded(caption, length)};
  }

  /**
   * Encodes several captions in one text-encoder call. Each caption is rows of ids sharing one placeholder
   * cursor (its own: every caption starts at line 0); returns, per caption, its rows concatenated along the
   * tokens, [1, 77·k, D].
   */
  public List<FloatTensor> encodeCaptions(List<long[][]> captions, FloatTensor lines) {
    int n = lines == null ? 0 : (int) lines.dim(0);
    int k = captions.stream().mapToInt(rows -> rows.length).sum();
    long[] ids = new long[k * length];
    float[] injected = new float[k * length * width];
    float[] mask = new float[k * length];
    int row = 0;
    for (long[][] rows : captions) {
      PlaceholderAssignment a = PlaceholderAssignment.assign(rows, placeholderId, n);
      for (int r = 0; r < rows.length; r++, row++) {
        if (rows[r].length != length) {
          throw new IllegalArgumentException("expected token rows of " + length + " ids, found " + rows[r].length);
        }
        System.arraycopy(rows[r], 0, ids, row * length, length);
        for (int p = 0; p < length; p++) {
          int line = a.lineAt(r, p);
          if (line != PlaceholderAssignment.NO_LINE) {
            System.arraycopy(lines.data(), line * width, injected, (row * length + p) * width, width);
            mask[row * length + p] = 1f;
          }
        }
      }
    }
    float[] out = textEncoder.run(Map.of(
        GraphNames.TXT_IN_IDS, new GraphStage.LongInput(ids, new long[] {k, length}),
        GraphNames.TXT_IN_INJECTED, new FloatTensor(injected, new long[] {k, length, width}),
        GraphNames.TXT_IN_MASK, new FloatTensor(mask, new long[] {k, length, 1}))).get(GraphNames.TXT_OUT).data();
    // [k, 77, D] → per caption [1, 77·k_c, D]: a caption's rows are consecutive in memory
    List<FloatTensor> encoded = new ArrayList<>();
    int from = 0;
    for (long[][] rows : captions) {
      int size = rows.length * length * width;
      encoded.add(new FloatTensor(Arrays.copyOfRange(out, from, from + size), new long[] {1, (long) rows.length * length, width}));
      from += size;
    }
    return encoded;
  }
}
