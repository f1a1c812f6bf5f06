package io.anytext2.exporter.onnx;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Straightforward reference implementations of the PyTorch operations, written from their
 * definitions with loops and double accumulation (no shared code with OnnxOps).
 */
final class Naive {
  private Naive() {}

  // ---------------------------------------------------------------- indexing

  static int[] unravel(int flat, long[] shape) {
    int[] idx = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      idx[i] = (int) (flat % shape[i]);
      flat /= (int) shape[i];
    }
    return idx;
  }

  /** Flat offset of idx (a possibly longer, right-aligned index) in shape, with broadcasting. */
  static int offset(int[] idx, long[] shape) {
    int off = 0;
    int lead = idx.length - shape.length;
    for (int i = 0; i < shape.length; i++)
      off = off * (int) shape[i] + (shape[i] == 1 ? 0 : idx[lead + i]);
    return off;
  }

  static long[] broadcastShape(long[] a, long[] b) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.length ? 1 : a[i - (r - a.length)];
      long db = i < r - b.length ? 1 : b[i - (r - b.length)];
      out[i] = Math.max(da, db);
    }
    return out;
  }

  // ---------------------------------------------------------------- elementwise

  static Tensor map(Tensor x, DoubleUnaryOperator f) {
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) out[i] = (float) f.applyAsDouble(x.data()[i]);
    return Tensor.of(out, x.shape());
  }

  static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f) {
    long[] shape = broadcastShape(a.shape(), b.shape());
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      out[i] =
          (float)
              f.applyAsDouble(a.data()[offset(idx, a.shape())], b.data()[offset(idx, b.shape())]);
    }
    return Tensor.of(out, shape);
  }

  static Tensor where(Tensor mask, Tensor a, Tensor b) {
    long[] shape = broadcastShape(mask.shape(), broadcastShape(a.shape(), b.shape()));
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      boolean m = mask.data()[offset(idx, mask.shape())] != 0;
      out[i] = m ? a.data()[offset(idx, a.shape())] : b.data()[offset(idx, b.shape())];
    }
    return Tensor.of(out, shape);
  }

  static Tensor expand(Tensor x, long[] shape) {
    long[] out = broadcastShape(x.shape(), shape);
    float[] d = new float[(int) StaticShapes.numel(out)];
    for (int i = 0; i < d.length; i++) d[i] = x.data()[offset(unravel(i, out), x.shape())];
    return Tensor.of(d, out);
  }

  /** erf by its Maclaurin series (|x| <= 4, ~1e-9 in double) and ±1 beyond (erfc(4) ~ 1.5e-8). */
  static double erf(double x) {
    if (Math.abs(x) > 4) return Math.signum(x);
    double term = x, sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  // ---------------------------------------------------------------- layers

  static Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int[] pads, int groups) {
    int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
    int o = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
    int oh = (h + pads[0] + pads[2] - kh) / sh + 1, ow = (wd + pads[1] + pads[3] - kw) / sw + 1;
    int og = o / groups;
    float[] out = new float[n * o * oh * ow];
    for (int in = 0; in < n; in++)
      for (int oc = 0; oc < o; oc++)
        for (int y = 0; y < oh; y++)
          for (int xx = 0; xx < ow; xx++) {
            double s = b == null ? 0 : b.data()[oc];
            int group = oc / og;
            for (int ic = 0; ic < cg; ic++)
              for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                  int iy = y * sh + ky - pads[0], ix = xx * sw + kx - pads[1];
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  int ch = group * cg + ic;
                  s +=
                      (double) x.data()[((in * c + ch) * h + iy) * wd + ix]
                          * w.data()[((oc * cg + ic) * kh + ky) * kw + kx];
                }
            out[((in * o + oc) * oh + y) * ow + xx] = (float) s;
          }
    return Tensor.of(out, n, o, oh, ow);
  }

  static Tensor linear(Tensor x, Tensor w, Tensor b) {
    int in = w.dim(1), outF = w.dim(0), rows = x.size() / in;
    float[] out = new float[rows * outF];
    for (int r = 0; r < rows; r++)
      for (int o = 0; o < outF; o++) {
        double s = b == null ? 0 : b.data()[o];
        for (int k = 0; k < in; k++) s += (double) x.data()[r * in + k] * w.data()[o * in + k];
        out[r * outF + o] = (float) s;
      }
    long[] shape = x.shape().clone();
    shape[shape.length - 1] = outF;
    return Tensor.of(out, shape);
  }

  static Tensor groupNorm(Tensor x, int groups, double eps, Tensor gamma, Tensor beta) {
    int n = x.dim(0), c = x.dim(1), spatial = x.size() / (n * c), per = c / groups * spatial;
    float[] out = new float[x.size()];
    for (int in = 0; in < n; in++)
      for (int g = 0; g < groups; g++) {
        int base = (in * c + g * (c / groups)) * spatial;
        double mean = 0, var = 0;
        for (int i = 0; i < per; i++) mean += x.data()[base + i];
        mean /= per;
        for (int i = 0; i < per; i++) var += Math.pow(x.data()[base + i] - mean, 2);
        var /= per;
        for (int i = 0; i < per; i++) {
          int ch = g * (c / groups) + i / spatial;
          out[base + i] =
              (float)
                  ((x.data()[base + i] - mean) / Math.sqrt(var + eps) * gamma.data()[ch]
                      + beta.data()[ch]);
        }
      }
    return Tensor.of(out, x.shape());
  }

  static Tensor layerNorm(Tensor x, double eps, Tensor gamma, Tensor beta) {
    int d = x.dim(-1), rows = x.size() / d;
    float[] out = new float[x.size()];
    for (int r = 0; r < rows; r++) {
      double mean = 0, var = 0;
      for (int i = 0; i < d; i++) mean += x.data()[r * d + i];
      mean /= d;
      for (int i = 0; i < d; i++) var += Math.pow(x.data()[r * d + i] - mean, 2);
      var /= d;
      for (int i = 0; i < d; i++) {
        out[r * d + i] =
            (float)
                ((x.data()[r * d + i] - mean) / Math.sqrt(var + eps) * gamma.data()[i]
                    + beta.data()[i]);
      }
    }
    return Tensor.of(out, x.shape());
  }

  static Tensor batchNorm(
      Tensor x, double eps, Tensor gamma, Tensor beta, Tensor mean, Tensor var) {
    int c = x.dim(1), spatial = x.size() / (x.dim(0) * c);
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) {
      int ch = i / spatial % c;
      out[i] =
          (float)
              ((x.data()[i] - mean.data()[ch]) / Math.sqrt(var.data()[ch] + eps) * gamma.data()[ch]
                  + beta.data()[ch]);
    }
    return Tensor.of(out, x.shape());
  }

  static Tensor embedding(Tensor table, Tensor ids) {
    int d = table.dim(1);
    float[] out = new float[ids.ids().length * d];
    for (int i = 0; i < ids.ids().length; i++)
      System.arraycopy(table.data(), (int) ids.ids()[i] * d, out, i * d, d);
    long[] shape = java.util.Arrays.copyOf(ids.shape(), ids.shape().length + 1);
    shape[shape.length - 1] = d;
    return Tensor.of(out, shape);
  }

  // ---------------------------------------------------------------- reductions, matmul

  static Tensor softmax(Tensor x, int axis) {
    long[] s = x.shape();
    int a = axis < 0 ? axis + s.length : axis;
    int len = (int) s[a], inner = 1;
    for (int i = a + 1; i < s.length; i++) inner *= (int) s[i];
    int outer = x.size() / (len * inner);
    float[] out = new float[x.size()];
    for (int o = 0; o < outer; o++)
      for (int in = 0; in < inner; in++) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < len; k++) max = Math.max(max, x.data()[(o * len + k) * inner + in]);
        for (int k = 0; k < len; k++) sum += Math.exp(x.data()[(o * len + k) * inner + in] - max);
        for (int k = 0; k < len; k++) {
          int i = (o * len + k) * inner + in;
          out[i] = (float) (Math.exp(x.data()[i] - max) / sum);
        }
      }
    return Tensor.of(out, s);
  }

  /** Sum or mean over the given axes, keeping them as size 1. */
  static Tensor reduce(Tensor x, int[] axes, boolean mean) {
    long[] shape = x.shape().clone();
    int count = 1;
    for (int a : axes) {
      int k = a < 0 ? a + shape.length : a;
      count *= (int) shape[k];
      shape[k] = 1;
    }
    double[] acc = new double[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < x.size(); i++) acc[offset(unravel(i, x.shape()), shape)] += x.data()[i];
    float[] out = new float[acc.length];
    for (int i = 0; i < out.length; i++) out[i] = (float) (mean ? acc[i] / count : acc[i]);
    return Tensor.of(out, shape);
  }

  /** numpy matmul for rank >= 2 operands with broadcast batch dims. */
  static Tensor matmul(Tensor a, Tensor b) {
    long[] as = a.shape(), bs = b.shape();
    int m = (int) as[as.length - 2], k = (int) as[as.length - 1], n = (int) bs[bs.length - 1];
    long[] batch =
        broadcastShape(
            java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
    long[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
    shape[batch.length] = m;
    shape[batch.length + 1] = n;
    float[] out = new float[(int) StaticShapes.numel(shape)];
    long[] ab = java.util.Arrays.copyOf(as, as.length - 2),
        bb = java.util.Arrays.copyOf(bs, bs.length - 2);
    for (int bi = 0; bi < StaticShapes.numel(batch); bi++) {
      int[] idx = unravel(bi, batch);
      int ao = offset(idx, ab) * m * k, bo = offset(idx, bb) * k * n;
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int t = 0; t < k; t++)
            s += (double) a.data()[ao + i * k + t] * b.data()[bo + t * n + j];
          out[(bi * m + i) * n + j] = (float) s;
        }
    }
    return Tensor.of(out, shape);
  }

  // ---------------------------------------------------------------- shape

  static Tensor permute(Tensor x, int... axes) {
    long[] shape = new long[axes.length];
    for (int i = 0; i < axes.length; i++) shape[i] = x.shape()[axes[i]];
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) {
      int[] oi = unravel(i, shape);
      int[] xi = new int[axes.length];
      for (int k = 0; k < axes.length; k++) xi[axes[k]] = oi[k];
      out[i] = x.data()[offset(xi, x.shape())];
    }
    return Tensor.of(out, shape);
  }

  static Tensor slice(Tensor x, int axis, int from, int to) {
    long[] shape = x.shape().clone();
    shape[axis] = to - from;
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      idx[axis] += from;
      out[i] = x.data()[offset(idx, x.shape())];
    }
    return Tensor.of(out, shape);
  }

  static Tensor concat(int axis, List<Tensor> xs) {
    long[] shape = xs.get(0).shape().clone();
    shape[axis] = 0;
    for (Tensor t : xs) shape[axis] += t.shape()[axis];
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      int which = 0;
      while (idx[axis] >= xs.get(which).shape()[axis])
        idx[axis] -= (int) xs.get(which++).shape()[axis];
      out[i] = xs.get(which).data()[offset(idx, xs.get(which).shape())];
    }
    return Tensor.of(out, shape);
  }

  static Tensor upsampleNearest2x(Tensor x) {
    long[] shape = x.shape().clone();
    int r = shape.length;
    shape[r - 1] *= 2;
    shape[r - 2] *= 2;
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      idx[r - 1] /= 2;
      idx[r - 2] /= 2;
      out[i] = x.data()[offset(idx, x.shape())];
    }
    return Tensor.of(out, shape);
  }

  static Tensor avgPool2d(Tensor x, int k) {
    long[] shape = x.shape().clone();
    shape[2] /= k;
    shape[3] /= k;
    float[] out = new float[(int) StaticShapes.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      double s = 0;
      for (int dy = 0; dy < k; dy++)
        for (int dx = 0; dx < k; dx++) {
          s +=
              x.data()[
                  offset(new int[] {idx[0], idx[1], idx[2] * k + dy, idx[3] * k + dx}, x.shape())];
        }
      out[i] = (float) (s / (k * k));
    }
    return Tensor.of(out, shape);
  }
}
