package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.nn.pkg.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nativeSize} in manifest.json: the shipped default package says 128, the value survives a
 * write/read round trip, and a manifest without it (written before the field existed) reads as 512.
 * The packages here are the shipped manifest with empty stand-ins for the files it names: opening
 * reads only the manifest and checks that the files exist.
 */
class ManifestNativeSizeTest {
  private static final Path SHIPPED = Path.of("../onnx");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private static ObjectNode shipped;

  @BeforeAll
  static void readShipped() throws IOException {
    assumeTrue(Files.isRegularFile(SHIPPED.resolve(ModelManifest.FILE_NAME)),
        "no default package at " + SHIPPED.toAbsolutePath() + "; skipping");
    shipped = (ObjectNode) JSON.readTree(SHIPPED.resolve(ModelManifest.FILE_NAME).toFile());
  }

  @Test
  void theShippedDefaultPackageIs128() {
    ModelManifest m = ModelPackage.open(SHIPPED).manifest();
    assertEquals(128, m.nativeSize());
    assertEquals(16, m.config().imageSize(), "latent side of trainer/configs/default/model.yaml");
    assertEquals(128, m.config().nativeSize(), "16 x the VAE's down factor 8");
  }

  @Test
  void aWrittenNativeSizeSurvivesTheRoundTrip() throws IOException {
    ObjectNode tree = shipped.deepCopy();
    tree.put("nativeSize", 256);
    ((ObjectNode) tree.get("config")).put("imageSize", 32);
    ModelManifest read = ModelPackage.open(packageWith(tree, "written")).manifest();
    assertEquals(256, read.nativeSize());
    assertEquals(32, read.config().imageSize());

    JsonNode rewritten = JSON.valueToTree(read);
    assertEquals(256, rewritten.get("nativeSize").asInt());
    assertEquals(32, rewritten.get("config").get("imageSize").asInt());
    assertFalse(rewritten.get("config").has("nativeSize"), "the derived pixel size is not a config field");
    ModelManifest again = ModelPackage.open(packageWith((ObjectNode) rewritten, "again")).manifest();
    assertEquals(read.nativeSize(), again.nativeSize());
    assertEquals(read.config(), again.config());
  }

  @Test
  void aManifestWithoutTheFieldReadsAs512() throws IOException {
    ObjectNode tree = shipped.deepCopy();
    tree.remove("nativeSize");
    ((ObjectNode) tree.get("config")).remove("imageSize");
    ModelManifest old = ModelPackage.open(packageWith(tree, "old")).manifest();
    assertEquals(ModelManifest.DEFAULT_NATIVE_SIZE, old.nativeSize());
    assertEquals(512, old.nativeSize());
    assertEquals(64, old.config().imageSize(), "SD1.5's latent side");
  }

  @Test
  void aNegativeNativeSizeIsACorruptManifest() throws IOException {
    ObjectNode tree = shipped.deepCopy();
    tree.put("nativeSize", -128);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelPackage.open(packageWith(tree, "negative")));
    assertTrue(e.getMessage().contains("manifest.json is corrupt") && e.getMessage().contains("nativeSize"), e.getMessage());
  }

  /** A package folder with {@code manifest} and an empty file for every file it names. */
  private Path packageWith(ObjectNode manifest, String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    JSON.writeValue(dir.resolve(ModelManifest.FILE_NAME).toFile(), manifest);
    manifest.get("graphs").forEach(g -> touch(dir, g.get("file").asText()));
    touch(dir, manifest.get("tokenizer").get("vocab").asText());
    touch(dir, manifest.get("tokenizer").get("merges").asText());
    JsonNode dict = manifest.path("ocr").path("dictionary");
    if (dict.isTextual()) touch(dir, dict.asText());
    return dir;
  }

  private static void touch(Path dir, String relative) {
    try {
      Path f = dir.resolve(relative);
      Files.createDirectories(f.getParent());
      if (!Files.exists(f)) Files.createFile(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
