package io.anytext2.nn.config;

import java.util.Map;

/**
 * Shape of the CLIP text transformer (a transformers {@code CLIPTextConfig}, MODEL.md §3.3).
 * The official model is openai/clip-vit-large-patch14 ({@link #vitL14()}); a fixture may carry its
 * own {@code config.json}.
 */
public record ClipConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int maxPositions,
    float layerNormEps,
    String hiddenAct) {

  public ClipConfig {
    if (!hiddenAct.equals("quick_gelu") && !hiddenAct.equals("gelu")) {
      throw new IllegalArgumentException("config: CLIP hidden_act '" + hiddenAct + "' is not supported");
    }
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException("config: CLIP hidden_size must be a multiple of num_attention_heads");
    }
  }

  /** The text model of openai/clip-vit-large-patch14 (what the official checkpoint holds). */
  public static ClipConfig vitL14() {
    return new ClipConfig(49408, 768, 3072, 12, 12, 77, 1e-5f, "quick_gelu");
  }

  /** From a transformers config.json (CLIPTextConfig, or a CLIPConfig with text_config). */
  @SuppressWarnings("unchecked")
  public static ClipConfig fromJson(Map<String, Object> json) {
    Map<String, Object> m = json.get("text_config") instanceof Map ? (Map<String, Object>) json.get("text_config") : json;
    ClipConfig d = vitL14();
    return new ClipConfig(
        ConfigMaps.intOr(m, "vocab_size", d.vocabSize()),
        ConfigMaps.intOr(m, "hidden_size", d.hiddenSize()),
        ConfigMaps.intOr(m, "intermediate_size", d.intermediateSize()),
        ConfigMaps.intOr(m, "num_hidden_layers", d.numLayers()),
        ConfigMaps.intOr(m, "num_attention_heads", d.numHeads()),
        ConfigMaps.intOr(m, "max_position_embeddings", d.maxPositions()),
        (float) ConfigMaps.doubleOr(m, "layer_norm_eps", d.layerNormEps()),
        ConfigMaps.stringOr(m, "hidden_act", d.hiddenAct()));
  }

  public int headDim() {
    return hiddenSize / numHeads;
  }
}
