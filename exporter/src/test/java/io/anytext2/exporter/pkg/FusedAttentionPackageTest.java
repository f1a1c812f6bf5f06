package io.anytext2.exporter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.ContribReference;
import io.anytext2.exporter.onnx.GraphNodes;
import io.anytext2.exporter.onnx.OrtHarness;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.onnx.Tensor;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny parity model converted with and without {@code fusedAttention}: the UNet, ControlNet,
 * sampler and VAE graphs give the same outputs on the same inputs (ONNX Runtime CPU, float32) to a
 * max |Δ| of 1e-5 of the output's largest magnitude; each of their Softmax nodes became one {@code
 * com.microsoft.MultiHeadAttention}, and the graphs without {@code TensorOps.attention} are
 * unchanged byte for byte. A third conversion adds {@code packedAttention} (CUDA only): its transformer blocks'
 * attention reads one packed MatMul, and with the packed inputs split apart again by their documented layout
 * ({@link ContribReference}, since the CPU kernel does not run them) the graphs give the fused package's outputs
 * to 1e-6 of their largest magnitude.
 */
class FusedAttentionPackageTest {
  private static final double TOL = 1e-5;
  private static final List<String> FUSED_GRAPHS =
      List.of(GraphNames.UNET, GraphNames.CONTROLNET, GraphNames.SAMPLER, GraphNames.VAE_ENCODER, GraphNames.VAE_DECODER);

  @TempDir static Path tmp;
  private static Path plain;
  private static Path fused;
  private static Path packed;
  private static ModelManifest manifest;
  private static final List<String> TRANSFORMER_GRAPHS = List.of(GraphNames.UNET, GraphNames.CONTROLNET, GraphNames.SAMPLER);

  @BeforeAll
  static void convertTwice() throws Exception {
    String dir = System.getProperty("anytext2.parity.dir");
    assumeTrue(dir != null, "system property anytext2.parity.dir is not set; fused-attention package test skipped");
    Path tiny = Path.of(dir, "tiny");
    assumeTrue(Files.isRegularFile(tiny.resolve("model.ckpt")), "parity fixture " + tiny + "/model.ckpt is absent; skipped");
    plain = FixturePackages.convert(tiny.resolve("model.ckpt"), tiny.resolve("tiny.yaml"), null, tmp.resolve("plain"),
        Precision.FP32, false);
    fused = FixturePackages.convert(tiny.resolve("model.ckpt"), tiny.resolve("tiny.yaml"), null, tmp.resolve("fused"),
        Precision.FP32, true);
    try (Checkpoint ckpt = Checkpoints.open(tiny.resolve("model.ckpt"))) {
      Path yaml = tiny.resolve("tiny.yaml"), clip = ModelConfigLoader.clipFolder(yaml, ModelConfigLoader.readYaml(yaml));
      packed = tmp.resolve("packed");
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "model.ckpt", ModelConfigLoader.load(yaml, clip, ckpt),
          "tiny.yaml", clip, null, packed, false, Precision.FP32, true).withFusions(false, true), (name, index, graphs) -> {});
    }
    manifest = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(fused.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
  }

  @Test
  void manifestRecordsTheContribOperators() throws Exception {
    assertTrue(manifest.fusedAttention());
    ModelManifest standard = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(plain.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
    assertFalse(standard.fusedAttention());
  }

  @Test
  void manifestRecordsTheNativeSizeOfTheConfig() {
    // tiny.yaml keeps the official image_size 64 (latent) with a VAE of down factor 8
    assertEquals(64, manifest.config().imageSize());
    assertEquals(512, manifest.nativeSize());
  }

  @Test
  void everyAttentionSoftmaxBecameOneMultiHeadAttentionNode() throws Exception {
    for (String name : FUSED_GRAPHS) {
      ModelProto p = model(plain, name), f = model(fused, name);
      long softmax = count(p, n -> n.getOpType().equals("Softmax"));
      long mha = count(f, n -> n.getOpType().equals("MultiHeadAttention") && n.getDomain().equals("com.microsoft"));
      assertTrue(softmax > 0, name + " has attention");
      assertEquals(softmax, mha, name + ": one MultiHeadAttention per attention softmax");
      assertEquals(0, count(f, n -> n.getOpType().equals("Softmax")), name + ": no Softmax left");
      assertEquals(0, count(p, n -> !n.getDomain().isEmpty()), name + ": the standard graph has ai.onnx nodes only");
      assertTrue(f.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft") && o.getVersion() == 1));
    }
    for (String name : List.of(GraphNames.TEXT_ENCODER, GraphNames.EMBEDDING, GraphNames.OCR)) {
      assertArrayEquals(Files.readAllBytes(plain.resolve(name + ".onnx")), Files.readAllBytes(fused.resolve(name + ".onnx")),
          name + " does not use TensorOps.attention and is unchanged");
    }
  }

  @Test
  void fusedGraphsComputeWhatTheStandardOnesDo() throws Exception {
    for (String name : FUSED_GRAPHS) {
      Map<String, Tensor> in = feeds(name);
      Map<String, Tensor> a = OrtHarness.run(plain.resolve(name + ".onnx"), in);
      Map<String, Tensor> b = OrtHarness.run(fused.resolve(name + ".onnx"), in);
      assertEquals(a.keySet(), b.keySet());
      for (String out : a.keySet()) {
        double scale = maxAbs(a.get(out)), diff = OrtHarness.maxAbsError(a.get(out), b.get(out), name + "/" + out);
        System.out.printf("fused vs standard %-12s %-12s max|Δ| %.3g, max|y| %.3g, relative %.3g%n", name, out, diff, scale,
            diff / scale);
        assertTrue(scale > 0 && Double.isFinite(scale), name + "/" + out + " is finite and not all zero");
        assertTrue(diff <= TOL * scale, name + "/" + out + ": max |Δ| " + diff + " > " + TOL + " × " + scale);
      }
    }
  }

  @Test
  void packedAttentionReadsOnePackedMatMulPerAttentionOfTheTransformerBlocks() throws Exception {
    for (String name : TRANSFORMER_GRAPHS) {
      ModelProto f = model(fused, name), p = model(packed, name);
      long self = count(p, mha(1)), cross = count(p, mha(2)), plainMha = count(f, mha(3));
      assertTrue(self > 0 && self == cross, name + ": every transformer block has a self- and a cross-attention");
      assertEquals(plainMha, self + cross + count(p, mha(3)), name + ": one node per attention, as before");
      assertEquals(count(f, op("MatMul")) - 2 * self - cross, count(p, op("MatMul")), name + ": q, k, v in one MatMul; k, v in one");
    }
    for (String name : List.of(GraphNames.VAE_ENCODER, GraphNames.VAE_DECODER, GraphNames.TEXT_ENCODER, GraphNames.EMBEDDING,
        GraphNames.OCR)) {
      assertArrayEquals(Files.readAllBytes(fused.resolve(name + ".onnx")), Files.readAllBytes(packed.resolve(name + ".onnx")),
          name + " has no transformer block and is unchanged");
    }
    ModelManifest m = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(packed.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
    assertTrue(m.packedAttention() && m.cudaOnly());
    assertFalse(manifest.packedAttention() || manifest.fusedGeglu() || manifest.cudaOnly());
  }

  @Test
  void packedGraphsComputeWhatTheFusedOnesDo() throws Exception {
    for (String name : TRANSFORMER_GRAPHS) {
      Map<String, Tensor> in = feeds(name);
      Map<String, Tensor> a = OrtHarness.run(fused.resolve(name + ".onnx"), in);
      Path reference = ContribReference.unfuse(packed.resolve(name + ".onnx"), packed.resolve(name + "-reference.onnx"));
      Map<String, Tensor> b = OrtHarness.run(reference, in);
      assertEquals(a.keySet(), b.keySet());
      for (String out : a.keySet()) {
        double scale = maxAbs(a.get(out)), diff = OrtHarness.maxAbsError(a.get(out), b.get(out), name + "/" + out);
        System.out.printf("packed vs fused %-12s %-12s max|Δ| %.3g, max|y| %.3g, relative %.3g%n", name, out, diff, scale,
            diff / scale);
        assertTrue(scale > 0 && diff <= 1e-6 * scale, name + "/" + out + ": max |Δ| " + diff + " > 1e-6 × " + scale);
      }
    }
  }

  /**
   * float16 packages (ONNX Runtime CPU runs the float16 contrib node too): the fused UNet is no
   * further from the float32 UNet than the standard float16 UNet is.
   */
  @Test
  void halfPrecisionFusedUNetIsAsCloseToFloat32AsTheStandardOne() throws Exception {
    Path tiny = Path.of(System.getProperty("anytext2.parity.dir"), "tiny");
    Path half = FixturePackages.convert(tiny.resolve("model.ckpt"), tiny.resolve("tiny.yaml"), null, tmp.resolve("half"),
        Precision.FP16, false);
    Path halfFused = FixturePackages.convert(tiny.resolve("model.ckpt"), tiny.resolve("tiny.yaml"), null,
        tmp.resolve("half-fused"), Precision.FP16, true);
    Map<String, Tensor> in = feeds(GraphNames.UNET);
    Tensor exact = OrtHarness.run(plain.resolve("unet.onnx"), in).get(GraphNames.UNET_OUT);
    Tensor standard = OrtHarness.run(half.resolve("unet.onnx"), in).get(GraphNames.UNET_OUT);
    Tensor fusedEps = OrtHarness.run(halfFused.resolve("unet.onnx"), in).get(GraphNames.UNET_OUT);
    double scale = maxAbs(exact);
    double errStandard = OrtHarness.maxAbsError(exact, standard, "fp16 UNet") / scale;
    double errFused = OrtHarness.maxAbsError(exact, fusedEps, "fused fp16 UNet") / scale;
    System.out.printf("fp16 UNet vs fp32: standard %.3g, fused %.3g (max|Δ| / max|y|)%n", errStandard, errFused);
    assertTrue(errStandard > 0 && errFused > 0, "the half graphs compute in float16");
    assertTrue(errFused <= 1.5 * errStandard && errFused < 1e-2, "fused fp16 error " + errFused + ", standard " + errStandard);
  }

  /** Inputs of graph {@code name} at batch 2, latent 8×8, 77 context tokens, 3 sampler steps. */
  private static Map<String, Tensor> feeds(String name) {
    int batch = 2;
    long down = manifest.config().vae().downFactor();
    long latent = 8; // three halvings in the tiny UNet (channel_mult of 4 levels)
    // the UNet graph's control maps per batch row; the sampler graph computes its own from one image's ControlNet inputs
    Map<String, Long> dims = new HashMap<>(Map.of("batch", (long) batch, "guided_batch", 2L * batch,
        "tokens", 77L, "steps", 3L, "latent_height", latent, "latent_width", latent, "height", latent * down, "width", latent * down));
    for (int level = 0; level < 4; level++) {
      dims.put("latent_height_" + level, latent >> level);
      dims.put("latent_width_" + level, latent >> level);
    }
    // values every input of these graphs can take: timesteps, DDIM coefficients of three steps, strengths
    Map<String, float[]> fixed = new HashMap<>();
    fixed.put(GraphNames.UNET_IN_T, new float[] {901, 301});
    fixed.put(GraphNames.SMP_IN_TIMESTEPS, new float[] {901, 901, 901, 901, 601, 601, 601, 601, 301, 301, 301, 301});
    fixed.put(GraphNames.SMP_IN_SQRT_ALPHA, new float[] {0.25f, 0.55f, 0.8f});
    fixed.put(GraphNames.SMP_IN_SQRT_ONE_MINUS_ALPHA, new float[] {0.968f, 0.835f, 0.6f});
    fixed.put(GraphNames.SMP_IN_SQRT_ALPHA_PREV, new float[] {0.55f, 0.8f, 0.95f});
    fixed.put(GraphNames.SMP_IN_DIRECTION, new float[] {0.835f, 0.6f, 0.312f});
    fixed.put(GraphNames.SMP_IN_CFG, new float[] {9f});
    fixed.put(GraphNames.UNET_IN_ATTNX, new float[] {1f});
    fixed.put(GraphNames.CN_IN_STRENGTH, new float[] {1f});
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    Random random = new Random(name.hashCode());
    for (ModelManifest.Tensor in : manifest.graphs().get(name).inputs()) {
      long[] shape = in.shape().stream().mapToLong(d -> d instanceof Number n ? n.longValue() : dims.get((String) d)).toArray();
      float[] values = fixed.get(in.name());
      if (values == null) {
        values = new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
      }
      feeds.put(in.name(), Tensor.of(values, shape));
    }
    return feeds;
  }

  // ---------------------------------------------------------------- helpers

  private static ModelProto model(Path pkg, String name) throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(name + ".onnx")));
  }

  /** MultiHeadAttention nodes with {@code inputs} inputs (1: packed QKV, 2: q and packed KV, 3: q, k, v). */
  private static Predicate<NodeProto> mha(int inputs) {
    return n -> n.getOpType().equals("MultiHeadAttention") && n.getInputCount() == inputs;
  }

  private static Predicate<NodeProto> op(String type) {
    return n -> n.getOpType().equals(type) && n.getDomain().isEmpty();
  }

  private static long count(ModelProto m, Predicate<NodeProto> p) {
    return GraphNodes.count(m, p);
  }

  private static double maxAbs(Tensor x) {
    double m = 0;
    for (float v : x.data()) m = Math.max(m, Math.abs(v));
    return m;
  }
}
