package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX control flow and the few graph-only ops a sampler needs beside {@link OnnxOps}' TensorOps
 * set. A Loop body is built with the same {@link OnnxOps} (so the networks written against
 * {@code TensorOps} serve inside it unchanged); its nodes read weights and every value computed
 * before the loop as ONNX outer-scope values, so large loop-invariant tensors (ControlNet maps,
 * contexts) are bound once per graph call instead of once per iteration.
 */
public final class OnnxLoops {
  private OnnxLoops() {}

  /** One iteration: the rows of the per-step inputs for this iteration and the carried values → their next values. */
  public interface Body {
    List<Value> next(List<Value> stepRows, List<Value> carried);
  }

  /**
   * An ONNX {@code Loop} that runs once per entry of axis 0 of {@code perStep} (all of the same
   * length): iteration i sees row i of each ({@code Gather(axis=0)}) and the carried values, which
   * start at {@code initial}. Returns the carried values after the last iteration, in the types of
   * {@code initial}.
   */
  public static List<Value> loopOverRows(OnnxOps op, List<Value> perStep, List<Value> initial, Body body) {
    if (perStep.isEmpty() || initial.isEmpty()) {
      throw new IllegalArgumentException("loop: expected per-step inputs and carried values, found " + perStep.size()
          + " and " + initial.size());
    }
    GraphBuilder g = op.graph();
    // trip count: the scalar Shape(perStep[0])[0]
    String len = g.node("Shape", "loop", List.of(perStep.get(0).name()), attr("start", 0L), attr("end", 1L));
    String trips = g.node("Reshape", "loop", List.of(len, g.int64Vector()));

    Runnable leave = op.cacheScope();
    g.beginBody();
    String iter = g.fresh("loop/iteration");
    String condIn = g.fresh("loop/cond_in");
    List<ValueInfoProto> bodyIn = new ArrayList<>(List.of(
        GraphBuilder.valueInfo(iter, ElemType.INT64, new long[0]), GraphBuilder.valueInfo(condIn, ElemType.BOOL, new long[0])));
    List<Value> carried = new ArrayList<>();
    for (Value v : initial) {
      Value c = new Value(g.fresh("loop/carried"), v.type(), v.shape());
      bodyIn.add(GraphBuilder.valueInfo(c.name(), c.type(), c.shape()));
      carried.add(c);
    }
    List<Value> rows = new ArrayList<>();
    for (Value s : perStep) {
      if (s.rank() < 1) throw new IllegalArgumentException("loop: expected per-step inputs of rank >= 1, found " + s);
      rows.add(new Value(g.node("Gather", "loop", List.of(s.name(), iter), attr("axis", 0L)), s.type(),
          Arrays.copyOfRange(s.shape(), 1, s.rank())));
    }
    List<Value> next = body.next(rows, carried);
    if (next.size() != initial.size()) {
      throw new IllegalArgumentException("loop: expected " + initial.size() + " next values, found " + next.size());
    }
    String condOut = g.fresh("loop/cond_out");
    g.identity(condIn, condOut);
    List<ValueInfoProto> bodyOut = new ArrayList<>(List.of(GraphBuilder.valueInfo(condOut, ElemType.BOOL, new long[0])));
    for (int k = 0; k < next.size(); k++) {
      Value want = initial.get(k);
      Value v = want.type().isFloating() ? op.casts().as(next.get(k), want.type()) : next.get(k);
      if (v.type() != want.type()) {
        throw new IllegalArgumentException("loop: carried value " + k + " expected " + want.type() + ", found " + v.type());
      }
      String out = g.fresh("loop/next");
      g.identity(v.name(), out); // a body output must be a value of the body
      bodyOut.add(GraphBuilder.valueInfo(out, want.type(), want.shape()));
    }
    GraphProto bodyGraph = g.endBody(g.fresh("loop/body"), bodyIn, bodyOut);
    leave.run();

    List<String> inputs = new ArrayList<>(List.of(trips, ""));
    List<String> outputs = new ArrayList<>();
    List<Value> finals = new ArrayList<>();
    for (Value v : initial) {
      inputs.add(v.name());
      String out = g.fresh("loop/final");
      outputs.add(out);
      finals.add(new Value(out, v.type(), v.shape()));
    }
    g.multiOutputNode("Loop", g.fresh("loop/Loop"), inputs, outputs, attr("body", bodyGraph));
    return finals;
  }

  /** The two halves of {@code x} along axis 0 (ONNX Split, equal parts), e.g. the cond and uncond rows of a batch. */
  public static List<Value> halves(OnnxOps op, Value x) {
    GraphBuilder g = op.graph();
    long[] shape = x.shape().clone();
    if (shape.length == 0) throw new IllegalArgumentException("halves: expected rank >= 1, found a scalar");
    if (shape[0] >= 0) {
      if (shape[0] % 2 != 0) throw new IllegalArgumentException("halves: expected an even axis 0, found " + shape[0]);
      shape[0] /= 2;
    }
    String a = g.fresh("/Split"), b = g.fresh("/Split");
    g.multiOutputNode("Split", a, List.of(x.name()), List.of(a, b), attr("axis", 0L));
    return List.of(new Value(a, x.type(), shape), new Value(b, x.type(), shape.clone()));
  }

  /** {@code x} in float32 (e.g. a half-precision network's output before float32 sampler arithmetic). */
  public static Value float32(OnnxOps op, Value x) {
    return op.casts().as(x, ElemType.FLOAT);
  }

  /**
   * Branch rows repeated to a batch: {@code rows} is [2·M, ...] (the cond rows, then the uncond rows)
   * and {@code like} is [N, ...] with M = 1 or M = N; returns [2·N, ...] with each branch's rows
   * repeated N / M times (cond block first). The ControlNet maps of a request are the same for every
   * image of a branch, so they can travel at M = 1 and be widened here, on the device.
   */
  public static Value repeatBranchRows(OnnxOps op, Value rows, Value like) {
    GraphBuilder g = op.graph();
    String tail = g.node("Shape", "branches", List.of(rows.name()), attr("start", 1L));
    String n = g.node("Shape", "branches", List.of(like.name()), attr("start", 0L), attr("end", 1L));
    String two = g.int64Vector(2);
    String minusOne = g.int64Vector(-1);
    String split = g.node("Concat", "branches", List.of(two, minusOne, tail), attr("axis", 0L));
    String byBranch = g.node("Reshape", "branches", List.of(rows.name(), split));
    String wide = g.node("Concat", "branches", List.of(two, n, tail), attr("axis", 0L));
    String expanded = g.node("Expand", "branches", List.of(byBranch, wide));
    String flat = g.node("Concat", "branches", List.of(minusOne, tail), attr("axis", 0L));
    long[] shape = rows.shape();
    shape[0] = -1;
    return new Value(g.node("Reshape", "branches", List.of(expanded, flat)), rows.type(), shape);
  }
}
