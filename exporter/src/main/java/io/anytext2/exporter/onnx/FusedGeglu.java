package io.anytext2.exporter.onnx;

import io.anytext2.exporter.onnx.OnnxOps.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The tail of {@link io.anytext2.nn.ops.TensorOps#geglu} as one ONNX Runtime contrib node, {@code
 * com.microsoft.BiasSplitGelu} (operator set com.microsoft 1): input X [N, S, D] (the bias-free projection) and
 * bias [D], output [N, S, D/2] = left · GELU_erf(right) of X + bias, left = the first half of the last axis — the
 * networks' value half, right their gate. One kernel instead of bias Add, two Slices, GELU and Mul.
 *
 * <p>ONNX Runtime 1.28 registers the node only in its CUDA provider (float and float16; its source,
 * contrib_ops/cuda/diffusion/bias_split_gelu.cc): no CPU kernel, so a graph with the node does not load on the CPU
 * provider. The kernel also takes only rank-3 input and D ∈ {2560, 5120, 10240} (templates for half widths 1280,
 * 2560, 5120: SD1.5's feed-forwards at 320, 640 and 1280 channels) and fails at run time otherwise, so {@link
 * OnnxOps#geglu} writes the standard composition for any other width or rank. In float16 the kernel adds the bias
 * in float16 and computes the GELU and the product in float32.
 */
final class FusedGeglu {
  private FusedGeglu() {}

  static final String OP_TYPE = "BiasSplitGelu";

  /** The input widths D the CUDA kernel accepts (it checks them before it launches). */
  static final Set<Long> WIDTHS = Set.of(2560L, 5120L, 10240L);

  /** Whether the kernel takes a projection of this rank and width. */
  static boolean supports(int rank, long width) {
    return rank == 3 && WIDTHS.contains(width);
  }

  /** {@code projected} [N, S, D] and {@code bias} [D], both already in the compute type; → [N, S, D/2]. */
  static Value emit(GraphBuilder g, String scope, Value projected, Value bias) {
    long[] ps = projected.shape();
    if (!supports(ps.length, ps[ps.length - 1]) || !Arrays.equals(bias.shape(), new long[] {ps[2]}) || bias.type() != projected.type()) {
      throw new IllegalArgumentException("geglu (fused): expected [N, S, D] with D in " + WIDTHS + " and a bias [D] of its type, found "
          + projected + " and " + bias);
    }
    String y = g.node(Opset.MICROSOFT_DOMAIN, OP_TYPE, scope, List.of(projected.name(), bias.name()));
    return new Value(y, projected.type(), new long[] {ps[0], ps[1], ps[2] / 2});
  }
}
