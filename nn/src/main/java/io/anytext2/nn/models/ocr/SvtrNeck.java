package io.anytext2.nn.models.ocr;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.List;

/**
 * {@code EncoderWithSVTR} (MODEL.md §3.4.1): two global-attention SVTR blocks between 1×1/3×3
 * ConvBN-Swish layers, with a shortcut concatenation of the backbone features.
 * [N, C, 1, 40] → [N, dims, 1, 40] where C = int(1024·scale).
 */
final class SvtrNeck {
  private SvtrNeck() {}

  /** LayerNorm eps inside the SVTR blocks and of the final norm (MODEL.md §6 item 2). */
  private static final float BLOCK_LN_EPS = 1e-5f;

  private static final float FINAL_LN_EPS = 1e-6f;
  /** SVTR MLP hidden width = hidden × 2 (mlp_ratio 2.0). */
  private static final int MLP_RATIO = 2;
  /** EncoderWithSVTR's drop_rate and attn_drop_rate (active only when a backend trains this module). */
  private static final float DROP_RATE = 0.1f;

  static <T> T forward(TensorOps<T> op, OcrConfig cfg, String key, T x) {
    int in = cfg.scaled(1024);
    int reduced = in / 8; // EncoderWithSVTR: conv1 / conv4 output in_channels // 8
    int hidden = cfg.neckHidden();
    T z = convBnSwish(op, key + "conv1", in, reduced, 3, x);
    z = convBnSwish(op, key + "conv2", reduced, hidden, 1, z);
    T tokens = op.imageToTokens(z); // [N, 40, hidden]
    for (int i = 0; i < cfg.neckDepth(); i++) {
      tokens = block(op, cfg, key + "svtr_block." + i + ".", tokens);
    }
    tokens = Layers.layerNorm(op, key + "norm", hidden, FINAL_LN_EPS, tokens);
    z = op.tokensToImage(tokens, z);
    z = convBnSwish(op, key + "conv3", hidden, in, 1, z);
    z = op.concat(1, List.of(x, z)); // shortcut first, then the encoded features
    z = convBnSwish(op, key + "conv4", 2 * in, reduced, 3, z);
    return convBnSwish(op, key + "conv1x1", reduced, cfg.neckDims(), 1, z);
  }

  /** Pre-LN residual block (prenorm=False in the code): z += attn(LN1 z); z += mlp(LN2 z). */
  private static <T> T block(TensorOps<T> op, OcrConfig cfg, String key, T z) {
    int c = cfg.neckHidden();
    z = op.add(z, attention(op, cfg, key + "mixer.", Layers.layerNorm(op, key + "norm1", c, BLOCK_LN_EPS, z)));
    T m = Layers.linear(op, key + "mlp.fc1", c, c * MLP_RATIO, true, Layers.layerNorm(op, key + "norm2", c, BLOCK_LN_EPS, z));
    m = op.dropout(key + "mlp.drop", op.silu(m), DROP_RATE); // Swish, not GELU (§6 item 5)
    m = op.dropout(key + "mlp.drop", Layers.linear(op, key + "mlp.fc2", c * MLP_RATIO, c, true, m), DROP_RATE);
    return op.add(z, m);
  }

  /** Global multi-head self-attention; qkv features laid out [3][heads][headDim]; q scaled first. */
  private static <T> T attention(TensorOps<T> op, OcrConfig cfg, String key, T x) {
    int c = cfg.neckHidden();
    int heads = cfg.neckHeads();
    int headDim = c / heads;
    T qkv = Layers.linear(op, key + "qkv", c, 3 * c, true, x); // [N, L, 3C]
    qkv = op.permute(op.reshape(qkv, 0, 0, 3, heads, headDim), 0, 2, 3, 1, 4); // [N, 3, heads, L, d]
    T q = op.scale(part(op, qkv, 0, heads, headDim), (float) Math.pow(headDim, -0.5));
    T k = part(op, qkv, 1, heads, headDim);
    T v = part(op, qkv, 2, heads, headDim);
    T attn = op.dropout(key + "attn_drop", op.softmax(op.matmul(q, op.permute(k, 0, 1, 3, 2)), -1), DROP_RATE);
    T out = op.permute(op.matmul(attn, v), 0, 2, 1, 3); // [N, L, heads, d]
    out = op.reshape(out, 0, 0, c);
    return op.dropout(key + "proj_drop", Layers.linear(op, key + "proj", c, c, true, out), DROP_RATE);
  }

  /** Part i (0 = q, 1 = k, 2 = v) of [N, 3, heads, L, d] → [N, heads, L, d], batch and length dynamic. */
  private static <T> T part(TensorOps<T> op, T qkv, int i, int heads, int headDim) {
    return op.reshape(op.slice(qkv, 1, i, i + 1), 0, heads, -1, headDim);
  }

  private static <T> T convBnSwish(TensorOps<T> op, String key, int cIn, int cOut, int k, T x) {
    return op.silu(OcrRecognizer.convBn(op, key + ".conv", key + ".norm", cIn, cOut, k, 1, 1, 1, x));
  }
}
