package io.anytext2.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Loop built with the same OnnxOps code as straight-line graphs: the loop equals the unrolled graph. */
class OnnxLoopsTest {
  @TempDir Path tmp;

  private static final int C = 4, STEPS = 3;

  private static final WeightSource WEIGHTS = (key, shape) -> {
    Random r = new Random(key.hashCode());
    float[] v = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (key.endsWith("gamma") ? 1 + 0.1 * r.nextGaussian() : r.nextGaussian());
    return v;
  };

  /** One step: GroupNorm (reads weights and Shape-derived values), a per-step row and scalar, halves of the batch. */
  private static Value step(OnnxOps op, Value h, Value row, Value k) {
    Value y = op.groupNorm(h, 2, 1e-5f, op.weight("norm.gamma", C), op.weight("norm.beta", C));
    y = op.add(op.mul(y, k), op.reshape(row, 1, C, 1, 1));
    List<Value> ab = OnnxLoops.halves(op, y);
    return op.concat(0, List.of(op.add(ab.get(0), ab.get(1)), op.sub(ab.get(0), ab.get(1))));
  }

  private Path build(String name, boolean loop) throws Exception {
    try (OnnxOps op = new OnnxOps(name, WEIGHTS)) {
      Value x = op.input("x", ElemType.FLOAT, "batch", (long) C, "h", "w");
      Value rows = op.input("rows", ElemType.FLOAT, "steps", (long) C);
      Value ks = op.input("k", ElemType.FLOAT, "steps");
      Value h;
      if (loop) {
        h = OnnxLoops.loopOverRows(op, List.of(rows, ks), List.of(x), (r, carried) -> List.of(step(op, carried.get(0), r.get(0), r.get(1)))).get(0);
      } else {
        h = x;
        for (int i = 0; i < STEPS; i++) {
          h = step(op, h, op.reshape(op.slice(rows, 0, i, i + 1), C), op.reshape(op.slice(ks, 0, i, i + 1)));
        }
      }
      // the same network after the loop: values cached inside the body must not leak out of it
      op.output("y", op.groupNorm(h, 2, 1e-5f, op.weight("norm.gamma", C), op.weight("norm.beta", C)));
      return OrtHarness.save(op, tmp, name);
    }
  }

  @Test
  void loopEqualsTheUnrolledGraph() throws Exception {
    Path looped = build("looped", true);
    Path unrolled = build("unrolled", false);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(looped));
    assertEquals(1, m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Loop")).count());
    List<String> initializers = new ArrayList<>();
    m.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    assertEquals(true, initializers.contains("norm.gamma"), "weights read only inside the body stay initializers of the main graph");
    Random r = new Random(7);
    Map<String, Tensor> feeds = Map.of("x", Tensor.normal(r, 2, C, 3, 5), "rows", Tensor.normal(r, STEPS, C),
        "k", Tensor.of(new float[] {0.5f, -2f, 1.5f}, STEPS));
    Tensor a = OrtHarness.run(unrolled, feeds).get("y");
    Tensor b = OrtHarness.run(looped, feeds).get("y");
    OrtHarness.assertClose(a, b, 1e-5, "Loop vs unrolled");
  }

  @Test
  void mainGraphInputsCannotBeDeclaredInsideABody() throws Exception {
    try (OnnxOps op = new OnnxOps("bad", WEIGHTS)) {
      Value x = op.input("x", ElemType.FLOAT, 2L, (long) C);
      Value rows = op.input("rows", ElemType.FLOAT, "steps", (long) C);
      assertThrows(IllegalStateException.class, () -> OnnxLoops.loopOverRows(op, List.of(rows), List.of(x),
          (r, c) -> List.of(op.input("late", ElemType.FLOAT, 1L))));
    }
  }
}
