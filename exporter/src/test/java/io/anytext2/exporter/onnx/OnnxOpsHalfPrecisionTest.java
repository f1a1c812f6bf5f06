package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One network (conv → GroupNorm → SiLU → timestep-style sinusoid → linear → attention softmax) built
 * in FP32 and in FP16: the half graph stores float16 weights, keeps float32 inputs/outputs and the
 * float32 island of sin/cos, and agrees with the float32 graph to float16 accuracy.
 */
class OnnxOpsHalfPrecisionTest {
  @TempDir Path tmp;

  private static final int C = 8;

  private static Path build(Path dir, String name, Precision precision) throws Exception {
    Random r = new Random(3);
    WeightSource w = (key, shape) -> {
      int n = (int) StaticShapes.numel(shape);
      float[] v = new float[n];
      double scale = key.endsWith("gamma") ? 0 : 1 / Math.sqrt(n / (double) shape[0]);
      for (int i = 0; i < n; i++) v[i] = (float) ((key.endsWith("gamma") ? 1 : 0) + scale * r.nextGaussian());
      return v;
    };
    try (OnnxOps op = new OnnxOps(name, w, WeightStorage.auto(), precision)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", (long) C, "h", "w");
      OnnxOps.Value t = op.input("t", ElemType.FLOAT, "batch");
      OnnxOps.Value y = op.conv2d(x, op.weight("conv.weight", C, C, 3, 3), op.weight("conv.bias", C), 1, 1, new int[] {1, 1, 1, 1}, 1);
      y = op.silu(op.groupNorm(y, 4, 1e-5f, op.weight("norm.gamma", C), op.weight("norm.beta", C)));
      // a timestep embedding: t up to 999 times frequencies must stay float32 (t·f in float16 loses whole radians)
      OnnxOps.Value args = op.mul(op.reshape(t, -1, 1), op.constant(new float[] {1f, 0.1f, 0.01f, 0.001f}, 4));
      OnnxOps.Value emb = op.linear(op.concat(-1, List.of(op.cos(args), op.sin(args))), op.weight("emb.weight", C, C), op.weight("emb.bias", C));
      y = op.add(y, op.reshape(emb, 0, C, 1, 1));
      OnnxOps.Value tokens = op.imageToTokens(y);
      OnnxOps.Value attn = op.softmax(op.scale(op.matmul(tokens, op.permute(tokens, 0, 2, 1)), 0.35f), -1);
      op.output("y", op.tokensToImage(op.matmul(attn, tokens), y));
      return OrtHarness.save(op, dir, name);
    }
  }

  @Test
  void halfGraphMatchesFloatGraphWithFloat32Boundaries() throws Exception {
    Path fp32 = build(tmp, "net32", Precision.FP32);
    Path fp16 = build(tmp, "net16", Precision.FP16);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(fp16));
    assertEquals(TensorProto.DataType.FLOAT_VALUE, m.getGraph().getInput(0).getType().getTensorType().getElemType());
    assertEquals(TensorProto.DataType.FLOAT_VALUE, m.getGraph().getOutput(0).getType().getTensorType().getElemType());
    for (TensorProto init : m.getGraph().getInitializerList()) {
      if (init.getName().endsWith("weight")) assertEquals(TensorProto.DataType.FLOAT16_VALUE, init.getDataType(), init.getName());
    }
    assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Sin")
        && m.getGraph().getNodeList().stream().noneMatch(c -> c.getOpType().equals("Cast") && c.getOutput(0).equals(n.getInput(0)))),
        "sin reads the float32 product, not a cast");

    Random r = new Random(5);
    Map<String, Tensor> feeds = Map.of("x", Tensor.normal(r, 2, C, 6, 5), "t", Tensor.of(new float[] {999f, 1f}, 2));
    float[] a = OrtHarness.run(fp32, feeds).get("y").data();
    float[] b = OrtHarness.run(fp16, feeds).get("y").data();
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (double) (a[i] - b[i]);
      den += a[i] * (double) a[i];
    }
    double rel = Math.sqrt(num / den);
    assertTrue(rel < 5e-3, "fp16 vs fp32 relative error " + rel);
    assertTrue(rel > 0, "the half graph computes in float16 (identical results mean nothing was converted)");
  }

  @Test
  void precisionRejectsIntegerCompute() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Precision(ElemType.INT64, false, false));
  }
}
