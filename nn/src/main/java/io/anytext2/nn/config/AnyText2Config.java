package io.anytext2.nn.config;

import java.util.Map;

/**
 * Everything that shapes an AnyText2 model: the original YAML ({@code models_yaml/anytext2_sd15.yaml}
 * layout) plus the two parts the YAML leaves to external files (the CLIP text config and the OCR
 * recognizer, derived from the checkpoint).
 */
public record AnyText2Config(
    UNetConfig unet,
    ControlNetConfig controlNet,
    VaeConfig vae,
    ClipConfig clip,
    OcrConfig ocr,
    EmbeddingManagerConfig embeddingManager,
    double linearStart,
    double linearEnd,
    int timesteps,
    float scaleFactor,
    String clipVersion) {

  /**
   * Reads the parsed YAML tree. {@code clip} is the text encoder config (from the version folder's
   * config.json, or {@link ClipConfig#vitL14()}); {@code ocr} from the checkpoint shapes.
   */
  public static AnyText2Config fromYaml(Map<String, Object> root, ClipConfig clip, OcrConfig ocr) {
    Map<String, Object> p = ConfigMaps.path(root, "model.params");
    UNetConfig unet = UNetConfig.fromParams(ConfigMaps.path(p, "unet_config.params"));
    ControlNetConfig cn = ControlNetConfig.fromParams(ConfigMaps.path(p, "control_stage_config.params"));
    VaeConfig vae = VaeConfig.fromParams(ConfigMaps.path(p, "first_stage_config.params"));
    EmbeddingManagerConfig em =
        EmbeddingManagerConfig.fromParams(ConfigMaps.path(p, "embedding_manager_config.params"), clip.hiddenSize());
    String version = ConfigMaps.stringOr(ConfigMaps.path(p, "cond_stage_config.params"), "version", "openai/clip-vit-large-patch14");
    if (unet.contextDim() != clip.hiddenSize() || cn.contextDim() != clip.hiddenSize()) {
      throw new IllegalArgumentException("config: context_dim (" + unet.contextDim() + ") must equal the text encoder width ("
          + clip.hiddenSize() + ")");
    }
    return new AnyText2Config(unet, cn, vae, clip, ocr, em,
        ConfigMaps.doubleOr(p, "linear_start", 0.00085),
        ConfigMaps.doubleOr(p, "linear_end", 0.012),
        ConfigMaps.intOr(p, "timesteps", 1000),
        (float) ConfigMaps.doubleOr(p, "scale_factor", 0.18215),
        version);
  }
}
