package io.anytext2.nn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeOpsTest {
  private final ShapeOps ops = new ShapeOps();

  @Test
  void convComputesOutputSizeWithAsymmetricPads() {
    var x = ops.input(1, 3, 9, 9);
    var w = ops.weight("conv.weight", 8, 3, 3, 3);
    var y = ops.conv2d(x, w, ops.weight("conv.bias", 8), 2, 2, Pads.bottomRight(1), 1);
    assertArrayEquals(new long[] {1, 8, 4, 4}, y.dims());
    assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(ops.weights().keySet()));
  }

  @Test
  void rejectsMismatchedShapes() {
    var x = ops.input(2, 5);
    assertThrows(IllegalArgumentException.class, () -> ops.linear(x, ops.weight("fc.weight", 4, 6), null));
    ops.weight("k", 2, 2);
    assertThrows(IllegalStateException.class, () -> ops.weight("k", 2, 3));
  }

  @Test
  void matmulBroadcastsBatchAxes() {
    var y = ops.matmul(ops.input(2, 8, 16, 40), ops.input(1, 8, 40, 77));
    assertArrayEquals(new long[] {2, 8, 16, 77}, y.dims());
    assertArrayEquals(new long[] {2, 8, 640}, ops.reshape(ops.input(2, 8, 16, 40), 2, 8, -1).dims());
  }
}
