package io.anytext2.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Emits the nodes, inputs, outputs and initializers of one ONNX graph and writes the model. Value
 * names are unique: checkpoint keys and caller-chosen input/output names are taken verbatim, node
 * outputs get {@code <scope>/<OpType>[_k]} (scope = the weight key without ".weight" where a layer
 * has one), which no checkpoint key can collide with since keys contain no '/'.
 */
final class GraphBuilder implements AutoCloseable {

  /** Float constants with up to this many elements stay inline and are shared by content. */
  private static final int SMALL_CONSTANT = 1024;

  private final String graphName;
  private final InitializerStore initializers;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> nextSuffix = new HashMap<>();
  private final Map<String, String> sharedConstants = new HashMap<>();
  /** Operator-set domains besides ai.onnx that nodes use (subgraphs included) → version to import. */
  private final Map<String, Long> extraDomains = new TreeMap<>();
  /** Subgraphs being built (innermost first); nodes go to the innermost, else to the main graph. */
  private final Deque<GraphProto.Builder> bodies = new ArrayDeque<>();

  GraphBuilder(String graphName, WeightStorage storage) {
    if (graphName == null || graphName.isBlank()) {
      throw new IllegalArgumentException("expected a graph name, found '" + graphName + "'");
    }
    this.graphName = graphName;
    this.initializers = new InitializerStore(storage);
  }

  // ---------------------------------------------------------------- names

  /** Reserves a caller-chosen value name; fails if it is already taken. */
  void claim(String name) {
    if (name == null || name.isEmpty())
      throw new IllegalArgumentException("expected a value name, found empty");
    if (!names.add(name))
      throw new IllegalArgumentException(
          "expected a new value name, found '" + name + "' already in the graph");
  }

  /**
   * The scope of the nodes that apply the value {@code weightName} (see the class comment): a
   * weight key without ".weight" (so "…proj_in.weight" gives nodes "…proj_in/Conv"), any other
   * name as it is, except the output of an unscoped node ("/OpType…"), which gives no scope.
   */
  static String scopeOf(String weightName) {
    if (weightName.endsWith(".weight"))
      return weightName.substring(0, weightName.length() - ".weight".length());
    return weightName.startsWith("/") ? "" : weightName;
  }

  /** A new unique name starting with {@code base}. */
  String fresh(String base) {
    String name = base;
    while (names.contains(name)) {
      int k = nextSuffix.merge(base, 1, Integer::sum);
      name = base + "_" + k;
    }
    names.add(name);
    return name;
  }

  // ---------------------------------------------------------------- nodes

  /** Appends a single-output node of the default (ai.onnx) domain; returns the output's name. */
  String node(String opType, String scope, List<String> inputs, AttributeProto... attributes) {
    return node(Opset.DOMAIN, opType, scope, inputs, attributes);
  }

  /**
   * Appends a single-output node of operator-set {@code domain} (one of {@link Opset#versionOf}'s);
   * the model then imports that domain. Returns the output's name.
   */
  String node(String domain, String opType, String scope, List<String> inputs, AttributeProto... attributes) {
    long version = Opset.versionOf(domain);
    String out = fresh(scope + "/" + opType);
    NodeProto.Builder n =
        NodeProto.newBuilder()
            .setName(out)
            .setOpType(opType)
            .addAllInput(inputs)
            .addOutput(out)
            .addAllAttribute(Arrays.asList(attributes));
    if (!domain.equals(Opset.DOMAIN)) {
      n.setDomain(domain);
      extraDomains.put(domain, version);
    }
    target().addNode(n.build());
    return out;
  }

  /** An Identity node writing {@code input} to the (already claimed) value {@code output}. */
  void identity(String input, String output) {
    target().addNode(
        NodeProto.newBuilder()
            .setName(output + "/Identity")
            .setOpType("Identity")
            .addInput(input)
            .addOutput(output)
            .build());
  }

  /** Appends a node with several (already claimed) outputs. */
  void multiOutputNode(String opType, String name, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
    target().addNode(NodeProto.newBuilder().setName(name).setOpType(opType).addAllInput(inputs).addAllOutput(outputs)
        .addAllAttribute(Arrays.asList(attributes)).build());
  }

  // ---------------------------------------------------------------- subgraphs (Loop bodies)

  /**
   * Starts a subgraph: nodes go into it until {@link #endBody}. Its nodes may read any value of the
   * enclosing graphs (ONNX outer scope), initializers included, which stay in the main graph: weights
   * are stored once however many bodies read them.
   */
  void beginBody() {
    bodies.push(GraphProto.newBuilder());
  }

  /** Ends the innermost subgraph; returns it with the given inputs and outputs. */
  GraphProto endBody(String name, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
    if (bodies.isEmpty()) throw new IllegalStateException("expected an open subgraph, found none");
    return bodies.pop().setName(name).addAllInput(inputs).addAllOutput(outputs).build();
  }

  private GraphProto.Builder target() {
    return bodies.isEmpty() ? graph : bodies.peek();
  }

  static AttributeProto attr(String name, GraphProto value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(value).build();
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static AttributeProto attr(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }

  static AttributeProto attrInts(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) a.addInts(v);
    return a.build();
  }

  // ---------------------------------------------------------------- initializers and constants

  /** A float initializer (stored as {@code type}) under a claimed name, placed by the storage policy. */
  void weight(String name, ElemType type, long[] dims, float[] values) {
    initializers.addFloats(name, type, dims, values, true);
  }

  /** A float32 constant; small ones are stored inline once per distinct content. */
  String floatConstant(float[] values, long[] dims) {
    return floatConstant(values, dims, ElemType.FLOAT);
  }

  /** A FLOAT or FLOAT16 constant; small ones are stored inline once per distinct content and type. */
  String floatConstant(float[] values, long[] dims, ElemType type) {
    if (values.length > SMALL_CONSTANT) {
      String name = fresh("/Constant");
      initializers.addFloats(name, type, dims, values, true);
      return name;
    }
    String key = type + Arrays.toString(dims) + Arrays.toString(values);
    String name = sharedConstants.get(key);
    if (name == null) {
      name = fresh("/Constant");
      initializers.addFloats(name, type, dims, values.clone(), false);
      sharedConstants.put(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds), shared by content. */
  String int64Vector(long... values) {
    String key = "i" + Arrays.toString(values);
    String name = sharedConstants.get(key);
    if (name == null) {
      name = fresh("/Constant");
      initializers.addLongs(name, new long[] {values.length}, values);
      sharedConstants.put(key, name);
    }
    return name;
  }

  int initializerCount() {
    return initializers.size();
  }

  // ---------------------------------------------------------------- inputs, outputs, model

  /** A graph input; {@code dims} entries are Long (static) or String (symbolic). */
  void input(String name, ElemType type, Object[] dims) {
    requireMainGraph("input " + name);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      if (d instanceof String s) shape.addDimBuilder().setDimParam(s);
      else shape.addDimBuilder().setDimValue(((Number) d).longValue());
    }
    graph.addInput(valueInfo(name, type, shape));
  }

  /** A graph output; dimensions of -1 are left unnamed (unknown). */
  void output(String name, ElemType type, long[] dims) {
    requireMainGraph("output " + name);
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** A value's type and shape; dimensions of -1 are left unnamed (unknown). */
  static ValueInfoProto valueInfo(String name, ElemType type, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      if (d >= 0) shape.addDimBuilder().setDimValue(d);
      else shape.addDimBuilder();
    }
    return valueInfo(name, type, shape);
  }

  private void requireMainGraph(String what) {
    if (!bodies.isEmpty()) throw new IllegalStateException(what + ": expected the main graph, found an open subgraph");
  }

  /**
   * Writes the model to {@code file}; external initializers go to {@code <file name>.data} beside
   * it. The graph cannot be extended afterwards.
   */
  void save(Path file) throws IOException {
    requireMainGraph("save");
    if (graph.getOutputCount() == 0)
      throw new IllegalStateException("expected at least one graph output, found none");
    Path absolute = file.toAbsolutePath();
    String location = absolute.getFileName() + ".data";
    initializers.finish(absolute.resolveSibling(location));
    // A network may read a weight only to check its shape (e.g. a conv applied to zeros, which is
    // its bias); initializers no node reads are left out so runtimes do not warn about them.
    Set<String> used = new HashSet<>();
    collectUsed(graph.getNodeList(), used);
    for (var o : graph.getOutputList()) used.add(o.getName());
    GraphProto g =
        graph.clone()
            .setName(graphName)
            .addAllInitializer(
                initializers.tensors(location).stream().filter(t -> used.contains(t.getName())).toList())
            .build();
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(Opset.IR_VERSION)
            .setProducerName(Opset.PRODUCER_NAME)
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(Opset.DOMAIN).setVersion(Opset.VERSION));
    extraDomains.forEach(
        (domain, version) ->
            model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    model.setGraph(g);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(absolute), 1 << 20)) {
      model.build().writeTo(out);
    }
  }

  @Override
  public void close() throws IOException {
    initializers.close();
  }

  /** The inputs of {@code nodes} and of the nodes of their subgraphs (which read initializers as outer-scope values). */
  private static void collectUsed(List<NodeProto> nodes, Set<String> used) {
    for (NodeProto n : nodes) {
      used.addAll(n.getInputList());
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          collectUsed(a.getG().getNodeList(), used);
          for (var o : a.getG().getOutputList()) used.add(o.getName());
        }
      }
    }
  }

  private static ValueInfoProto valueInfo(
      String name, ElemType type, TensorShapeProto.Builder shape) {
    TypeProto.Tensor.Builder tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(shape);
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }
}
