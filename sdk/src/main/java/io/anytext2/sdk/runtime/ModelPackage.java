package io.anytext2.sdk.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.nn.pkg.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model package on disk: {@code manifest.json} plus the graph, tokenizer and dictionary files it
 * names. Opening checks the format, version and that every named file exists, so that a broken
 * package fails at load with the file that is wrong, not in the middle of a request.
 */
public final class ModelPackage {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path dir;
  private final ModelManifest manifest;

  private ModelPackage(Path dir, ModelManifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  public static ModelPackage open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("model package " + dir + " does not exist (or is not a folder)");
    }
    Path mf = dir.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(mf)) {
      throw new ModelLoadException("model package " + dir + " has no " + ModelManifest.FILE_NAME + " (convert a checkpoint with `anytext2 convert`)");
    }
    ModelManifest m;
    try {
      m = JSON.readValue(mf.toFile(), ModelManifest.class);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("model package " + dir + ": manifest.json is corrupt (" + firstLine(e.getMessage()) + ")", e);
    }
    if (!ModelManifest.FORMAT.equals(m.format())) {
      throw new ModelLoadException("model package " + dir + ": format '" + m.format() + "' is not " + ModelManifest.FORMAT);
    }
    if (m.formatVersion() > ModelManifest.FORMAT_VERSION) {
      throw new ModelLoadException("model package " + dir + " has format version " + m.formatVersion()
          + "; this SDK reads up to " + ModelManifest.FORMAT_VERSION + " (upgrade anytext2)");
    }
    if (m.graphs() == null || m.config() == null || m.scheduler() == null || m.tokenizer() == null) {
      throw new ModelLoadException("model package " + dir + ": manifest.json lacks graphs/config/scheduler/tokenizer");
    }
    for (Map.Entry<String, ModelManifest.Graph> g : m.graphs().entrySet()) {
      requireFile(dir, g.getValue().file(), "graph " + g.getKey());
    }
    requireFile(dir, m.tokenizer().vocab(), "tokenizer vocabulary");
    requireFile(dir, m.tokenizer().merges(), "tokenizer merges");
    if (m.ocr() != null && m.ocr().dictionary() != null) requireFile(dir, m.ocr().dictionary(), "OCR dictionary");
    return new ModelPackage(dir, m);
  }

  public Path dir() {
    return dir;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** The description of graph {@code name}; a clear error when the package lacks it. */
  public ModelManifest.Graph graph(String name) {
    ModelManifest.Graph g = manifest.graphs().get(name);
    if (g == null) throw new ModelLoadException("model package " + dir + " has no graph '" + name + "'");
    return g;
  }

  public Path resolve(String relative) {
    return dir.resolve(relative);
  }

  private static void requireFile(Path dir, String rel, String what) {
    if (rel == null || rel.isBlank()) throw new ModelLoadException("model package " + dir + ": " + what + " has no file name");
    Path p = dir.resolve(rel).normalize();
    if (!p.startsWith(dir.normalize())) throw new ModelLoadException("model package " + dir + ": " + what + " points outside the package");
    if (!Files.isRegularFile(p)) throw new ModelLoadException("model package " + dir + ": " + what + " file " + rel + " is missing");
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
