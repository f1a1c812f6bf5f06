package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.GraphBuilder.attr;
import static io.anytext2.exporter.onnx.GraphBuilder.attrInts;
import static io.anytext2.exporter.onnx.StaticShapes.DYNAMIC;
import static io.anytext2.exporter.onnx.StaticShapes.compatible;
import static io.anytext2.exporter.onnx.StaticShapes.mismatch;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout half of {@link OnnxOps}: reshapes, transposes, selection, resampling and broadcasting,
 * none of which has parameters. Reshape targets use ONNX's 0 (copy) and -1 (infer) so that batch
 * and spatial sizes stay dynamic.
 */
final class LayoutOps {
  private final GraphBuilder g;
  private final Map<String, String> spatialShapes = new HashMap<>();

  LayoutOps(GraphBuilder g) {
    this.g = g;
  }

  /** The shapes taken so far, to {@link #restore} when leaving a subgraph. */
  Map<String, String> saveCache() {
    return new HashMap<>(spatialShapes);
  }

  void restore(Map<String, String> saved) {
    spatialShapes.clear();
    spatialShapes.putAll(saved);
  }

  Value reshape(Value x, long... shape) {
    long[] out = StaticShapes.reshape(x.shape(), shape);
    return new Value(g.node("Reshape", "", List.of(x.name(), g.int64Vector(shape))), x.type(), out);
  }

  /**
   * [B, C, H, W] → [B, H·W, C], tokens row-major over H then W: Transpose [0, 2, 3, 1] then Reshape [0, -1, C]
   * (with C dynamic: Reshape [0, 0, -1] then Transpose [0, 2, 1], the same values). Channels-last first because on
   * CUDA with {@code prefer_nhwc} the tensor already is channels-last: ONNX Runtime cancels this Transpose against
   * the one its layout transformation puts after the convolution before, so a block's tokens cost a Reshape only.
   */
  Value imageToTokens(Value x) {
    if (x.rank() != 4)
      throw new IllegalArgumentException(
          "imageToTokens: expected [B, C, H, W], found " + Arrays.toString(x.shape()));
    long[] xs = x.shape();
    long hw = xs[2] < 0 || xs[3] < 0 ? DYNAMIC : xs[2] * xs[3];
    String y;
    if (xs[1] >= 0) {
      String last = g.node("Transpose", "", List.of(x.name()), attrInts("perm", 0, 2, 3, 1));
      y = g.node("Reshape", "", List.of(last, g.int64Vector(0, -1, xs[1])));
    } else {
      String flat = g.node("Reshape", "", List.of(x.name(), g.int64Vector(0, 0, -1)));
      y = g.node("Transpose", "", List.of(flat), attrInts("perm", 0, 2, 1));
    }
    return new Value(y, x.type(), new long[] {xs[0], hw, xs[1]});
  }

  /**
   * [B, H·W, C] → [B, C, H, W] with H, W those of {@code like}: Reshape [0, H, W, -1] (H, W = Shape(like)[2:4]
   * where not static) then Transpose [0, 3, 1, 2] — channels-last first, for the reason {@link #imageToTokens} gives.
   */
  Value tokensToImage(Value tokens, Value like) {
    long[] ts = tokens.shape(), ls = like.shape();
    if (ts.length != 3 || ls.length != 4)
      throw mismatch("tokensToImage: expected tokens [B, H·W, C] and like [B, ?, H, W]", ts, ls);
    if (ls[2] >= 0 && ls[3] >= 0 && !compatible(ts[1], ls[2] * ls[3]))
      throw mismatch("tokensToImage: expected H·W tokens", ts, ls);
    String shape;
    if (ls[2] >= 0 && ls[3] >= 0) {
      shape = g.int64Vector(0, ls[2], ls[3], -1);
    } else {
      String hw =
          spatialShapes.computeIfAbsent(
              like.name(),
              k -> g.node("Shape", "", List.of(like.name()), attr("start", 2L), attr("end", 4L)));
      shape = g.node("Concat", "", List.of(g.int64Vector(0), hw, g.int64Vector(-1)), attr("axis", 0L));
    }
    String channelsLast = g.node("Reshape", "", List.of(tokens.name(), shape));
    String y = g.node("Transpose", "", List.of(channelsLast), attrInts("perm", 0, 3, 1, 2));
    return new Value(y, tokens.type(), new long[] {ts[0], ts[2], ls[2], ls[3]});
  }

  Value permute(Value x, int... axes) {
    if (axes.length != x.rank())
      throw new IllegalArgumentException(
          "permute: expected " + x.rank() + " axes, found " + Arrays.toString(axes));
    long[] xs = x.shape();
    boolean[] seen = new boolean[axes.length];
    long[] perm = new long[axes.length];
    long[] out = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = StaticShapes.axis(axes[i], x.rank(), "permute");
      if (seen[a])
        throw new IllegalArgumentException(
            "permute: expected a permutation, found " + Arrays.toString(axes));
      seen[a] = true;
      perm[i] = a;
      out[i] = xs[a];
    }
    return new Value(
        g.node("Transpose", "", List.of(x.name()), attrInts("perm", perm)), x.type(), out);
  }

  Value concat(int axis, List<Value> xs) {
    if (xs.isEmpty())
      throw new IllegalArgumentException("concat: expected at least one tensor, found none");
    Value first = xs.get(0);
    int a = StaticShapes.axis(axis, first.rank(), "concat");
    long[] out = first.shape();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      Value v = xs.get(i);
      long[] vs = v.shape();
      if (v.type() != first.type() || vs.length != out.length) {
        throw new IllegalArgumentException(
            "concat: expected " + first + "-like tensors, found " + v);
      }
      for (int k = 0; k < out.length; k++) {
        if (k == a) continue;
        if (!compatible(out[k], vs[k]))
          throw mismatch("concat: expected equal dims off axis " + a, out, vs);
        if (out[k] < 0) out[k] = vs[k];
      }
      if (i > 0) out[a] = out[a] < 0 || vs[a] < 0 ? DYNAMIC : out[a] + vs[a];
      names.add(v.name());
    }
    return new Value(g.node("Concat", "", names, attr("axis", (long) a)), first.type(), out);
  }

  Value slice(Value x, int axis, long from, long to) {
    int a = StaticShapes.axis(axis, x.rank(), "slice");
    long[] out = x.shape();
    long size = out[a];
    if (from < 0 || to < from || (size >= 0 && to > size)) {
      throw new IllegalArgumentException(
          "slice: expected 0 <= from <= to <= " + size + ", found [" + from + ", " + to + ")");
    }
    out[a] = to - from;
    String y =
        g.node(
            "Slice",
            "",
            List.of(x.name(), g.int64Vector(from), g.int64Vector(to), g.int64Vector(a)));
    return new Value(y, x.type(), out);
  }

  /**
   * Resize with scales [1, ..., 2, 2], nearest / asymmetric / floor: torch's 'nearest' upsample.
   */
  Value upsampleNearest2x(Value x) {
    if (x.rank() < 3)
      throw new IllegalArgumentException(
          "upsampleNearest2x: expected rank >= 3, found " + Arrays.toString(x.shape()));
    float[] scales = new float[x.rank()];
    Arrays.fill(scales, 1f);
    scales[x.rank() - 1] = 2f;
    scales[x.rank() - 2] = 2f;
    long[] out = x.shape();
    for (int i = out.length - 2; i < out.length; i++) out[i] = out[i] < 0 ? DYNAMIC : 2 * out[i];
    String y =
        g.node(
            "Resize",
            "",
            List.of(x.name(), "", g.floatConstant(scales, new long[] {scales.length})),
            attr("mode", "nearest"),
            attr("coordinate_transformation_mode", "asymmetric"),
            attr("nearest_mode", "floor"));
    return new Value(y, x.type(), out);
  }

  Value avgPool2d(Value x, int kernel) {
    if (x.rank() != 4 || kernel < 1)
      throw new IllegalArgumentException(
          "avgPool2d: expected [N, C, H, W] and kernel >= 1, found "
              + Arrays.toString(x.shape())
              + " k="
              + kernel);
    long[] out = x.shape();
    out[2] = StaticShapes.window(out[2], 0, kernel, kernel);
    out[3] = StaticShapes.window(out[3], 0, kernel, kernel);
    String y =
        g.node(
            "AveragePool",
            "",
            List.of(x.name()),
            attrInts("kernel_shape", kernel, kernel),
            attrInts("strides", kernel, kernel),
            attr("ceil_mode", 0L));
    return new Value(y, x.type(), out);
  }

  Value expand(Value x, long... shape) {
    for (long d : shape) {
      if (d < 1)
        throw new IllegalArgumentException(
            "expand: expected positive sizes, found " + Arrays.toString(shape));
    }
    long[] out = StaticShapes.broadcast(x.shape(), shape, "expand");
    return new Value(g.node("Expand", "", List.of(x.name(), g.int64Vector(shape))), x.type(), out);
  }

  /** Where(Cast(mask, bool), a, b); a float mask is 0/1, so Cast's "nonzero → true" is exact. */
  Value where(Value mask, Value a, Value b) {
    if (a.type() != b.type())
      throw new IllegalArgumentException(
          "where: expected equal types, found " + a.type() + " and " + b.type());
    String cond =
        mask.type() == ElemType.BOOL
            ? mask.name()
            : g.node("Cast", "", List.of(mask.name()), attr("to", (long) ElemType.BOOL.onnxCode()));
    long[] out =
        StaticShapes.broadcast(
            mask.shape(), StaticShapes.broadcast(a.shape(), b.shape(), "where"), "where");
    return new Value(g.node("Where", "", List.of(cond, a.name(), b.name())), a.type(), out);
  }

  /** Rows of {@code table} [V, D] selected by integer {@code ids} (Gather). */
  Value embedding(Value table, Value ids) {
    if (table.rank() != 2 || !table.type().isFloating()) {
      throw new IllegalArgumentException("embedding: expected a float [V, D] table, found " + table);
    }
    if (ids.type() != ElemType.INT64 && ids.type() != ElemType.INT32) {
      throw new IllegalArgumentException("embedding: expected INT64 or INT32 ids, found " + ids.type());
    }
    long[] out = Arrays.copyOf(ids.shape(), ids.rank() + 1);
    out[ids.rank()] = table.shape()[1];
    return new Value(g.node("Gather", GraphBuilder.scopeOf(table.name()), List.of(table.name(), ids.name()), attr("axis", 0L)),
        table.type(), out);
  }
}
