package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.onnx.GraphNodes;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.pkg.GeneratedCheckpoint;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.AnyText2Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert --fused-group-norm}: the default model's architecture (random weights, fp16, fused attention)
 * written with and without it. Every GroupNorm of the UNet, ControlNet, sampler and VAE graphs becomes one
 * {@code com.microsoft.GroupNorm} between two Transposes, with the SiLU after it folded in where the network
 * applies one; the other graphs stay byte for byte; the manifest says so; and the SDK, which cannot run such a
 * package on the CPU (no kernel), refuses with one line instead of ONNX Runtime's kernel error. The numbers are
 * checked on a GPU (README "Benchmarks": PSNR against the standard package), where the node runs.
 */
class FusedGroupNormPackageTest {
  private static final List<String> NORMED = List.of(GraphNames.UNET, GraphNames.CONTROLNET, GraphNames.SAMPLER,
      GraphNames.VAE_ENCODER, GraphNames.VAE_DECODER);
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @TempDir static Path tmp;
  private static Path plain;
  private static Path fused;

  @BeforeAll
  static void convertTwice() throws Exception {
    Path yaml = Path.of("../trainer/configs/default/model.yaml");
    Path clip = yaml.resolveSibling("clip");
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(yaml, clip, OcrConfig.fromShapes(4, 97));
    plain = write(cfg, clip, tmp.resolve("plain"), false);
    fused = write(cfg, clip, tmp.resolve("fused"), true);
  }

  private static Path write(AnyText2Config cfg, Path clip, Path out, boolean groupNorm) throws Exception {
    try (GeneratedCheckpoint ckpt = new GeneratedCheckpoint(new RandomCheckpoint(cfg, 3))) {
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "random", cfg, "model.yaml", clip, null, out, false,
          Precision.FP16, true, true, groupNorm), (name, index, graphs) -> {});
    }
    return out;
  }

  @Test
  void everyGroupNormBecameOneChannelsLastNodeWithItsSilu() throws Exception {
    for (String name : NORMED) {
      ModelProto p = model(plain, name);
      ModelProto f = model(fused, name);
      long instanceNorms = count(p, op("InstanceNormalization"));
      long groupNorms = count(f, n -> n.getOpType().equals("GroupNorm") && n.getDomain().equals("com.microsoft"));
      long withSilu = count(f, n -> n.getOpType().equals("GroupNorm") && activation(n) == 1);
      assertTrue(instanceNorms > 0, name + " has GroupNorms");
      assertEquals(instanceNorms, groupNorms, name + ": one contrib GroupNorm per GroupNorm");
      assertEquals(0, count(f, op("InstanceNormalization")), name + ": no InstanceNormalization left");
      assertTrue(withSilu > 0 && withSilu < groupNorms, name + ": the SiLU folded in where one follows (" + withSilu + " of "
          + groupNorms + "; attention norms have none)");
      assertEquals(count(p, op("Sigmoid")) - withSilu, count(f, op("Sigmoid")), name + ": one Sigmoid less per folded SiLU");
      assertEquals(count(p, op("Transpose")) + 2 * groupNorms, count(f, op("Transpose")), name + ": NCHW -> NHWC -> NCHW around each");
      assertTrue(f.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft") && o.getVersion() == 1));
    }
    for (String name : List.of(GraphNames.TEXT_ENCODER, GraphNames.EMBEDDING, GraphNames.OCR)) {
      assertArrayEquals(Files.readAllBytes(plain.resolve(name + ".onnx")), Files.readAllBytes(fused.resolve(name + ".onnx")),
          name + " has no GroupNorm and is unchanged");
    }
  }

  @Test
  void theManifestSaysSoAndOlderManifestsReadAsStandard() throws Exception {
    assertTrue(manifest(fused).fusedGroupNorm());
    assertFalse(manifest(plain).fusedGroupNorm());
    String text = Files.readString(fused.resolve(ModelManifest.FILE_NAME)).replace("\"fusedGroupNorm\" : true,", "");
    assertFalse(text.contains("fusedGroupNorm"), "the field was removed for this check");
    assertFalse(JSON.readValue(text, ModelManifest.class).fusedGroupNorm(), "a manifest without the field");
  }

  @Test
  void theSdkRefusesToRunItOnTheCpuInOneLine() {
    Exception cpu = assertThrows(RuntimeException.class, () -> AnyText2Pipeline.open(fused, RuntimeOptions.cpu()).close());
    assertTrue(cpu.getMessage().contains("run on the CUDA provider only"), cpu.getMessage());
    assertFalse(cpu.getMessage().contains("\n"), "one line: " + cpu.getMessage());
    // this build has no CUDA provider: asking for it does not fall back to the CPU either
    Exception cuda = assertThrows(RuntimeException.class,
        () -> AnyText2Pipeline.open(fused, RuntimeOptions.of(new ExecutionProvider.Cuda(0), false)).close());
    assertTrue(cuda.getMessage().contains("run on the CUDA provider only, which is not usable here"), cuda.getMessage());
    // the standard package opens on the same options (the fallback to the CPU is still there)
    AnyText2Pipeline.open(plain, RuntimeOptions.of(new ExecutionProvider.Cuda(0), false)).close();
  }

  private static ModelManifest manifest(Path pkg) throws Exception {
    return JSON.readValue(pkg.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
  }

  private static ModelProto model(Path pkg, String name) throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(name + ".onnx")));
  }

  private static Predicate<NodeProto> op(String type) {
    return n -> n.getOpType().equals(type) && n.getDomain().isEmpty();
  }

  private static long activation(NodeProto n) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals("activation")).mapToLong(AttributeProto::getI).findFirst()
        .orElse(-1);
  }

  private static long count(ModelProto m, Predicate<NodeProto> p) {
    return GraphNodes.count(m, p);
  }
}
