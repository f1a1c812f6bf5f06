package io.anytext2.exporter.pkg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds an {@link AnyText2Config} the way the original does: the models_yaml file for the
 * networks, the CLIP folder's config.json for the text encoder, and (our addition, since the
 * original hard-codes it) the OCR recognizer size from the checkpoint's tensor shapes.
 */
public final class ModelConfigLoader {
  /** The YAML bundled for the official SD1.5 AnyText2 checkpoint. */
  public static final String BUNDLED_SD15 = "anytext2_sd15.yaml";

  private static final String OFFICIAL_CLIP = "openai/clip-vit-large-patch14";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigLoader() {}

  /** The parsed YAML tree of a config file, or of the bundled SD1.5 config when {@code yaml} is null. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readYaml(Path yaml) {
    try (InputStream in = yaml == null ? bundled() : Files.newInputStream(yaml)) {
      Object tree = YAML.readValue(in, Map.class);
      if (!(tree instanceof Map)) throw new IllegalArgumentException("config " + yaml + " is not a YAML mapping");
      return (Map<String, Object>) tree;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config " + yaml + ": " + e.getMessage(), e);
    }
  }

  /**
   * The full configuration. {@code clipDir} (optional) is a folder with the text encoder's
   * config.json; otherwise the YAML's {@code cond_stage_config.params.version} is resolved relative
   * to the YAML file, and the official name maps to the built-in ViT-L/14 text config.
   */
  public static AnyText2Config load(Path yaml, Path clipDir, Checkpoint ckpt) {
    return loadWithOcr(yaml, clipDir, ocrFromCheckpoint(ckpt));
  }

  /** The full configuration with a given recognizer (no checkpoint to read it from, e.g. random weights). */
  public static AnyText2Config loadWithOcr(Path yaml, Path clipDir, OcrConfig ocr) {
    Map<String, Object> tree = readYaml(yaml);
    Path dir = clipDir != null ? clipDir : clipFolder(yaml, tree);
    ClipConfig clip = dir == null ? ClipConfig.vitL14() : readClipConfig(dir);
    return AnyText2Config.fromYaml(tree, clip, ocr);
  }

  /** The folder named by the YAML's CLIP version, when it is a local folder; null for the official name. */
  @SuppressWarnings("unchecked")
  public static Path clipFolder(Path yaml, Map<String, Object> tree) {
    Object version = null;
    try {
      Map<String, Object> params = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
          tree.get("model")).get("params")).get("cond_stage_config")).get("params");
      version = params.get("version");
    } catch (ClassCastException | NullPointerException e) {
      // no version given: the official text encoder
    }
    if (version == null || version.toString().equals(OFFICIAL_CLIP) || yaml == null) return null;
    Path p = yaml.toAbsolutePath().getParent().resolve(version.toString()).normalize();
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException("config names text encoder folder '" + version + "', but " + p + " does not exist (pass --tokenizer DIR)");
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  public static ClipConfig readClipConfig(Path dir) {
    Path f = dir.resolve("config.json");
    if (!Files.isRegularFile(f)) return ClipConfig.vitL14();
    try {
      return ClipConfig.fromJson(JSON.readValue(f.toFile(), Map.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Backbone width and CTC classes of the recognizer, read from the checkpoint's shapes. */
  public static OcrConfig ocrFromCheckpoint(Checkpoint ckpt) {
    String conv1 = "text_predictor.backbone.conv1._conv.weight";
    String head = "text_predictor.head.fc.weight";
    if (!ckpt.contains(conv1) || !ckpt.contains(head)) {
      throw new IllegalArgumentException("checkpoint has no OCR recognizer (" + conv1 + "): is it an AnyText2 checkpoint?");
    }
    return OcrConfig.fromShapes(ckpt.info(conv1).shape()[0], ckpt.info(head).shape()[0]);
  }

  private static InputStream bundled() {
    InputStream in = ModelConfigLoader.class.getResourceAsStream("/io/anytext2/exporter/configs/" + BUNDLED_SD15);
    if (in == null) throw new UncheckedIOException(new IOException("bundled config missing from the jar"));
    return in;
  }
}
