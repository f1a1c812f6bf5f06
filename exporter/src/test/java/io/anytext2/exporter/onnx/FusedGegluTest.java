package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.anytext2.nn.blocks.GegluFeedForward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TensorOps.geglu} with {@link Fusions#geglu}: a transformer feed-forward of SD1.5's narrowest width (320
 * channels: a 2560-wide projection) becomes MatMul → {@code com.microsoft.BiasSplitGelu}, one of a width the CUDA
 * kernel does not take (64 channels) stays the standard composition byte for byte. The node has no CPU kernel, so
 * the numbers are checked with it replaced by its documented semantics ({@link ContribReference}): that shows the
 * graph hands it the right inputs (the projection without bias, the bias, the value half first).
 */
class FusedGegluTest {
  @TempDir Path dir;

  private static final Fusions GEGLU = new Fusions(false, false, true, false);

  /** A GEGLU feed-forward of width {@code dim} on x [batch, tokens, dim]. */
  private static Path feedForward(Path dir, String name, int dim, Precision precision, Fusions fusions) throws Exception {
    try (OnnxOps op = new OnnxOps(name, new RandomWeights(5), WeightStorage.auto(), precision, fusions)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", "tokens", (long) dim);
      op.output("y", new GegluFeedForward("blk.ff.", dim).forward(op, x));
      return OrtHarness.save(op, dir, name);
    }
  }

  @Test
  void sd15WidthBecomesMatMulAndOneBiasSplitGelu() throws Exception {
    ModelProto fused = model(feedForward(dir, "fused", 320, Precision.FP32, GEGLU));
    ModelProto plain = model(feedForward(dir, "plain", 320, Precision.FP32, Fusions.NONE));
    List<NodeProto> bsg = nodes(fused, "BiasSplitGelu");
    assertEquals(1, bsg.size());
    NodeProto node = bsg.get(0);
    assertEquals("com.microsoft", node.getDomain());
    assertEquals("blk.ff.net.0.proj.bias", node.getInput(1), "the projection's bias goes into the node");
    NodeProto producer = fused.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(node.getInput(0)))
        .findFirst().orElseThrow();
    assertEquals("MatMul", producer.getOpType(), "the node reads the projection without its bias Add");
    for (String op : List.of("Erf", "Slice")) {
      assertEquals(0, nodes(fused, op).size(), op + " left in the fused graph");
      assertTrue(nodes(plain, op).size() > 0, "the standard graph has " + op);
    }
    // one Add less (the projection's bias) and the Add of 1 + erf gone; the output Linear keeps its bias Add
    assertEquals(nodes(plain, "Add").size() - 2, nodes(fused, "Add").size());
    assertEquals(nodes(plain, "MatMul").size(), nodes(fused, "MatMul").size());
    assertTrue(fused.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft") && o.getVersion() == 1));
  }

  @Test
  void widthsTheKernelDoesNotTakeStayStandardByteForByte() throws Exception {
    for (int dim : new int[] {64, 160, 2560}) { // projections 512, 1280 (a half width of the kernel), 20480
      Path standardDir = Files.createDirectories(dir.resolve("standard" + dim)), askedDir = Files.createDirectories(dir.resolve("asked" + dim));
      byte[] standard = Files.readAllBytes(feedForward(standardDir, "ff", dim, Precision.FP16, Fusions.NONE));
      byte[] asked = Files.readAllBytes(feedForward(askedDir, "ff", dim, Precision.FP16, GEGLU));
      assertArrayEquals(standard, asked, "width " + 8 * dim);
    }
  }

  @Test
  void fusedGraphComputesTheComposition() throws Exception {
    Map<String, Tensor> feeds = Map.of("x", Tensor.normal(new Random(3), 2, 7, 320));
    Tensor standard = OrtHarness.run(feedForward(dir, "plain", 320, Precision.FP32, Fusions.NONE), feeds).get("y");
    Path fused = feedForward(dir, "fused", 320, Precision.FP32, GEGLU);
    Tensor reference = OrtHarness.run(ContribReference.unfuse(fused, dir.resolve("reference.onnx")), feeds).get("y");
    double scale = 0, diff = OrtHarness.maxAbsError(standard, reference, "geglu");
    for (float v : standard.data()) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 0 && diff <= 1e-6 * scale, "max |Δ| " + diff + " of max |y| " + scale);
  }

  @Test
  void halfPrecisionNodeReadsFloat16WithoutCasts() throws Exception {
    ModelProto m = model(feedForward(dir, "half", 640, Precision.FP16, GEGLU));
    NodeProto node = nodes(m, "BiasSplitGelu").get(0);
    assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Cast")
        && n.getOutputList().stream().anyMatch(node.getInputList()::contains)), "no Cast feeds the node");
    // the projection is 5120 wide: the node's bias is the float16 initializer itself
    assertTrue(m.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(node.getInput(1))
        && t.getDataType() == ElemType.FLOAT16.onnxCode() && t.getDims(0) == 5120));
  }

  @Test
  void rankTwoInputStaysStandard() throws Exception {
    try (OnnxOps op = new OnnxOps("rank2", new RandomWeights(5), WeightStorage.auto(), Precision.FP32, GEGLU)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "tokens", 320L);
      op.output("y", new GegluFeedForward("blk.ff.", 320).forward(op, x));
      assertEquals(0, nodes(model(OrtHarness.save(op, dir, "rank2")), "BiasSplitGelu").size());
    }
  }

  /** Where ONNX Runtime has its CUDA provider (a GPU build and device), the node itself against the composition. */
  @Test
  void onCudaTheNodeComputesTheComposition() throws Exception {
    assumeTrue(OrtHarness.ENV.getAvailableProviders().contains(OrtProvider.CUDA), "no CUDA provider in this ONNX Runtime");
    Map<String, Tensor> feeds = Map.of("x", Tensor.normal(new Random(3), 2, 7, 320));
    Tensor standard = OrtHarness.run(feedForward(dir, "plain", 320, Precision.FP32, Fusions.NONE), feeds).get("y");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(0);
      try (OrtSession s = OrtHarness.ENV.createSession(feedForward(dir, "fused", 320, Precision.FP32, GEGLU).toString(), options)) {
        Tensor cuda = OrtHarness.run(s, feeds).get("y");
        assertTrue(OrtHarness.maxError(standard, cuda) < 1e-4, "CUDA BiasSplitGelu vs composition");
      }
    }
  }

  private static ModelProto model(Path file) throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(file));
  }

  private static List<NodeProto> nodes(ModelProto m, String op) {
    return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList();
  }
}
