package io.anytext2.exporter.onnx;

import static io.anytext2.exporter.onnx.OrtHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reshapes, layout changes, resampling and selection ops, including dynamic-size behaviour. */
class OnnxOpsShapeTest {
  @TempDir Path dir;
  private final Random random = new Random(5);

  @Test
  void reshapeCopiesZerosAndInfersMinusOne() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("reshape", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 6L, 4L);
      OnnxOps.Value a = op.reshape(x, 0, 2, -1);
      assertArrayEquals(new long[] {-1, 2, 12}, op.shape(a));
      OnnxOps.Value b = op.reshape(x, -1, 4);
      assertArrayEquals(new long[] {-1, 4}, op.shape(b), "-1 absorbs the dynamic batch");
      op.output("a", a);
      op.output("b", b);
      OnnxOps.Value s = op.input("s", ElemType.FLOAT, 2L, 6L, 4L);
      assertArrayEquals(new long[] {12, 4}, op.shape(op.reshape(s, -1, 4)));
      assertThrows(IllegalArgumentException.class, () -> op.reshape(s, 5, -1));
      assertThrows(IllegalArgumentException.class, () -> op.reshape(s, -1, -1));
      model = OrtHarness.save(op, dir, "reshape");
    }
    Tensor x = Tensor.normal(random, 3, 6, 4);
    Map<String, Tensor> out =
        OrtHarness.run(model, Map.of("x", x, "s", Tensor.normal(random, 2, 6, 4)));
    assertClose(Tensor.of(x.data(), 3, 2, 12), out.get("a"), 0, "reshape [0, 2, -1]");
    assertClose(Tensor.of(x.data(), 18, 4), out.get("b"), 0, "reshape [-1, 4]");
  }

  @Test
  void imageTokenRoundTripWithSymbolicSizes() throws Exception {
    RandomWeights weights = new RandomWeights(37);
    Path model;
    try (OnnxOps op = new OnnxOps("tokens", weights)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 6L, "height", "width");
      OnnxOps.Value tokens = op.imageToTokens(x);
      assertArrayEquals(new long[] {-1, -1, 6}, op.shape(tokens));
      OnnxOps.Value mixed =
          op.linear(tokens, op.weight("proj.weight", 5, 6), op.weight("proj.bias", 5));
      OnnxOps.Value image = op.tokensToImage(mixed, x);
      assertArrayEquals(new long[] {-1, 5, -1, -1}, op.shape(image));
      op.output("tokens", tokens);
      op.output("image", image);
      op.output("roundtrip", op.tokensToImage(tokens, x));
      model = OrtHarness.save(op, dir, "tokens");
    }
    for (long[] shape : new long[][] {{2, 6, 3, 5}, {2, 6, 4, 4}}) {
      Tensor x = Tensor.normal(random, shape);
      Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
      Tensor tokens =
          Naive.permute(Tensor.of(x.data(), shape[0], shape[1], shape[2] * shape[3]), 0, 2, 1);
      assertClose(
          tokens, out.get("tokens"), 0, "imageToTokens " + java.util.Arrays.toString(shape));
      assertClose(x, out.get("roundtrip"), 0, "tokensToImage(imageToTokens(x))");
      // per-pixel channel mixing: image[b, o, h, w] = Σc w[o, c] x[b, c, h, w] + bias[o]
      Tensor pixels = Naive.permute(x, 0, 2, 3, 1);
      Tensor mixed = Naive.linear(pixels, weights.get("proj.weight"), weights.get("proj.bias"));
      assertClose(
          Naive.permute(mixed, 0, 3, 1, 2),
          out.get("image"),
          1e-5,
          "tokensToImage of mixed tokens");
    }
  }

  @Test
  void tokensToImageWithStaticLike() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("tokens_static", new RandomWeights(1))) {
      OnnxOps.Value like = op.input("like", ElemType.FLOAT, "batch", 1L, 2L, 3L);
      OnnxOps.Value tokens = op.input("tokens", ElemType.FLOAT, "batch", 6L, 4L);
      OnnxOps.Value image = op.tokensToImage(tokens, like);
      assertArrayEquals(new long[] {-1, 4, 2, 3}, op.shape(image));
      op.output("image", image);
      model = OrtHarness.save(op, dir, "tokens_static");
    }
    Tensor tokens = Tensor.normal(random, 2, 6, 4);
    Map<String, Tensor> out =
        OrtHarness.run(model, Map.of("tokens", tokens, "like", Tensor.normal(random, 2, 1, 2, 3)));
    Tensor expected = Naive.permute(Tensor.of(tokens.data(), 2, 2, 3, 4), 0, 3, 1, 2);
    assertClose(expected, out.get("image"), 0, "tokensToImage static");
  }

  @Test
  void imageToTokensWithSymbolicChannels() throws Exception {
    // channels unknown when the graph is built: the Reshape-first form (Reshape [0, 0, -1], Transpose) gives the same tokens
    Path model;
    try (OnnxOps op = new OnnxOps("tokens_dyn_c", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", "channels", "height", "width");
      OnnxOps.Value tokens = op.imageToTokens(x);
      assertArrayEquals(new long[] {-1, -1, -1}, op.shape(tokens));
      op.output("tokens", tokens);
      op.output("roundtrip", op.tokensToImage(tokens, x));
      model = OrtHarness.save(op, dir, "tokens_dyn_c");
    }
    long[] shape = {2, 5, 3, 4};
    Tensor x = Tensor.normal(random, shape);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x));
    assertClose(Naive.permute(Tensor.of(x.data(), 2, 5, 12), 0, 2, 1), out.get("tokens"), 0, "imageToTokens, symbolic C");
    assertClose(x, out.get("roundtrip"), 0, "tokensToImage(imageToTokens(x)), symbolic C");
  }

  @Test
  void permuteConcatAndSlice() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("select", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, 4L, "width");
      OnnxOps.Value y = op.input("y", ElemType.FLOAT, "batch", 2L, 4L, "width");
      OnnxOps.Value p = op.permute(x, 0, 3, 1, 2);
      assertArrayEquals(new long[] {-1, -1, 3, 4}, op.shape(p));
      OnnxOps.Value c = op.concat(1, List.of(x, y, x));
      assertArrayEquals(new long[] {-1, 8, 4, -1}, op.shape(c));
      OnnxOps.Value s = op.slice(x, 2, 1, 3);
      assertArrayEquals(new long[] {-1, 3, 2, -1}, op.shape(s));
      assertThrows(IllegalArgumentException.class, () -> op.slice(x, 2, 1, 5));
      op.output("permute", p);
      op.output("concat", c);
      op.output("concatLast", op.concat(-1, List.of(x, x)));
      op.output("slice", s);
      op.output("sliceDynamic", op.slice(x, -1, 1, 2));
      model = OrtHarness.save(op, dir, "select");
    }
    Tensor x = Tensor.normal(random, 2, 3, 4, 5), y = Tensor.normal(random, 2, 2, 4, 5);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x, "y", y));
    assertClose(Naive.permute(x, 0, 3, 1, 2), out.get("permute"), 0, "permute");
    assertClose(Naive.concat(1, List.of(x, y, x)), out.get("concat"), 0, "concat axis 1");
    assertClose(Naive.concat(3, List.of(x, x)), out.get("concatLast"), 0, "concat axis -1");
    assertClose(Naive.slice(x, 2, 1, 3), out.get("slice"), 0, "slice axis 2");
    assertClose(Naive.slice(x, 3, 1, 2), out.get("sliceDynamic"), 0, "slice along a dynamic axis");
  }

  @Test
  void upsampleAndAveragePool() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("resample", new RandomWeights(1))) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, "height", "width");
      OnnxOps.Value s = op.input("s", ElemType.FLOAT, 1L, 2L, 7L, 5L);
      op.output("up", op.upsampleNearest2x(x));
      op.output("pool2", op.avgPool2d(x, 2));
      OnnxOps.Value pooled = op.avgPool2d(s, 2);
      assertArrayEquals(new long[] {1, 2, 3, 2}, op.shape(pooled), "floor");
      assertArrayEquals(new long[] {1, 2, 14, 10}, op.shape(op.upsampleNearest2x(s)));
      op.output("pool2s", pooled);
      op.output("pool3", op.avgPool2d(x, 3));
      model = OrtHarness.save(op, dir, "resample");
    }
    Tensor x = Tensor.normal(random, 2, 3, 7, 5), s = Tensor.normal(random, 1, 2, 7, 5);
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("x", x, "s", s));
    assertClose(Naive.upsampleNearest2x(x), out.get("up"), 0, "upsample nearest 2x");
    assertClose(Naive.avgPool2d(x, 2), out.get("pool2"), 1e-6, "avgPool 2 (odd sizes floor)");
    assertClose(Naive.avgPool2d(s, 2), out.get("pool2s"), 1e-6, "avgPool 2 static");
    assertClose(Naive.avgPool2d(x, 3), out.get("pool3"), 1e-6, "avgPool 3");
  }

  @Test
  void expandAndWhere() throws Exception {
    Path model;
    try (OnnxOps op = new OnnxOps("where", new RandomWeights(1))) {
      OnnxOps.Value mask = op.input("mask", ElemType.FLOAT, "batch", 1L, "height", "width");
      OnnxOps.Value a = op.input("a", ElemType.FLOAT, "batch", 3L, "height", "width");
      OnnxOps.Value row = op.input("row", ElemType.FLOAT, 1L, 3L, 1L);
      OnnxOps.Value fill = op.scalar(-2.5f);
      OnnxOps.Value w = op.where(mask, a, fill);
      assertArrayEquals(new long[] {-1, 3, -1, -1}, op.shape(w));
      op.output("where", w);
      op.output("whereRev", op.where(mask, op.expand(fill, 1, 3, 1, 1), a));
      OnnxOps.Value e = op.expand(row, 2, 3, 4);
      assertArrayEquals(new long[] {2, 3, 4}, op.shape(e));
      op.output("expand", e);
      model = OrtHarness.save(op, dir, "where");
    }
    Tensor mask = Naive.map(Tensor.uniform(random, 0f, 1f, 2, 1, 4, 3), v -> v < 0.5 ? 0 : 1);
    Tensor a = Tensor.normal(random, 2, 3, 4, 3), row = Tensor.normal(random, 1, 3, 1);
    Tensor fill = Tensor.of(new float[] {-2.5f});
    Map<String, Tensor> out = OrtHarness.run(model, Map.of("mask", mask, "a", a, "row", row));
    assertClose(Naive.where(mask, a, fill), out.get("where"), 0, "where(mask, a, -2.5)");
    assertClose(
        Naive.where(mask, Naive.expand(fill, new long[] {1, 3, 1, 1}), a),
        out.get("whereRev"),
        0,
        "where(mask, -2.5, a)");
    assertClose(Naive.expand(row, new long[] {2, 3, 4}), out.get("expand"), 0, "expand");
  }
}
