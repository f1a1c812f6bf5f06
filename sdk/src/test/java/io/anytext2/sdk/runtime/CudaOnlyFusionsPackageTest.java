package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code convert --fused-geglu} and {@code --packed-attention} on the default model's architecture (random weights,
 * fp16, fused attention). Its feed-forwards are 256 wide, a width ONNX Runtime's BiasSplitGelu kernel does not take,
 * so with {@code --fused-geglu} every graph stays byte for byte the standard one; the manifest still records the
 * option, and the SDK treats the package as CUDA-only as it says. With {@code --packed-attention} the transformer
 * blocks' attention reads packed MatMuls (numbers: exporter's FusedAttentionPackageTest and PackedAttentionTest), and
 * the SDK refuses the CPU, where the packed formats do not run, in one line that names the nodes and the options.
 */
class CudaOnlyFusionsPackageTest {
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @TempDir static Path tmp;
  private static Path plain;
  private static Path geglu;
  private static Path packed;

  @BeforeAll
  static void convert() throws Exception {
    Path yaml = Path.of("../trainer/configs/default/model.yaml");
    Path clip = yaml.resolveSibling("clip");
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(yaml, clip, OcrConfig.fromShapes(4, 97));
    plain = write(cfg, clip, tmp.resolve("plain"), false, false);
    geglu = write(cfg, clip, tmp.resolve("geglu"), true, false);
    packed = write(cfg, clip, tmp.resolve("packed"), true, true);
  }

  private static Path write(AnyText2Config cfg, Path clip, Path out, boolean fusedGeglu, boolean packedAttention) throws Exception {
    try (GeneratedCheckpoint ckpt = new GeneratedCheckpoint(new RandomCheckpoint(cfg, 3))) {
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "random", cfg, "model.yaml", clip, null, out, false,
          Precision.FP16, true, true, false).withFusions(fusedGeglu, packedAttention), (name, index, graphs) -> {});
    }
    return out;
  }

  @Test
  void widthsTheKernelDoesNotTakeLeaveEveryGraphStandard() throws Exception {
    ModelManifest m = manifest(geglu);
    assertTrue(m.fusedGeglu() && m.cudaOnly(), "the manifest records the option");
    for (String name : m.graphs().keySet()) {
      assertEquals(0, count(model(geglu, name), n -> n.getOpType().equals("BiasSplitGelu")), name);
      assertArrayEquals(Files.readAllBytes(plain.resolve(name + ".onnx")), Files.readAllBytes(geglu.resolve(name + ".onnx")), name);
    }
  }

  @Test
  void packedAttentionChangesOnlyTheGraphsWithTransformerBlocks() throws Exception {
    List<String> transformer = List.of(GraphNames.UNET, GraphNames.CONTROLNET, GraphNames.SAMPLER);
    for (String name : manifest(packed).graphs().keySet()) {
      byte[] a = Files.readAllBytes(plain.resolve(name + ".onnx")), b = Files.readAllBytes(packed.resolve(name + ".onnx"));
      if (!transformer.contains(name)) {
        assertArrayEquals(a, b, name + " is unchanged");
        continue;
      }
      ModelProto p = model(packed, name);
      long self = count(p, n -> n.getOpType().equals("MultiHeadAttention") && n.getInputCount() == 1);
      long cross = count(p, n -> n.getOpType().equals("MultiHeadAttention") && n.getInputCount() == 2);
      assertTrue(self > 0 && self == cross, name + ": one packed self- and cross-attention per transformer block");
      assertEquals(count(model(plain, name), n -> n.getOpType().equals("MultiHeadAttention")), self + cross, name);
    }
  }

  @Test
  void manifestsWithoutTheFieldsReadAsStandardAndStandardManifestsLeaveThemOut() throws Exception {
    String standard = Files.readString(plain.resolve(ModelManifest.FILE_NAME));
    assertFalse(standard.contains("fusedGeglu") || standard.contains("packedAttention"), "written only when on");
    assertFalse(manifest(plain).fusedGeglu() || manifest(plain).packedAttention() || manifest(plain).cudaOnly());
    String text = Files.readString(packed.resolve(ModelManifest.FILE_NAME));
    assertTrue(text.contains("\"fusedGeglu\" : true") && text.contains("\"packedAttention\" : true"), text);
    ModelManifest stripped = JSON.readValue(text.replace("\"fusedGeglu\" : true,", "").replace("\"packedAttention\" : true,", ""),
        ModelManifest.class);
    assertFalse(stripped.fusedGeglu() || stripped.packedAttention() || stripped.cudaOnly());
  }

  @Test
  void theSdkRefusesThemOnTheCpuInOneLineNamingTheOptions() {
    for (Path pkg : List.of(geglu, packed)) {
      Exception cpu = assertThrows(RuntimeException.class, () -> AnyText2Pipeline.open(pkg, RuntimeOptions.cpu()).close());
      String nodes = pkg == geglu ? "BiasSplitGelu nodes (convert --fused-geglu)"
          : "BiasSplitGelu and packed MultiHeadAttention nodes (convert --fused-geglu --packed-attention)";
      assertTrue(cpu.getMessage().contains("this package's " + nodes + " run on the CUDA provider only"), cpu.getMessage());
      assertFalse(cpu.getMessage().contains("\n"), "one line: " + cpu.getMessage());
      // this build has no CUDA provider: asking for it does not fall back to the CPU either
      Exception cuda = assertThrows(RuntimeException.class,
          () -> AnyText2Pipeline.open(pkg, RuntimeOptions.of(new ExecutionProvider.Cuda(0), false)).close());
      assertTrue(cuda.getMessage().contains(nodes + " run on the CUDA provider only, which is not usable here"), cuda.getMessage());
    }
    AnyText2Pipeline.open(plain, RuntimeOptions.cpu()).close();
  }

  private static ModelManifest manifest(Path pkg) throws Exception {
    return JSON.readValue(pkg.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
  }

  private static ModelProto model(Path pkg, String name) throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(name + ".onnx")));
  }

  private static long count(ModelProto m, Predicate<NodeProto> p) {
    return GraphNodes.count(m, p);
  }
}
