package io.anytext2.nn.config;

import java.util.Map;

/**
 * Everything that shapes an AnyText2 model: the original YAML ({@code models_yaml/anytext2_sd15.yaml}
 * layout) plus the two parts the YAML leaves to external files (the CLIP text config and the OCR
 * recognizer, derived from the checkpoint).
 *
 * @param imageSize the YAML's {@code model.params.image_size}: the side of the latent the model was
 *     trained at (64 for SD1.5); {@link #nativeSize()} is that in pixels. The original only uses it in
 *     training; here it gives the output size of a request that names none. 0 (a manifest written
 *     before the field existed) reads as {@link #DEFAULT_IMAGE_SIZE}
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
    String clipVersion,
    int imageSize) {

  /** SD1.5's latent side (512 px pictures): the value of every config that does not say otherwise. */
  public static final int DEFAULT_IMAGE_SIZE = 64;

  public AnyText2Config {
    if (imageSize < 0) throw new IllegalArgumentException("config: image_size must be positive, found " + imageSize);
    if (imageSize == 0) imageSize = DEFAULT_IMAGE_SIZE;
  }

  /** The picture side the model was trained at: the latent side times the VAE's down factor (64 × 8 = 512 for SD1.5). */
  public int nativeSize() {
    return imageSize * vae.downFactor();
  }

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
        version,
        positiveImageSize(ConfigMaps.intOr(p, "image_size", DEFAULT_IMAGE_SIZE)));
  }

  private static int positiveImageSize(int v) {
    if (v <= 0) throw new IllegalArgumentException("config: 'image_size' must be a positive latent side, found " + v);
    return v;
  }
}
