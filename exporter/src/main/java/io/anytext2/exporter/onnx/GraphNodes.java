package io.anytext2.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.function.Predicate;

/** Looking into a written graph: which nodes it has, those of subgraphs (Loop bodies) included. */
public final class GraphNodes {
  private GraphNodes() {}

  /** Nodes of {@code m} matching {@code p}, those of Loop bodies and other subgraphs included. */
  public static long count(ModelProto m, Predicate<NodeProto> p) {
    return count(m.getGraph().getNodeList(), p);
  }

  private static long count(List<NodeProto> nodes, Predicate<NodeProto> p) {
    long n = 0;
    for (NodeProto node : nodes) {
      if (p.test(node)) n++;
      for (AttributeProto a : node.getAttributeList()) if (a.hasG()) n += count(a.getG().getNodeList(), p);
    }
    return n;
  }
}
