package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.StaticShapes.compatible;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.Arrays;
import java.util.List;

/** Argument checks of {@link OnnxOps}: each throws an IllegalArgumentException naming the op. */
final class ValueChecks {
  private ValueChecks() {}

  static void checkBias(String op, Value b, long out) {
    if (b != null && (b.rank() != 1 || b.shape()[0] != out)) {
      throw new IllegalArgumentException(
          op + ": expected bias [" + out + "], found " + Arrays.toString(b.shape()));
    }
  }

  static void checkPerChannel(String op, long c, Value gamma, Value beta) {
    for (Value v : List.of(gamma, beta)) {
      if (v.rank() != 1 || !compatible(v.shape()[0], c)) {
        throw new IllegalArgumentException(op + ": expected [" + c + "] parameters, found " + v);
      }
    }
  }

  static void requireFloat(String op, Value... xs) {
    for (Value x : xs) {
      if (!x.type().isFloating())
        throw new IllegalArgumentException(op + ": expected FLOAT or FLOAT16, found " + x);
    }
  }

  static long[] toLongs(int[] xs) {
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = xs[i];
    return out;
  }

  static long[] reducedShape(String op, Value x, int[] axes) {
    ValueChecks.requireFloat(op, x);
    if (axes.length == 0)
      throw new IllegalArgumentException(op + ": expected at least one axis, found none");
    long[] out = x.shape();
    for (int a : axes) out[StaticShapes.axis(a, x.rank(), op)] = 1;
    return out;
  }
}
