package io.anytext2.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anytext2.nn.config.ClipConfig;
import io.anytext2.nn.config.EmbeddingManagerConfig;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.config.VaeConfig;
import io.anytext2.nn.models.clip.ClipTextModel;
import io.anytext2.nn.models.em.EmbeddingManager;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.nn.ops.ShapeOps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the VAE, CLIP text model, OCR recognizer and embedding manager through {@link ShapeOps} with
 * the tiny parity configuration (shared/parity/README.md) and checks output shapes and that the
 * weights they request are exactly the tiny checkpoint's keys and shapes under their prefixes.
 */
class TinyModelsShapeTest {
  static final ClipConfig CLIP = new ClipConfig(914, 64, 256, 2, 2, 77, 1e-5f, "quick_gelu");
  static final OcrConfig OCR = OcrConfig.fromShapes(8, 97);
  static final VaeConfig VAE = new VaeConfig(4, 4, 32, new int[] {1, 1, 1, 2}, 1, 3, 3);
  static final EmbeddingManagerConfig EM = new EmbeddingManagerConfig(64, "*");

  @Test
  void vaeShapesAndKeys() throws IOException {
    ShapeOps op = new ShapeOps();
    AutoencoderKL vae = new AutoencoderKL(VAE, "first_stage_model.");
    AutoencoderKL.Posterior<ShapeOps.Shape> p = vae.encode(op, op.input(2, 3, 128, 96));
    assertArrayEquals(new long[] {2, 4, 16, 12}, p.mean().dims());
    assertArrayEquals(new long[] {2, 4, 16, 12}, p.logvar().dims());
    assertArrayEquals(new long[] {2, 3, 128, 96}, vae.decode(op, p.mean()).dims());
    assertKeys("first_stage_model.", op);
  }

  @Test
  void clipShapesAndKeys() throws IOException {
    ShapeOps op = new ShapeOps();
    ClipTextModel clip = new ClipTextModel(CLIP, "cond_stage_model.transformer.text_model.");
    ShapeOps.Shape out = clip.forward(op, op.input(3, 77), op.input(3, 77, 64), op.input(3, 77, 1));
    assertArrayEquals(new long[] {3, 77, 64}, out.dims());
    assertKeys("cond_stage_model.", op);
  }

  @Test
  void clipRejectsSequencesLongerThanItsPositions() {
    ShapeOps op = new ShapeOps();
    ClipTextModel clip = new ClipTextModel(CLIP, "cond_stage_model.transformer.text_model.");
    assertThrows(IllegalArgumentException.class, () -> clip.forward(op, op.input(1, 78), op.input(1, 78, 64), op.input(1, 78, 1)));
  }

  @Test
  void ocrShapesAndKeys() throws IOException {
    ShapeOps op = new ShapeOps();
    OcrRecognizer ocr = new OcrRecognizer(OCR, "text_predictor.");
    ShapeOps.Shape neck = ocr.neck(op, op.input(5, 3, 48, 320));
    assertArrayEquals(new long[] {5, 40, 64}, neck.dims());
    assertArrayEquals(new long[] {5, 40, 97}, ocr.logits(op, neck).dims());
    assertKeys("text_predictor.", op);
    assertThrows(IllegalArgumentException.class, () -> ocr.neck(new ShapeOps(), op.input(1, 3, 48, 256)));
  }

  @Test
  void embeddingManagerShapesAndKeys() throws IOException {
    ShapeOps op = new ShapeOps();
    EmbeddingManager em = new EmbeddingManager(EM, OCR);
    ShapeOps.Shape out = em.forward(op, op.input(2, 3, 48, 320), op.input(2, 3, 48, 320), op.input(2, 1, 128, 128), op.input(2, 3));
    assertArrayEquals(new long[] {2, 64}, out.dims());
    // The style recognizer's CTC head is stored but unused by AnyText2; list it to cover every key.
    new OcrRecognizer(OCR, "embedding_manager.font_predictor.").logits(op, op.input(2, 40, 64));
    Map<String, long[]> requested = new TreeMap<>(op.weights());
    requested.keySet().removeIf(k -> k.startsWith("text_predictor."));
    assertEquals(render(expected("embedding_manager.")), render(requested));
  }

  @Test
  void officialSizesMatchTheParameterCountsOfModelMd() {
    ShapeOps op = new ShapeOps();
    OcrRecognizer ocr = new OcrRecognizer(OcrConfig.official(), "text_predictor.");
    ShapeOps.Shape neck = ocr.neck(op, op.input(1, 3, 48, 320));
    assertArrayEquals(new long[] {1, 40, 64}, neck.dims());
    assertArrayEquals(new long[] {1, 40, 6625}, ocr.logits(op, neck).dims());
    assertArrayEquals(new long[] {64, 1024, 3, 3}, op.weights().get("text_predictor.neck.encoder.conv4.conv.weight"));
    assertArrayEquals(new long[] {128, 512, 1, 1}, op.weights().get("text_predictor.backbone.block_list.12._se.conv1.weight"));
    ShapeOps.Shape c = new ClipTextModel(ClipConfig.vitL14(), "cond_stage_model.transformer.text_model.").forward(op, op.input(1, 77), op.input(1, 77, 768), op.input(1, 77, 1));
    assertArrayEquals(new long[] {1, 77, 768}, c.dims());
    VaeConfig sd = new VaeConfig(4, 4, 128, new int[] {1, 2, 4, 4}, 2, 3, 3);
    AutoencoderKL vae = new AutoencoderKL(sd, "first_stage_model.");
    ShapeOps.Shape z = vae.encode(op, op.input(1, 3, 512, 512)).mean();
    assertArrayEquals(new long[] {1, 4, 64, 64}, z.dims());
    assertArrayEquals(new long[] {1, 3, 512, 512}, vae.decode(op, z).dims());
    new EmbeddingManager(new EmbeddingManagerConfig(768, "*"), OcrConfig.official())
        .forward(op, op.input(1, 3, 48, 320), op.input(1, 3, 48, 320), op.input(1, 1, 512, 512), op.input(1, 3));
    new OcrRecognizer(OcrConfig.official(), "embedding_manager.font_predictor.").logits(op, neck);
    // MODEL.md §4.2 parameter counts (BatchNorm running statistics included).
    assertEquals(83_653_863L, parameters(op, "first_stage_model."));
    assertEquals(123_060_480L, parameters(op, "cond_stage_model."));
    assertEquals(2_652_257L, parameters(op, "text_predictor."));
    assertEquals(8_756_193L, parameters(op, "embedding_manager."));
  }

  private static long parameters(ShapeOps op, String prefix) {
    return op.weights().entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b))
        .sum();
  }

  private static void assertKeys(String prefix, ShapeOps op) throws IOException {
    assertEquals(render(expected(prefix)), render(op.weights()));
  }

  /** key → "d1xd2…", sorted, so a failure shows the differing lines. */
  private static String render(Map<String, long[]> weights) {
    return new TreeMap<>(weights).entrySet().stream()
        .map(e -> e.getKey() + " " + Arrays.stream(e.getValue()).mapToObj(Long::toString).collect(Collectors.joining("x")))
        .collect(Collectors.joining("\n"));
  }

  private static Map<String, long[]> expected(String prefix) throws IOException {
    Map<String, long[]> keys = new TreeMap<>();
    try (var in = Objects.requireNonNull(TinyModelsShapeTest.class.getResourceAsStream("/tiny_models_keys.txt"));
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#") || !line.startsWith(prefix)) continue;
        String[] parts = line.split(" ");
        keys.put(parts[0], Arrays.stream(parts[1].split("x")).mapToLong(Long::parseLong).toArray());
      }
    }
    return keys;
  }
}
