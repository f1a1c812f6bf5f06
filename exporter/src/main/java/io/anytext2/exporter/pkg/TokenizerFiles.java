package io.anytext2.exporter.pkg;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.pkg.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tokenizer part of a package. A CLIP tokenizer folder (vocab.json + merges.txt) is copied in;
 * without one the package refers to the SDK's bundled openai/clip-vit-large-patch14 vocabulary.
 * Special ids come from the vocabulary itself: the placeholder '*' is the single token "*</w>".
 */
final class TokenizerFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFiles() {}

  static ModelManifest.Tokenizer describe(Path dir, AnyText2Config cfg) {
    String placeholder = cfg.embeddingManager().placeholder();
    int max = cfg.clip().maxPositions();
    if (dir == null) {
      if (cfg.clip().vocabSize() != 49408) {
        throw new IllegalArgumentException("the text encoder has " + cfg.clip().vocabSize()
            + " tokens, not CLIP's 49408: pass its tokenizer folder with --tokenizer");
      }
      // ids of openai/clip-vit-large-patch14: '*</w>' = 265, <|startoftext|> = 49406, <|endoftext|> = 49407 (MODEL.md §3.2)
      return new ModelManifest.Tokenizer(ModelPackageWriter.BUNDLED_CLIP, ModelPackageWriter.BUNDLED_CLIP, placeholder, 265,
          49406, 49407, 49407, max);
    }
    Map<String, Integer> vocab = readVocab(dir);
    Integer ph = vocab.get(placeholder + "</w>");
    Integer bos = vocab.get("<|startoftext|>");
    Integer eos = vocab.get("<|endoftext|>");
    if (ph == null || bos == null || eos == null) {
      throw new IllegalArgumentException("tokenizer " + dir + " lacks '" + placeholder + "</w>', <|startoftext|> or <|endoftext|>");
    }
    if (vocab.size() != cfg.clip().vocabSize()) {
      throw new IllegalArgumentException("tokenizer " + dir + " has " + vocab.size() + " tokens, the text encoder " + cfg.clip().vocabSize());
    }
    return new ModelManifest.Tokenizer("tokenizer/vocab.json", "tokenizer/merges.txt", placeholder, ph, bos, eos, eos, max);
  }

  static void copy(Path dir, Path pkg) throws IOException {
    if (dir == null) return;
    Files.createDirectories(pkg.resolve("tokenizer"));
    Files.copy(dir.resolve("vocab.json"), pkg.resolve("tokenizer/vocab.json"));
    Files.copy(dir.resolve("merges.txt"), pkg.resolve("tokenizer/merges.txt"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> readVocab(Path dir) {
    Path v = dir.resolve("vocab.json");
    if (!Files.isRegularFile(v) || !Files.isRegularFile(dir.resolve("merges.txt"))) {
      throw new IllegalArgumentException("tokenizer folder " + dir + " needs vocab.json and merges.txt");
    }
    try {
      return JSON.readValue(v.toFile(), Map.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + v + ": " + e.getMessage(), e);
    }
  }
}
