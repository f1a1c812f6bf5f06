package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.anytext2.nn.ops.Pads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Initializer placement (inline / external / AUTO spill), weight de-duplication and model metadata.
 */
class OnnxExternalDataTest {
  @TempDir Path dir;

  /** conv (weight reused by a second conv) → tokens → linear used twice; odd-sized biases. */
  private static Path buildSmallNet(WeightSource weights, WeightStorage storage, Path file)
      throws IOException {
    try (OnnxOps op = new OnnxOps("net", weights, storage)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, "height", "width");
      OnnxOps.Value h =
          op.conv2d(
              x,
              op.weight("conv.weight", 5, 3, 3, 3),
              op.weight("conv.bias", 5),
              1,
              1,
              Pads.same(1),
              1);
      h =
          op.conv2d(
              op.relu(h),
              op.weight("conv2.weight", 3, 5, 3, 3),
              op.weight("conv2.bias", 3),
              1,
              1,
              Pads.same(1),
              1);
      h =
          op.conv2d(
              op.relu(h),
              op.weight("conv.weight", 5, 3, 3, 3),
              op.weight("conv.bias", 5),
              2,
              2,
              Pads.same(1),
              1);
      OnnxOps.Value t = op.imageToTokens(h);
      OnnxOps.Value w = op.weight("proj.weight", 5, 5);
      t =
          op.linear(
              op.linear(t, w, op.weight("proj.bias", 5)), op.weight("proj.weight", 5, 5), null);
      op.output("y", op.tokensToImage(t, h));
      op.save(file);
    }
    return file;
  }

  private static ModelProto read(Path model) throws IOException {
    return ModelProto.parseFrom(Files.readAllBytes(model));
  }

  private static Map<String, String> external(TensorProto t) {
    return t.getExternalDataList().stream()
        .collect(
            Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
  }

  @Test
  void forcedExternalDataMatchesInline() throws Exception {
    Path inlineDir = Files.createDirectories(dir.resolve("inline")),
        extDir = Files.createDirectories(dir.resolve("external"));
    Path inline =
        buildSmallNet(
            new RandomWeights(41),
            WeightStorage.externalData(false),
            inlineDir.resolve("net.onnx"));
    Path ext =
        buildSmallNet(
            new RandomWeights(41),
            WeightStorage.externalData(true).withScratchDir(extDir),
            extDir.resolve("net.onnx"));

    Path data = extDir.resolve("net.onnx.data");
    assertTrue(Files.isRegularFile(data), "external data file next to the model");
    assertFalse(Files.exists(inlineDir.resolve("net.onnx.data")));
    try (Stream<Path> files = Files.list(extDir)) {
      assertEquals(2, files.count(), "only the model and its data remain (scratch file moved)");
    }

    long dataSize = Files.size(data);
    long end = 0;
    int externalCount = 0;
    for (TensorProto t : read(ext).getGraph().getInitializerList()) {
      if (t.getName().startsWith("/")) continue; // structural constants stay inline
      assertEquals(TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
      Map<String, String> e = external(t);
      long offset = Long.parseLong(e.get("offset")), length = Long.parseLong(e.get("length"));
      assertEquals("net.onnx.data", e.get("location"));
      assertEquals(0, offset % InitializerStore.ALIGNMENT, t.getName() + " offset alignment");
      assertTrue(
          offset >= end && offset + length <= dataSize,
          t.getName() + " within the file, after the previous tensor");
      end = offset + length;
      externalCount++;
    }
    assertEquals(6, externalCount, "one initializer per checkpoint key");
    for (TensorProto t : read(inline).getGraph().getInitializerList()) {
      assertEquals(TensorProto.DataLocation.DEFAULT, t.getDataLocation(), t.getName());
    }

    Tensor x = Tensor.normal(new Random(43), 2, 3, 6, 5);
    Tensor a = OrtHarness.run(inline, Map.of("x", x)).get("y");
    Tensor b = OrtHarness.run(ext, Map.of("x", x)).get("y");
    assertArrayEquals(new long[] {2, 5, 3, 3}, b.shape());
    assertArrayEquals(a.data(), b.data(), "external and inline models give identical results");
  }

  @Test
  void reusedWeightsAreLoadedAndStoredOnce() throws Exception {
    RandomWeights weights = new RandomWeights(47);
    ModelProto model = read(buildSmallNet(weights, WeightStorage.auto(), dir.resolve("net.onnx")));
    for (String key : List.of("conv.weight", "conv.bias", "proj.weight")) {
      assertEquals(1, weights.loads(key), key + " loaded once");
      assertEquals(
          1,
          model.getGraph().getInitializerList().stream()
              .filter(t -> t.getName().equals(key))
              .count(),
          key + " stored once");
    }
    long transposes =
        model.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("Transpose") && n.getInput(0).equals("proj.weight"))
            .count();
    assertEquals(1, transposes, "one Transpose of a linear weight, however often it is used");
    TensorProto conv =
        model.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("conv.weight"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of(5L, 3L, 3L, 3L), conv.getDimsList(), "the checkpoint tensor, untransformed");
  }

  @Test
  void modelDeclaresOpsetIrAndProducer() throws Exception {
    ModelProto model =
        read(buildSmallNet(new RandomWeights(53), WeightStorage.auto(), dir.resolve("net.onnx")));
    assertEquals(Opset.IR_VERSION, model.getIrVersion());
    assertEquals("anytext2-java", model.getProducerName());
    assertEquals(1, model.getOpsetImportCount());
    assertEquals("", model.getOpsetImport(0).getDomain());
    assertEquals(17, model.getOpsetImport(0).getVersion());
    assertEquals(
        List.of("x"), model.getGraph().getInputList().stream().map(v -> v.getName()).toList());
    assertEquals(
        "batch",
        model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
  }

  @Test
  void autoPlacementSpillsEverythingOnceOverThreshold() throws Exception {
    // conv.weight is 540 bytes, conv.bias 20: the threshold is crossed by conv2.weight (540)
    WeightStorage storage = new WeightStorage(WeightStorage.Placement.AUTO, 1000, dir);
    Path file = buildSmallNet(new RandomWeights(59), storage, dir.resolve("auto.onnx"));
    Map<String, TensorProto.DataLocation> where = new HashMap<>();
    for (TensorProto t : read(file).getGraph().getInitializerList())
      where.put(t.getName(), t.getDataLocation());
    for (String key : List.of("conv.weight", "conv.bias", "conv2.weight", "proj.weight")) {
      assertEquals(TensorProto.DataLocation.EXTERNAL, where.get(key), key);
    }
    Tensor x = Tensor.normal(new Random(61), 1, 3, 4, 4);
    Path small =
        buildSmallNet(new RandomWeights(59), WeightStorage.auto(), dir.resolve("small.onnx"));
    assertFalse(
        Files.exists(dir.resolve("small.onnx.data")),
        "below the default threshold everything is inline");
    assertArrayEquals(
        OrtHarness.run(small, Map.of("x", x)).get("y").data(),
        OrtHarness.run(file, Map.of("x", x)).get("y").data());
  }

  @Test
  void closingUnsavedGraphRemovesScratchData() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try (OnnxOps op =
        new OnnxOps(
            "unsaved",
            new RandomWeights(67),
            WeightStorage.externalData(true).withScratchDir(scratch))) {
      op.weight("big.weight", 64, 64);
      try (Stream<Path> files = Files.list(scratch)) {
        assertEquals(1, files.count(), "weight streamed to scratch while building");
      }
    }
    try (Stream<Path> files = Files.list(scratch)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void badWeightsFailWithTheirKey() throws IOException {
    try (OnnxOps op = new OnnxOps("bad", (key, shape) -> new float[3])) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> op.weight("w.weight", 2, 2));
      assertTrue(
          e.getMessage().contains("w.weight") && e.getMessage().contains("found 3"),
          e.getMessage());
    }
    try (OnnxOps op = new OnnxOps("reuse", new RandomWeights(1))) {
      op.weight("n.weight", 4);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> op.weight("n.weight", 5));
      assertTrue(e.getMessage().contains("n.weight"), e.getMessage());
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, 1L, 4L, 2L, 2L);
      assertThrows(IllegalArgumentException.class, () -> op.input("x", ElemType.FLOAT, 1L));
      assertThrows(
          IllegalArgumentException.class,
          () -> op.conv2d(x, op.weight("c.weight", 2, 3, 1, 1), null, 1, 1, Pads.none(), 1));
    }
  }
}
