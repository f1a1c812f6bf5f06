package io.anytext2.exporter.onnx;

/**
 * Which operations an {@link OnnxOps} graph writes as ONNX Runtime contrib nodes (operator set com.microsoft 1)
 * instead of standard ONNX operators. All are off by default; with all off a graph is exactly the standard one.
 *
 * @param attention {@code TensorOps.attention} as one {@code MultiHeadAttention} ({@link FusedAttention}; ONNX
 *     Runtime's CPU and CUDA providers)
 * @param groupNorm GroupNorm (+ SiLU) on [N, C, H, W] as the channels-last {@code GroupNorm} (CUDA only; see
 *     {@link NormalizationOps#groupNormNhwc})
 * @param geglu {@code TensorOps.geglu} as a bias-free MatMul and {@code BiasSplitGelu} where the kernel takes the
 *     width (CUDA only; see {@link FusedGeglu})
 * @param packedAttention {@code TensorOps.selfAttention} / {@code crossAttention} with one packed projection
 *     for q, k and v (k and v) feeding {@code MultiHeadAttention} (CUDA only; see {@link PackedAttention}); needs
 *     {@code attention}
 */
public record Fusions(boolean attention, boolean groupNorm, boolean geglu, boolean packedAttention) {
  /** Standard ONNX operators only. */
  public static final Fusions NONE = new Fusions(false, false, false, false);

  public Fusions {
    if (packedAttention && !attention) {
      throw new IllegalArgumentException("packed attention (--packed-attention) needs fused attention (--fused-attention): "
          + "it packs the inputs of com.microsoft.MultiHeadAttention");
    }
  }

  /** Fused attention and GroupNorm as the flags say, nothing else (the options before GEGLU and packing). */
  public static Fusions of(boolean attention, boolean groupNorm) {
    return new Fusions(attention, groupNorm, false, false);
  }
}
