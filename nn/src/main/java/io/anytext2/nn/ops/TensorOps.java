package io.anytext2.nn.ops;

import java.util.List;

/**
 * The small set of tensor operations the AnyText2 networks are written against.
 *
 * <p>Every network in {@code io.anytext2.nn} is written once against this interface. The exporter
 * implements it by appending ONNX nodes to a graph (T = a graph value), the trainer by running
 * eagerly on DJL NDArrays with autograd, and {@link ShapeOps} by propagating shapes only (used to
 * list the weight keys and shapes a configuration expects).
 *
 * <p>Conventions: tensors are NCHW / row-major like PyTorch; {@code axis} arguments may be negative
 * (counted from the end); {@code weight} keys are the official checkpoint keys, unchanged. Code
 * written against this interface may branch on configuration but never on tensor values, so that it
 * always exports to a static graph. The interface grows only when a network needs a new operation.
 */
public interface TensorOps<T> {

  // ---------------------------------------------------------------- parameters and constants

  /**
   * A parameter of the network, by its checkpoint key. The backend checks that the stored tensor
   * has exactly {@code shape} and fails with a message naming the key otherwise.
   */
  T weight(String key, long... shape);

  /** A float32 constant tensor (copied; the caller may reuse the array). */
  T constant(float[] values, long... shape);

  /** A float32 scalar constant (rank 0). */
  default T scalar(float value) {
    return constant(new float[] {value});
  }

  /**
   * The shape of x as far as it is known when the network is built: -1 for a dimension that is
   * only known at run time (batch, image height/width in an exported graph). Networks may read
   * static sizes (channels, heads) from it, never the dynamic ones.
   */
  long[] shape(T x);

  // ---------------------------------------------------------------- layers

  /**
   * 2-D convolution, zero padding. {@code w} is [out, in/groups, kh, kw]; {@code b} [out] or null.
   * {@code pads} = {top, left, bottom, right}.
   */
  T conv2d(T x, T w, T b, int strideH, int strideW, int[] pads, int groups);

  /** y = x · wᵀ + b over the last axis; {@code w} is [out, in], {@code b} [out] or null. */
  T linear(T x, T w, T b);

  /** GroupNorm over [N, C, ...] with {@code groups} groups, affine gamma/beta of shape [C]. */
  T groupNorm(T x, int groups, float eps, T gamma, T beta);

  /**
   * SiLU(GroupNorm(x)), the pair every ResBlock and VAE block applies; one call so that a backend may
   * fuse the two (ONNX Runtime's GroupNorm has a Swish activation).
   */
  default T groupNormSilu(T x, int groups, float eps, T gamma, T beta) {
    return silu(groupNorm(x, groups, eps, gamma, beta));
  }

  /** LayerNorm over the last axis, affine gamma/beta of shape [last]. */
  T layerNorm(T x, float eps, T gamma, T beta);

  /**
   * Dropout of the module at checkpoint path {@code key} with drop probability {@code rate}. Only
   * a training backend applies it (to modules it trains in train mode); inference and export use
   * this identity.
   */
  default T dropout(String key, T x, float rate) {
    return x;
  }

  /**
   * Scaled dot-product attention without mask: q [B, S, heads·d], k and v [B, L, heads·d] →
   * [B, S, heads·d], per head {@code softmax((q_h · k_hᵀ) · scale) · v_h} with the softmax over the
   * L keys. Heads are split head-major from the feature axis ({@code feature = head·d + i}), as
   * MODEL.md §3.1 does; {@code heads} = 1 is the VAE's single-head attention (§3.8).
   *
   * <p>The default is the composition the networks used before this operation existed (matmul,
   * scale, softmax, matmul; for several heads with reshape/permute around it), call for call, so
   * backends that do not override it compute exactly what they did. A backend may replace it by a
   * fused kernel (the ONNX exporter's opt-in {@code com.microsoft.MultiHeadAttention}).
   */
  default T attention(T q, T k, T v, int heads, float scale) {
    long[] qs = shape(q), ks = shape(k), vs = shape(v);
    if (qs.length != 3 || ks.length != 3 || vs.length != 3) {
      throw new IllegalArgumentException("attention: expected rank-3 q, k, v, found ranks " + qs.length + ", " + ks.length
          + ", " + vs.length);
    }
    long width = qs[2];
    if (heads < 1 || width < 1 || width % heads != 0 || ks[2] != width || vs[2] != width) {
      throw new IllegalArgumentException("attention: expected q, k, v widths equal and divisible by " + heads
          + " heads, found " + width + ", " + ks[2] + ", " + vs[2]);
    }
    if (heads == 1) {
      T scores = scale(matmul(q, permute(k, 0, 2, 1)), scale);
      return matmul(softmax(scores, -1), v);
    }
    long d = width / heads;
    T qh = permute(reshape(q, 0, 0, heads, d), 0, 2, 1, 3); // [B, h, S, d]
    T kt = permute(reshape(k, 0, 0, heads, d), 0, 2, 3, 1); // [B, h, d, L]
    T vh = permute(reshape(v, 0, 0, heads, d), 0, 2, 1, 3); // [B, h, L, d]
    T out = matmul(softmax(scale(matmul(qh, kt), scale), -1), vh); // [B, h, S, d]
    return reshape(permute(out, 0, 2, 1, 3), 0, 0, width); // [B, S, h·d]
  }

  /**
   * Self-attention with bias-free input projections: q = x·wqᵀ, k = x·wkᵀ, v = x·wvᵀ (each weight [heads·d, C]),
   * then {@link #attention}. A separate operation from {@link #crossAttention} because the three projections read
   * the same tensor, so a backend may compute them as one product (the ONNX exporter's opt-in packed
   * {@code com.microsoft.MultiHeadAttention} input). The default is the composition the networks used before,
   * call for call.
   */
  default T selfAttention(T x, T wq, T wk, T wv, int heads, float scale) {
    return attention(linear(x, wq, null), linear(x, wk, null), linear(x, wv, null), heads, scale);
  }

  /**
   * Attention of x [B, S, Cq] over {@code context} [B, L, Ckv] with bias-free projections: q = x·wqᵀ, k =
   * context·wkᵀ, v = context·wvᵀ, then {@link #attention}; k and v read the same tensor, so a backend may pack
   * them into one product. The default is the composition the networks used before, call for call.
   */
  default T crossAttention(T x, T context, T wq, T wk, T wv, int heads, float scale) {
    return attention(linear(x, wq, null), linear(context, wk, null), linear(context, wv, null), heads, scale);
  }

  /**
   * GEGLU (MODEL.md §3.1): Linear(x; w [2h, C], b [2h]) split over the last axis into a value half (the first
   * h) and a gate half, {@code value · geluErf(gate)} → [..., h]. One operation so that a backend may fuse the
   * bias, split, GELU and product (ONNX Runtime's CUDA-only {@code com.microsoft.BiasSplitGelu}); the default is
   * the composition the networks used before, call for call.
   */
  default T geglu(T x, T w, T b) {
    T proj = linear(x, w, b);
    long[] ps = shape(proj);
    long width = ps[ps.length - 1];
    if (width < 0 || width % 2 != 0) {
      throw new IllegalArgumentException("geglu: expected a static even projection width, found " + width);
    }
    T value = slice(proj, -1, 0, width / 2);
    T gate = slice(proj, -1, width / 2, width);
    return mul(value, geluErf(gate));
  }

  /** BatchNorm2d in inference mode over axis 1 (running statistics), as PyTorch eval(). */
  T batchNorm(T x, float eps, T gamma, T beta, T runningMean, T runningVar);

  /** Rows of {@code table} [V, D] selected by integer {@code ids} [...] → [..., D]. */
  T embedding(T table, T ids);

  // ---------------------------------------------------------------- arithmetic

  T add(T a, T b);

  T sub(T a, T b);

  T mul(T a, T b);

  T div(T a, T b);

  /** Batched matrix product with numpy broadcasting over the leading axes. */
  T matmul(T a, T b);

  /** x · s for a float literal s. */
  T scale(T x, float s);

  T softmax(T x, int axis);

  T exp(T x);

  T sqrt(T x);

  T cos(T x);

  T sin(T x);

  /** Elementwise clamp to [min, max]. */
  T clip(T x, float min, float max);

  /** Mean over the given axes, keeping them as size-1 dimensions. */
  T meanKeepDims(T x, int... axes);

  /** Sum over the given axes, keeping them as size-1 dimensions. */
  T sumKeepDims(T x, int... axes);

  // ---------------------------------------------------------------- activations

  T relu(T x);

  T sigmoid(T x);

  /** x · sigmoid(x). */
  default T silu(T x) {
    return mul(x, sigmoid(x));
  }

  /** Exact GELU: 0.5 · x · (1 + erf(x / √2)). */
  T geluErf(T x);

  /** x · sigmoid(1.702 · x) (CLIP). */
  default T quickGelu(T x) {
    return mul(x, sigmoid(scale(x, 1.702f)));
  }

  /** relu6(x + 3) / 6. */
  T hardSigmoid(T x);

  /** x · relu6(x + 3) / 6. */
  default T hardSwish(T x) {
    return mul(x, hardSigmoid(x));
  }

  // ---------------------------------------------------------------- shape

  /**
   * Reshape with ONNX semantics: an entry 0 copies the input's dimension at the same index, one
   * entry may be -1 (inferred). Use 0/-1 for batch and spatial sizes so that graphs stay dynamic.
   */
  T reshape(T x, long... shape);

  /** Image to tokens: [B, C, H, W] → [B, H·W, C] (row-major over H then W). */
  T imageToTokens(T x);

  /** Tokens back to an image: [B, H·W, C] → [B, C, H, W], with H and W taken from {@code like}. */
  T tokensToImage(T tokens, T like);

  T permute(T x, int... axes);

  T concat(int axis, List<T> xs);

  /** Elements [from, to) along {@code axis}. */
  T slice(T x, int axis, long from, long to);

  /** Nearest-neighbour ×2 upsampling of the last two axes (each pixel copied to a 2×2 block). */
  T upsampleNearest2x(T x);

  /** Average pooling of the last two axes with a square kernel, stride = kernel, floor. */
  T avgPool2d(T x, int kernel);

  /** Broadcast x to {@code shape} (numpy rules). */
  T expand(T x, long... shape);

  /**
   * Rows of x replaced where mask is true: {@code mask ? a : b} elementwise with broadcasting;
   * {@code mask} holds 0/1 floats.
   */
  T where(T mask, T a, T b);
}
