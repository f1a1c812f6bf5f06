package io.anytext2.nn.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend that propagates static shapes only. Running a network through it lists every weight
 * key with its shape (in first-use order) and checks that the shapes of all operations agree,
 * without any arithmetic. The exporter uses it to validate a checkpoint against a configuration
 * before writing anything, the trainer to register parameters.
 */
public final class ShapeOps implements TensorOps<ShapeOps.Shape> {

  /** A static shape. */
  public record Shape(long[] dims) {
    public Shape {
      dims = dims.clone();
    }

    public int rank() {
      return dims.length;
    }

    public long numel() {
      long n = 1;
      for (long d : dims) n *= d;
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
      return Arrays.toString(dims);
    }
  }

  private final Map<String, long[]> weights = new LinkedHashMap<>();

  /** Every weight requested so far: key → shape, in first-use order. */
  public Map<String, long[]> weights() {
    return weights;
  }

  /** An input placeholder of the given shape. */
  public Shape input(long... dims) {
    return new Shape(dims);
  }

  @Override
  public Shape weight(String key, long... shape) {
    long[] prev = weights.putIfAbsent(key, shape.clone());
    if (prev != null && !Arrays.equals(prev, shape)) {
      throw new IllegalStateException("weight " + key + " used with shapes " + Arrays.toString(prev) + " and " + Arrays.toString(shape));
    }
    return new Shape(shape);
  }

  @Override
  public Shape constant(float[] values, long... shape) {
    if (numel(shape) != values.length) {
      throw new IllegalArgumentException("constant: " + values.length + " values for shape " + Arrays.toString(shape));
    }
    return new Shape(shape);
  }

  @Override
  public long[] shape(Shape x) {
    return x.dims();
  }

  @Override
  public Shape conv2d(Shape x, Shape w, Shape b, int strideH, int strideW, int[] pads, int groups) {
    long[] xs = x.dims, ws = w.dims;
    check(xs.length == 4 && ws.length == 4, "conv2d: rank", xs, ws);
    check(xs[1] == ws[1] * groups && ws[0] % groups == 0, "conv2d: channels", xs, ws);
    check(b == null || (b.rank() == 1 && b.dims[0] == ws[0]), "conv2d: bias", ws, b == null ? null : b.dims);
    long h = (xs[2] + pads[0] + pads[2] - ws[2]) / strideH + 1;
    long wd = (xs[3] + pads[1] + pads[3] - ws[3]) / strideW + 1;
    return new Shape(new long[] {xs[0], ws[0], h, wd});
  }

  @Override
  public Shape linear(Shape x, Shape w, Shape b) {
    long[] xs = x.dims;
    check(w.rank() == 2 && xs[xs.length - 1] == w.dims[1], "linear: in features", xs, w.dims);
    check(b == null || (b.rank() == 1 && b.dims[0] == w.dims[0]), "linear: bias", w.dims, b == null ? null : b.dims);
    long[] out = xs.clone();
    out[out.length - 1] = w.dims[0];
    return new Shape(out);
  }

  @Override
  public Shape groupNorm(Shape x, int groups, float eps, Shape gamma, Shape beta) {
    check(x.dims[1] % groups == 0 && gamma.dims[0] == x.dims[1] && beta.dims[0] == x.dims[1], "groupNorm", x.dims, gamma.dims);
    return x;
  }

  @Override
  public Shape layerNorm(Shape x, float eps, Shape gamma, Shape beta) {
    long last = x.dims[x.rank() - 1];
    check(gamma.dims[0] == last && beta.dims[0] == last, "layerNorm", x.dims, gamma.dims);
    return x;
  }

  @Override
  public Shape batchNorm(Shape x, float eps, Shape gamma, Shape beta, Shape mean, Shape var) {
    check(gamma.dims[0] == x.dims[1] && mean.dims[0] == x.dims[1], "batchNorm", x.dims, gamma.dims);
    return x;
  }

  @Override
  public Shape embedding(Shape table, Shape ids) {
    long[] out = Arrays.copyOf(ids.dims, ids.rank() + 1);
    out[ids.rank()] = table.dims[1];
    return new Shape(out);
  }

  @Override
  public Shape add(Shape a, Shape b) {
    return broadcast(a, b, "add");
  }

  @Override
  public Shape sub(Shape a, Shape b) {
    return broadcast(a, b, "sub");
  }

  @Override
  public Shape mul(Shape a, Shape b) {
    return broadcast(a, b, "mul");
  }

  @Override
  public Shape div(Shape a, Shape b) {
    return broadcast(a, b, "div");
  }

  @Override
  public Shape matmul(Shape a, Shape b) {
    long[] as = a.dims, bs = b.dims;
    check(as.length >= 2 && bs.length >= 2 && as[as.length - 1] == bs[bs.length - 2], "matmul", as, bs);
    Shape batch = broadcast(new Shape(Arrays.copyOf(as, as.length - 2)), new Shape(Arrays.copyOf(bs, bs.length - 2)), "matmul batch");
    long[] out = Arrays.copyOf(batch.dims, batch.rank() + 2);
    out[out.length - 2] = as[as.length - 2];
    out[out.length - 1] = bs[bs.length - 1];
    return new Shape(out);
  }

  @Override
  public Shape scale(Shape x, float s) {
    return x;
  }

  @Override
  public Shape softmax(Shape x, int axis) {
    return x;
  }

  @Override
  public Shape exp(Shape x) {
    return x;
  }

  @Override
  public Shape sqrt(Shape x) {
    return x;
  }

  @Override
  public Shape cos(Shape x) {
    return x;
  }

  @Override
  public Shape sin(Shape x) {
    return x;
  }

  @Override
  public Shape clip(Shape x, float min, float max) {
    return x;
  }

  @Override
  public Shape meanKeepDims(Shape x, int... axes) {
    return reduce(x, axes);
  }

  @Override
  public Shape sumKeepDims(Shape x, int... axes) {
    return reduce(x, axes);
  }

  @Override
  public Shape relu(Shape x) {
    return x;
  }

  @Override
  public Shape sigmoid(Shape x) {
    return x;
  }

  @Override
  public Shape geluErf(Shape x) {
    return x;
  }

  @Override
  public Shape hardSigmoid(Shape x) {
    return x;
  }

  @Override
  public Shape reshape(Shape x, long... shape) {
    long[] out = shape.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        check(i < x.rank(), "reshape: 0 beyond input rank", x.dims, shape);
        out[i] = x.dims[i];
      }
    }
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        check(unknown < 0, "reshape: two -1", x.dims, shape);
        unknown = i;
      } else {
        known *= out[i];
      }
    }
    if (unknown >= 0) out[unknown] = x.numel() / known;
    check(numel(out) == x.numel(), "reshape: element count", x.dims, shape);
    return new Shape(out);
  }

  @Override
  public Shape imageToTokens(Shape x) {
    check(x.rank() == 4, "imageToTokens: rank", x.dims, null);
    return new Shape(new long[] {x.dims[0], x.dims[2] * x.dims[3], x.dims[1]});
  }

  @Override
  public Shape tokensToImage(Shape t, Shape like) {
    check(t.rank() == 3 && like.rank() == 4 && t.dims[1] == like.dims[2] * like.dims[3], "tokensToImage", t.dims, like.dims);
    return new Shape(new long[] {t.dims[0], t.dims[2], like.dims[2], like.dims[3]});
  }

  @Override
  public Shape permute(Shape x, int... axes) {
    check(axes.length == x.rank(), "permute: rank", x.dims, null);
    long[] out = new long[axes.length];
    for (int i = 0; i < axes.length; i++) out[i] = x.dims[axes[i]];
    return new Shape(out);
  }

  @Override
  public Shape concat(int axis, List<Shape> xs) {
    long[] out = xs.get(0).dims.clone();
    int a = norm(axis, out.length);
    for (int i = 1; i < xs.size(); i++) {
      long[] d = xs.get(i).dims;
      check(d.length == out.length, "concat: rank", out, d);
      for (int k = 0; k < d.length; k++) {
        if (k != a) check(d[k] == out[k], "concat: dims", out, d);
      }
      out[a] += d[a];
    }
    return new Shape(out);
  }

  @Override
  public Shape slice(Shape x, int axis, long from, long to) {
    int a = norm(axis, x.rank());
    check(0 <= from && from <= to && to <= x.dims[a], "slice: range", x.dims, new long[] {from, to});
    long[] out = x.dims.clone();
    out[a] = to - from;
    return new Shape(out);
  }

  @Override
  public Shape upsampleNearest2x(Shape x) {
    long[] out = x.dims.clone();
    out[out.length - 1] *= 2;
    out[out.length - 2] *= 2;
    return new Shape(out);
  }

  @Override
  public Shape avgPool2d(Shape x, int kernel) {
    long[] out = x.dims.clone();
    out[out.length - 1] /= kernel;
    out[out.length - 2] /= kernel;
    return new Shape(out);
  }

  @Override
  public Shape expand(Shape x, long... shape) {
    return broadcast(x, new Shape(shape), "expand");
  }

  @Override
  public Shape where(Shape mask, Shape a, Shape b) {
    return broadcast(mask, broadcast(a, b, "where"), "where");
  }

  // ---------------------------------------------------------------- helpers

  private static Shape reduce(Shape x, int[] axes) {
    long[] out = x.dims.clone();
    for (int a : axes) out[norm(a, out.length)] = 1;
    return new Shape(out);
  }

  private static Shape broadcast(Shape a, Shape b, String op) {
    int r = Math.max(a.rank(), b.rank());
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
      long db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
      check(da == db || da == 1 || db == 1, op + ": broadcast", a.dims, b.dims);
      out[i] = Math.max(da, db);
    }
    return new Shape(out);
  }

  private static int norm(int axis, int rank) {
    return axis < 0 ? axis + rank : axis;
  }

  private static long numel(long[] s) {
    long n = 1;
    for (long d : s) n *= d;
    return n;
  }

  private static void check(boolean ok, String what, long[] a, long[] b) {
    if (!ok) {
      throw new IllegalArgumentException(what + " mismatch: " + Arrays.toString(a) + " vs " + Arrays.toString(b));
    }
  }
}
