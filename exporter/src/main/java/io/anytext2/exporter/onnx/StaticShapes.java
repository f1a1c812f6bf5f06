package io.anytext2.exporter.onnx;

import java.util.Arrays;

/**
 * Shape arithmetic at graph-building time, where -1 stands for a dimension only known at run time.
 * Results are as precise as the static information allows and fall back to -1 otherwise; ONNX
 * Runtime does its own (symbolic) inference when the model is loaded.
 */
final class StaticShapes {
  private StaticShapes() {}

  static final long DYNAMIC = -1;

  /** Numpy broadcasting of two shapes. */
  static long[] broadcast(long[] a, long[] b, String op) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.length ? 1 : a[i - (r - a.length)];
      long db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da == 1) out[i] = db;
      else if (db == 1) out[i] = da;
      else if (da == DYNAMIC) out[i] = db;
      else if (db == DYNAMIC || da == db) out[i] = da;
      else throw mismatch(op + ": expected broadcastable shapes", a, b);
    }
    return out;
  }

  /** Batched matrix product shapes (numpy matmul, both ranks >= 2). */
  static long[] matmul(long[] a, long[] b) {
    if (a.length < 2 || b.length < 2) throw mismatch("matmul: expected rank >= 2", a, b);
    long k1 = a[a.length - 1], k2 = b[b.length - 2];
    if (k1 >= 0 && k2 >= 0 && k1 != k2)
      throw mismatch("matmul: expected equal inner dimensions", a, b);
    long[] batch =
        broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2), "matmul batch");
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[out.length - 2] = a[a.length - 2];
    out[out.length - 1] = b[b.length - 1];
    return out;
  }

  /**
   * ONNX Reshape (allowzero = 0): 0 copies the input dimension at that index, one -1 is inferred.
   * The -1 is resolved statically when every dynamic input dimension is carried over by a 0.
   */
  static long[] reshape(long[] in, long[] spec) {
    long[] out = spec.clone();
    boolean[] copied = new boolean[in.length];
    int inferred = -1;
    for (int i = 0; i < spec.length; i++) {
      if (spec[i] == 0) {
        if (i >= in.length)
          throw mismatch("reshape: expected 0 only within the input rank", in, spec);
        out[i] = in[i];
        copied[i] = true;
      } else if (spec[i] == -1) {
        if (inferred >= 0) throw mismatch("reshape: expected at most one -1", in, spec);
        inferred = i;
      } else if (spec[i] < -1) {
        throw mismatch("reshape: expected entries >= -1", in, spec);
      }
    }
    long inRest = 1;
    boolean inRestStatic = true;
    for (int i = 0; i < in.length; i++) {
      if (copied[i]) continue;
      if (in[i] < 0) inRestStatic = false;
      else inRest *= in[i];
    }
    long outRest = 1;
    for (int i = 0; i < spec.length; i++) {
      if (spec[i] > 0) outRest *= spec[i];
    }
    if (inferred >= 0) {
      if (inRestStatic) {
        if (outRest == 0 || inRest % outRest != 0)
          throw mismatch("reshape: expected a divisible element count", in, spec);
        out[inferred] = inRest / outRest;
      } else {
        out[inferred] = DYNAMIC;
      }
    } else if (inRestStatic && inRest != outRest) {
      throw mismatch("reshape: expected the same element count", in, spec);
    }
    return out;
  }

  /** Output size of a convolution or pooling window along one axis (floor). */
  static long window(long in, long padTotal, long kernel, long stride) {
    if (in < 0) return DYNAMIC;
    long out = (in + padTotal - kernel) / stride + 1;
    if (in + padTotal < kernel) {
      throw new IllegalArgumentException(
          "expected input size + padding >= kernel " + kernel + ", found " + (in + padTotal));
    }
    return out;
  }

  static long numel(long[] dims) {
    long n = 1;
    for (long d : dims) n *= d;
    return n;
  }

  /** A possibly negative axis as an index in [0, rank). */
  static int axis(int axis, int rank, String op) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(
          op + ": expected an axis in [-" + rank + ", " + rank + "), found " + axis);
    }
    return a;
  }

  /** Two sizes that must agree unless one of them is only known at run time. */
  static boolean compatible(long a, long b) {
    return a < 0 || b < 0 || a == b;
  }

  /** An IllegalArgumentException with a formatted "expected X, found Y" message. */
  static IllegalArgumentException bad(String format, Object... args) {
    return new IllegalArgumentException(String.format(java.util.Locale.ROOT, format, args));
  }

  static IllegalArgumentException mismatch(String what, long[] a, long[] b) {
    return new IllegalArgumentException(
        what + ", found " + Arrays.toString(a) + " and " + Arrays.toString(b));
  }
}
