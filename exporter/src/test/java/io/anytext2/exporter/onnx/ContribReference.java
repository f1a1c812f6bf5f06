package io.anytext2.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stand-ins for the contrib nodes ONNX Runtime runs on CUDA only, written from their documented semantics (ONNX
 * Runtime's docs/ContribOperators.md and kernels), so that the tests can run such graphs on the CPU provider:
 * <ul>
 *   <li>{@code com.microsoft.BiasSplitGelu(X [N, S, D], bias [D])} → Add, Split of the last axis into halves
 *       (left first), left · right · ½ · (1 + erf(right / √2));
 *   <li>{@code MultiHeadAttention} with a packed query [B, S, heads, 3, d] (no key, no value) or a packed key [B, L,
 *       heads, 2, d] (no value) → Split of axis 3, each part reshaped to [B, ·, heads·d], and the node on separate
 *       q, k, v (which the CPU kernel runs).
 * </ul>
 * Public for the package tests of other packages of this module.
 */
public final class ContribReference {
  private ContribReference() {}

  /** {@code model} (a file) with the stand-ins, written to {@code out}. */
  public static Path unfuse(Path model, Path out) throws IOException {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    Files.write(out, unfuse(m).toByteArray());
    return out;
  }

  /** {@code model} with every such node replaced, in Loop bodies too; other nodes as they are. */
  public static ModelProto unfuse(ModelProto model) {
    return model.toBuilder().setGraph(unfuse(model.getGraph())).build();
  }

  private static GraphProto unfuse(GraphProto graph) {
    List<NodeProto> nodes = new ArrayList<>();
    for (NodeProto n : graph.getNodeList()) {
      NodeProto.Builder b = n.toBuilder().clearAttribute();
      for (AttributeProto a : n.getAttributeList()) b.addAttribute(a.hasG() ? a.toBuilder().setG(unfuse(a.getG())).build() : a);
      n = b.build();
      List<String> in = n.getInputList().stream().filter(s -> !s.isEmpty()).toList();
      if (n.getOpType().equals("BiasSplitGelu")) nodes.addAll(biasSplitGelu(in.get(0), in.get(1), n.getOutput(0)));
      else if (n.getOpType().equals("MultiHeadAttention") && in.size() == 1) nodes.addAll(unpacked(n, null, in.get(0), 3));
      else if (n.getOpType().equals("MultiHeadAttention") && in.size() == 2) nodes.addAll(unpacked(n, in.get(0), in.get(1), 2));
      else nodes.add(n);
    }
    return graph.toBuilder().clearNode().addAllNode(nodes).build();
  }

  private static List<NodeProto> biasSplitGelu(String x, String bias, String out) {
    String p = out + "/reference/";
    List<NodeProto> n = new ArrayList<>();
    n.add(node("Add", List.of(x, bias), List.of(p + "sum")));
    n.add(node("Split", List.of(p + "sum"), List.of(p + "left", p + "right"), intAttr("axis", -1)));
    n.addAll(scalar(p + "rsqrt2", (float) Math.sqrt(0.5), p + "right"));
    n.addAll(scalar(p + "one", 1f, p + "right"));
    n.addAll(scalar(p + "half", 0.5f, p + "right"));
    n.add(node("Mul", List.of(p + "right", p + "rsqrt2"), List.of(p + "scaled")));
    n.add(node("Erf", List.of(p + "scaled"), List.of(p + "erf")));
    n.add(node("Add", List.of(p + "erf", p + "one"), List.of(p + "onePlus")));
    n.add(node("Mul", List.of(p + "right", p + "half"), List.of(p + "halfRight")));
    n.add(node("Mul", List.of(p + "halfRight", p + "onePlus"), List.of(p + "gelu")));
    n.add(node("Mul", List.of(p + "left", p + "gelu"), List.of(out)));
    return n;
  }

  /** The attention node on separate q, k, v split from {@code packed} ({@code parts} = 3: q too; 2: k and v). */
  private static List<NodeProto> unpacked(NodeProto mha, String q, String packed, int parts) {
    String p = mha.getOutput(0) + "/reference/";
    List<NodeProto> n = new ArrayList<>();
    List<String> split = new ArrayList<>();
    for (int i = 0; i < parts; i++) split.add(p + "part" + i);
    n.add(node("Split", List.of(packed), split, intAttr("axis", 3)));
    n.add(NodeProto.newBuilder().setOpType("Constant").addOutput(p + "shape").addAttribute(AttributeProto.newBuilder()
        .setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64_VALUE).addDims(3).addInt64Data(0).addInt64Data(0).addInt64Data(-1))).build());
    List<String> qkv = new ArrayList<>();
    if (q != null) qkv.add(q);
    for (String s : split) {
      n.add(node("Reshape", List.of(s, p + "shape"), List.of(s + "/flat")));
      qkv.add(s + "/flat");
    }
    n.add(mha.toBuilder().clearInput().addAllInput(qkv).build());
    return n;
  }

  /** A float32 scalar cast like {@code like} (float or float16 graphs). */
  private static List<NodeProto> scalar(String name, float value, String like) {
    NodeProto c = NodeProto.newBuilder().setOpType("Constant").addOutput(name + "/f32").addAttribute(AttributeProto.newBuilder()
        .setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value))).build();
    return List.of(c, node("CastLike", List.of(name + "/f32", like), List.of(name)));
  }

  private static NodeProto node(String op, List<String> in, List<String> out, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(op).setName(out.get(0) + "/" + op).addAllInput(in).addAllOutput(out)
        .addAllAttribute(List.of(attrs)).build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }
}
