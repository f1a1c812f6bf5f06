package io.anytext2.trainer.model;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The architecture of the model being trained and its tokenizer: the original-style model YAML
 * (null for the bundled SD1.5 one), the text encoder folder it names (config.json, vocab.json,
 * merges.txt; the official name means the bundled CLIP ViT-L/14), and the OCR recognizer's size.
 */
public record ModelSpec(AnyText2Config config, ClipTokenizer tokenizer, Path clipFolder) {

  /** The OCR size read from an AnyText2 checkpoint's shapes. */
  public static ModelSpec load(Path modelYaml, Checkpoint anytext2) {
    return load(modelYaml, ModelConfigLoader.ocrFromCheckpoint(anytext2));
  }

  public static ModelSpec load(Path modelYaml, OcrConfig ocr) {
    Map<String, Object> tree = ModelConfigLoader.readYaml(modelYaml);
    Path clipDir = ModelConfigLoader.clipFolder(modelYaml, tree);
    ClipConfig clip = clipDir == null ? ClipConfig.vitL14() : ModelConfigLoader.readClipConfig(clipDir);
    AnyText2Config cfg = AnyText2Config.fromYaml(tree, clip, ocr);
    ClipTokenizer tok;
    try {
      tok = clipDir == null ? ClipTokenizer.bundled() : ClipTokenizer.load(clipDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer in " + clipDir + ": " + e.getMessage(), e);
    }
    if (tok.vocabSize() != clip.vocabSize()) {
      throw new IllegalArgumentException("tokenizer in " + clipDir + ": expected " + clip.vocabSize() + " tokens for the text encoder, found "
          + tok.vocabSize());
    }
    return new ModelSpec(cfg, tok, clipDir);
  }
}
