package io.anytext2.exporter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native picture size from a config: the YAML's latent {@code model.params.image_size} times the VAE's down factor. */
class NativeSizeConfigTest {
  @Test
  void theOfficialConfigIs512() {
    AnyText2Config sd15 = ModelConfigLoader.loadWithOcr(null, null, OcrConfig.official());
    assertEquals(64, sd15.imageSize());
    assertEquals(8, sd15.vae().downFactor());
    assertEquals(512, sd15.nativeSize());
  }

  @Test
  void theDefaultModelIs128() {
    Path yaml = Path.of("../trainer/configs/default/model.yaml");
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(yaml, null, OcrConfig.fromShapes(4, 97));
    assertEquals(16, cfg.imageSize());
    assertEquals(128, cfg.nativeSize());
  }

  @Test
  void aConfigWithoutImageSizeIsSd15Sized() {
    Map<String, Object> tree = ModelConfigLoader.readYaml(null);
    params(tree).remove("image_size");
    assertEquals(512, AnyText2Config.fromYaml(tree, ClipConfig.vitL14(), OcrConfig.official()).nativeSize());
  }

  @Test
  void aNonPositiveImageSizeIsRefused() {
    for (int bad : new int[] {0, -16}) {
      Map<String, Object> tree = ModelConfigLoader.readYaml(null);
      params(tree).put("image_size", bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AnyText2Config.fromYaml(tree, ClipConfig.vitL14(), OcrConfig.official()));
      assertTrue(e.getMessage().contains("'image_size' must be a positive latent side, found " + bad), e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> tree) {
    return (Map<String, Object>) ((Map<String, Object>) tree.get("model")).get("params");
  }
}
