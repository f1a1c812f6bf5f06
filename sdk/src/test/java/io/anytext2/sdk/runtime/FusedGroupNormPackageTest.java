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

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
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

  @TempDir static Path tmp;
  private static Path plain;
  private static Path fused;

  @BeforeAll
  static void convertTwice() throws Exception {
    plain = write(tmp.resolve("plain"), false, false, false);
    fused = write(tmp.resolve("fused"), true, false, false);
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

  private static Predicate<NodeProto> op(String type) {
    return n -> n.getOpType().equals(type) && n.getDomain().isEmpty();
  }

  private static long activation(NodeProto n) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals("activation")).mapToLong(AttributeProto::getI).findFirst()
        .orElse(-1);
  }
}
