package io.anytext2.sdk.runtime;

import static io.anytext2.sdk.runtime.RandomFp16Packages.JSON;
import static io.anytext2.sdk.runtime.RandomFp16Packages.count;
import static io.anytext2.sdk.runtime.RandomFp16Packages.manifest;
import static io.anytext2.sdk.runtime.RandomFp16Packages.model;
import static io.anytext2.sdk.runtime.RandomFp16Packages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.AnyText2Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  @TempDir static Path tmp;
  private static Path plain;
  private static Path geglu;
  private static Path packed;

  @BeforeAll
  static void convert() throws Exception {
    plain = write(tmp.resolve("plain"), false, false, false);
    geglu = write(tmp.resolve("geglu"), false, true, false);
    packed = write(tmp.resolve("packed"), false, true, true);
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
}
