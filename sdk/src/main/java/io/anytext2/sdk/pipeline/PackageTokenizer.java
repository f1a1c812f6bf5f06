package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.runtime.ModelLoadException;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** The tokenizer a model package names: its own vocab.json/merges.txt, or the bundled CLIP vocabulary. */
public final class PackageTokenizer {
  private PackageTokenizer() {}

  public static ClipTokenizer load(ModelPackage pkg) {
    ModelManifest.Tokenizer t = pkg.manifest().tokenizer();
    ClipTokenizer tok;
    if (t.vocab().startsWith(ModelPackage.BUNDLED)) {
      tok = ClipTokenizer.bundled();
    } else {
      try (InputStream v = Files.newInputStream(pkg.resolve(t.vocab()));
          InputStream m = Files.newInputStream(pkg.resolve(t.merges()))) {
        tok = ClipTokenizer.load(v, m);
      } catch (IOException | RuntimeException e) {
        throw new ModelLoadException("model package " + pkg.dir() + ": cannot read the tokenizer (" + e.getMessage() + ")", e);
      }
    }
    int ph = tok.placeholderId(t.placeholder());
    if (ph != t.placeholderId() || tok.bosId() != t.bosId() || tok.eosId() != t.eosId()) {
      throw new ModelLoadException("model package " + pkg.dir() + ": tokenizer ids (placeholder " + ph + ", bos " + tok.bosId()
          + ", eos " + tok.eosId() + ") differ from the manifest (" + t.placeholderId() + ", " + t.bosId() + ", " + t.eosId() + ")");
    }
    return tok;
  }
}
