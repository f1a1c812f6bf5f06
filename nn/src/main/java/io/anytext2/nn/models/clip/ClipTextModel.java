package io.anytext2.nn.models.clip;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.Arrays;

/**
 * The CLIP text transformer of {@code FrozenCLIPEmbedderT3} with AnyText2's placeholder injection
 * (MODEL.md §3.3), transformers-4.x key layout ({@code embeddings.*}, {@code encoder.layers.N.*},
 * {@code final_layer_norm}). One call encodes one chunk of at most {@code maxPositions} tokens; the
 * caller handles chunking and the injection cursor.
 */
public final class ClipTextModel {
  /**
   * The additive causal mask value: transformers fills masked scores with {@code finfo(float32).min}
   * rather than −∞ (MODEL.md §3.3).
   */
  static final float MASK_VALUE = -Float.MAX_VALUE;

  private final ClipConfig cfg;
  private final String prefix;

  /** @param prefix checkpoint prefix with its trailing dot, {@code "cond_stage_model.transformer.text_model."} */
  public ClipTextModel(ClipConfig cfg, String prefix) {
    this.cfg = cfg;
    this.prefix = prefix;
  }

  public ClipConfig config() {
    return cfg;
  }

  /**
   * ids [B,L] int64 (L ≤ max positions, known when the graph is built); injected [B,L,D] line
   * embeddings placed at placeholder positions; injectMask [B,L,1] float 0/1 (1 = use injected
   * instead of the token embedding). Returns the final-LayerNorm hidden states [B,L,D]. Position
   * embeddings are added after the injection (MODEL.md §3.3, §6 item 18).
   */
  public <T> T forward(TensorOps<T> op, T ids, T injected, T injectMask) {
    long[] idShape = op.shape(ids);
    if (idShape.length != 2 || idShape[1] < 1 || idShape[1] > cfg.maxPositions()) {
      throw new IllegalArgumentException("CLIP ids: expected [B, L] with a static 1 <= L <= " + cfg.maxPositions()
          + ", found " + Arrays.toString(idShape));
    }
    int len = (int) idShape[1];
    int d = cfg.hiddenSize();
    String emb = prefix + "embeddings.";
    T tokens = op.embedding(op.weight(emb + "token_embedding.weight", cfg.vocabSize(), d), ids);
    T h = op.where(injectMask, injected, tokens);
    T positions = op.slice(op.weight(emb + "position_embedding.weight", cfg.maxPositions(), d), 0, 0, len);
    h = op.add(h, positions);
    T mask = op.constant(causalMask(len), len, len);
    for (int l = 0; l < cfg.numLayers(); l++) {
      h = layer(op, prefix + "encoder.layers." + l + ".", mask, h);
    }
    return Layers.layerNorm(op, prefix + "final_layer_norm", d, cfg.layerNormEps(), h);
  }

  /** Pre-LN encoder layer: h += out_proj(MHA(LN1 h)); h += fc2(act(fc1(LN2 h))). */
  private <T> T layer(TensorOps<T> op, String key, T mask, T h) {
    int d = cfg.hiddenSize();
    float eps = cfg.layerNormEps();
    h = op.add(h, selfAttention(op, key + "self_attn.", mask, Layers.layerNorm(op, key + "layer_norm1", d, eps, h)));
    T m = Layers.linear(op, key + "mlp.fc1", d, cfg.intermediateSize(), true, Layers.layerNorm(op, key + "layer_norm2", d, eps, h));
    m = cfg.hiddenAct().equals("quick_gelu") ? op.quickGelu(m) : op.geluErf(m);
    return op.add(h, Layers.linear(op, key + "mlp.fc2", cfg.intermediateSize(), d, true, m));
  }

  /** Multi-head attention with q scaled by head_dim^−0.5 before q·kᵀ and the causal mask added. */
  private <T> T selfAttention(TensorOps<T> op, String key, T mask, T x) {
    int d = cfg.hiddenSize();
    int heads = cfg.numHeads();
    int hd = cfg.headDim();
    T q = op.scale(Layers.linear(op, key + "q_proj", d, d, true, x), (float) Math.pow(hd, -0.5));
    T k = Layers.linear(op, key + "k_proj", d, d, true, x);
    T v = Layers.linear(op, key + "v_proj", d, d, true, x);
    q = op.permute(op.reshape(q, 0, 0, heads, hd), 0, 2, 1, 3); // [B, heads, L, hd]
    k = op.permute(op.reshape(k, 0, 0, heads, hd), 0, 2, 3, 1); // [B, heads, hd, L]
    v = op.permute(op.reshape(v, 0, 0, heads, hd), 0, 2, 1, 3);
    T attn = op.softmax(op.add(op.matmul(q, k), mask), -1);
    T out = op.reshape(op.permute(op.matmul(attn, v), 0, 2, 1, 3), 0, 0, d);
    return Layers.linear(op, key + "out_proj", d, d, true, out);
  }

  /** [L, L]: 0 on and below the diagonal, float32 min above it (key j > query i is masked). */
  static float[] causalMask(int len) {
    float[] m = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        m[i * len + j] = MASK_VALUE;
      }
    }
    return m;
  }
}
