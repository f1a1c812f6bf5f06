package io.anytext2.exporter.onnx;

/**
 * The numeric precision of a graph built by {@link OnnxOps}.
 *
 * <p>With {@code compute} = FLOAT16, weights are stored and convolutions, matrix products and
 * element-wise arithmetic run in float16, while the graph's float inputs and outputs stay float32
 * (Cast at the boundaries), so host code does not change. Some values are always float32,
 * whatever the precision: sinusoidal embeddings (exp/sin/cos, e.g. the timestep embedding, which
 * the original also computes in float32 before its first linear layer), square roots, and mean/sum
 * reductions (a mask summed over a 512×512 image would overflow float16). An operation that mixes a
 * float32 value with a float16 one runs in float16; float32 constants are materialised in the type
 * of the value they meet, so a constant never loses precision to a round trip through float16.
 *
 * @param compute FLOAT or FLOAT16
 * @param fp32Norms run GroupNorm / LayerNorm / BatchNorm (statistics and affine) in float32
 * @param fp32Softmax run softmax in float32
 */
public record Precision(ElemType compute, boolean fp32Norms, boolean fp32Softmax) {
  /** Everything in float32 (the parity configuration). */
  public static final Precision FP32 = new Precision(ElemType.FLOAT, false, false);

  /**
   * float16 compute with the normalisations and softmax in float16 too; ONNX Runtime's CUDA kernels
   * for InstanceNormalization, LayerNormalization and Softmax accumulate in float32 internally.
   */
  public static final Precision FP16 = new Precision(ElemType.FLOAT16, false, false);

  /** float16 compute with normalisations and softmax explicitly in float32 (safer, slower). */
  public static final Precision FP16_FP32_NORMS = new Precision(ElemType.FLOAT16, true, true);

  public Precision {
    if (compute == null || !compute.isFloating()) {
      throw new IllegalArgumentException("precision: expected FLOAT or FLOAT16 compute, found " + compute);
    }
  }

  public boolean isHalf() {
    return compute == ElemType.FLOAT16;
  }

  /** The type normalisations run in. */
  ElemType norms() {
    return fp32Norms ? ElemType.FLOAT : compute;
  }

  /** The type softmax runs in. */
  ElemType softmax() {
    return fp32Softmax ? ElemType.FLOAT : compute;
  }

  /** The manifest name: "fp32" or "fp16". */
  public String manifestName() {
    return isHalf() ? "fp16" : "fp32";
  }
}
