package io.anytext2.trainer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import io.anytext2.nn.ops.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link TensorOps} on DJL NDArrays (PyTorch engine), executed eagerly; inside a DJL
 * {@code GradientCollector} every operation is recorded for autograd. Parameters come from a
 * {@link ParameterStore} by checkpoint key.
 *
 * <p>Memory: every array an operation creates is attached to the current {@link #scope(NDManager)
 * scope}, a per-step manager the caller closes; parameters stay in the store. Constants (scalars,
 * the networks' constant tensors) are made once per scope, or once per run with
 * {@link #keepConstantsIn} ({@link DeviceConstants}).
 *
 * <p>Device: everything runs on the parameters' device. A scope must be on that device (checked when
 * it is set); host values become arrays of the scope ({@link #create}), and the constants an
 * operation needs (an eps, a scale factor) are filled on the device, never uploaded (see
 * {@link HostArrays#scalar}).
 *
 * <p>Host overhead: each operation costs a JNI call and a libtorch dispatch (on a GPU also a kernel
 * launch) on the training thread, so compound operations use libtorch's fused ones where the maths
 * allow (GroupNorm as a layer norm over each group) and {@link OpCounter} can count them.
 *
 * <p>BatchNorm runs in inference mode (running statistics) except for parameters under a prefix
 * switched to training with {@link #trainMode}: there it uses batch statistics and updates
 * the running statistics with momentum 0.1 in place, as PyTorch's {@code BatchNorm2d.train()} does
 * (TRAINING.md §3.3, P-5). The batch can be split into consecutive statistics groups
 * ({@link #batchNormGroups}) to reproduce the original's OCR batches of at most six crops. Dropout
 * is active in the same modules only.
 */
public final class DjlOps implements TensorOps<NDArray> {
  /** PyTorch BatchNorm momentum 0.1, in DJL's convention (DJL passes 1 − momentum to PyTorch). */
  private static final float DJL_BN_MOMENTUM = 0.9f;

  private final ParameterStore params;
  private final Set<String> trainPrefixes = new LinkedHashSet<>();
  private final Set<String> used = new LinkedHashSet<>();
  private final DeviceConstants constants = new DeviceConstants();
  private NDManager scope;
  private int[] bnGroups;

  public DjlOps(ParameterStore params, NDManager scope) {
    this.params = params;
    scope(scope);
  }

  public ParameterStore params() {
    return params;
  }

  /** Sets the manager that owns the results of subsequent operations; returns the previous one. */
  public NDManager scope(NDManager newScope) {
    if (newScope != null && !newScope.getDevice().equals(params.device())) {
      throw new IllegalArgumentException("scope on " + newScope.getDevice() + ", expected the parameters' device " + params.device());
    }
    NDManager old = scope;
    scope = newScope;
    params.beginGraph(); // a new scope is a new graph: packed parameters get fresh views
    constants.scopeChanged(newScope);
    return old;
  }

  /**
   * Keeps the constants these operations make (scalars, the networks' constant tensors) in
   * {@code owner}, across scopes, instead of in each scope: made once per run, not once per step.
   * {@code owner} (on the parameters' device) must outlive the operations' use.
   */
  public void keepConstantsIn(NDManager owner) {
    if (!owner.getDevice().equals(params.device())) {
      throw new IllegalArgumentException("constants on " + owner.getDevice() + ", expected the parameters' device " + params.device());
    }
    constants.keepIn(owner);
  }

  public NDManager scope() {
    return scope;
  }

  /**
   * Runs {@code body} with a fresh sub-scope and keeps only its result (moved to the current
   * scope): the intermediates are freed at once. Autograd keeps what backward needs on its own.
   */
  public NDArray scoped(java.util.function.Supplier<NDArray> body) {
    return scopedList(() -> List.of(body.get())).get(0);
  }

  /** {@link #scoped} for several results. */
  public List<NDArray> scopedList(java.util.function.Supplier<List<NDArray>> body) {
    NDManager outer = scope;
    try (NDManager inner = outer.newSubManager()) {
      scope = inner;
      List<NDArray> out = body.get();
      for (NDArray a : out) {
        if (params.keyOf(a) == null) a.attach(outer);
      }
      return out;
    } finally {
      scope = outer;
    }
  }

  /**
   * Modules under {@code prefix} run in train mode ({@code on}) — BatchNorm with batch statistics,
   * dropout active — or in eval mode (running statistics, no dropout; the default).
   */
  public void trainMode(String prefix, boolean on) {
    if (on) trainPrefixes.add(prefix);
    else trainPrefixes.remove(prefix);
  }

  private boolean inTrainMode(String key) {
    return key != null && trainPrefixes.stream().anyMatch(key::startsWith);
  }

  /**
   * Consecutive batch groups (sizes summing to the batch) over which training-mode BatchNorm
   * computes its statistics, each group updating the running statistics once; null = one group.
   */
  public void batchNormGroups(int[] groups) {
    this.bnGroups = groups == null ? null : groups.clone();
  }

  /** Keys read through {@link #weight} since the last {@link #clearUsed()}. */
  public Set<String> used() {
    return used;
  }

  public void clearUsed() {
    used.clear();
  }

  /** An array of the scope (on its device) from host values. */
  public NDArray create(float[] values, long... shape) {
    return HostArrays.floats(scope, values, shape);
  }

  public NDArray createLongs(long[] values, long... shape) {
    return HostArrays.longs(scope, values, shape);
  }

  // ---------------------------------------------------------------- parameters and constants

  @Override
  public NDArray weight(String key, long... shape) {
    used.add(key);
    return params.get(key, shape);
  }

  @Override
  public NDArray constant(float[] values, long... shape) {
    return constants.constant(values, shape, scope);
  }

  @Override
  public NDArray scalar(float value) {
    return constants.scalar(value, scope);
  }

  /** A rank-0 constant on {@code x}'s device (the parameters'), made once ({@link DeviceConstants}). */
  private NDArray scalarLike(NDArray x, float value) {
    return constants.scalar(value, scope);
  }

  @Override
  public long[] shape(NDArray x) {
    return x.getShape().getShape();
  }

  // ---------------------------------------------------------------- layers

  @Override
  public NDArray conv2d(NDArray x, NDArray w, NDArray b, int strideH, int strideW, int[] pads, int groups) {
    NDArray in = x;
    Shape padding;
    if (pads[0] == pads[2] && pads[1] == pads[3]) {
      padding = new Shape(pads[0], pads[1]);
    } else {
      // asymmetric (the VAE downsample pads right/bottom only): explicit zero padding, torch order (left, right, top, bottom)
      in = own(x.pad(new Shape(pads[1], pads[3], pads[0], pads[2]), 0));
      padding = new Shape(0, 0);
    }
    NDList out = Conv2d.conv2d(in, w, b, new Shape(strideH, strideW), padding, new Shape(1, 1), groups);
    return own(out.singletonOrThrow());
  }

  @Override
  public NDArray linear(NDArray x, NDArray w, NDArray b) {
    return own(Linear.linear(x, w, b).singletonOrThrow());
  }

  @Override
  public NDArray groupNorm(NDArray x, int groups, float eps, NDArray gamma, NDArray beta) {
    long[] s = x.getShape().getShape();
    long perGroup = x.size() / (s[0] * groups);
    NDArray g = own(x.reshape(s[0], groups, perGroup));
    // torch.layer_norm over each group (unit affine): the mean and biased variance of torch.group_norm, in one operation
    NDArray normed = own(LayerNorm.layerNorm(g, new Shape(perGroup), constants.ones(perGroup, scope), constants.zeros(perGroup, scope), eps)
        .singletonOrThrow());
    long[] affine = new long[s.length];
    Arrays.fill(affine, 1);
    affine[1] = s[1];
    NDArray y = own(normed.reshape(new Shape(s)));
    return own(own(y.mul(own(gamma.reshape(new Shape(affine))))).add(own(beta.reshape(new Shape(affine)))));
  }

  @Override
  public NDArray layerNorm(NDArray x, float eps, NDArray gamma, NDArray beta) {
    long last = x.getShape().get(x.getShape().dimension() - 1);
    return own(LayerNorm.layerNorm(x, new Shape(last), gamma, beta, eps).singletonOrThrow());
  }

  @Override
  public NDArray batchNorm(NDArray x, float eps, NDArray gamma, NDArray beta, NDArray runningMean, NDArray runningVar) {
    String key = params.keyOf(gamma);
    if (!inTrainMode(key)) {
      return own(BatchNorm.batchNorm(x, runningMean, runningVar, gamma, beta, -1, DJL_BN_MOMENTUM, eps, false).singletonOrThrow());
    }
    String counter = key.substring(0, key.length() - "weight".length()) + "num_batches_tracked";
    long batch = x.getShape().get(0);
    int[] groups = bnGroups != null && Arrays.stream(bnGroups).asLongStream().sum() == batch ? bnGroups : new int[] {(int) batch};
    List<NDArray> parts = new ArrayList<>();
    long from = 0;
    for (int size : groups) {
      NDArray part = groups.length == 1 ? x : own(x.get(new NDIndex().addSliceDim(from, from + size)));
      parts.add(own(BatchNorm.batchNorm(part, runningMean, runningVar, gamma, beta, -1, DJL_BN_MOMENTUM, eps, true).singletonOrThrow()));
      params.incrementCounter(counter);
      from += size;
    }
    return parts.size() == 1 ? parts.get(0) : own(NDArrays.concat(new NDList(parts), 0));
  }

  /** Inverted dropout (PyTorch's, its global generator) in train-mode modules; identity elsewhere. */
  @Override
  public NDArray dropout(String key, NDArray x, float rate) {
    if (!inTrainMode(key) || rate <= 0) return x;
    return own(x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow());
  }

  @Override
  public NDArray embedding(NDArray table, NDArray ids) {
    NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : own(ids.toType(DataType.INT64, true));
    return own(Embedding.embedding(longIds, table, SparseFormat.DENSE).singletonOrThrow());
  }

  // ---------------------------------------------------------------- arithmetic

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return own(a.add(b));
  }

  @Override
  public NDArray sub(NDArray a, NDArray b) {
    return own(a.sub(b));
  }

  @Override
  public NDArray mul(NDArray a, NDArray b) {
    return own(a.mul(b));
  }

  @Override
  public NDArray div(NDArray a, NDArray b) {
    return own(a.div(b));
  }

  @Override
  public NDArray matmul(NDArray a, NDArray b) {
    return own(a.matMul(b));
  }

  @Override
  public NDArray scale(NDArray x, float s) {
    return own(x.mul(scalarLike(x, s))); // not x.mul(float): see HostArrays
  }

  @Override
  public NDArray softmax(NDArray x, int axis) {
    return own(x.softmax(axis));
  }

  @Override
  public NDArray exp(NDArray x) {
    return own(x.exp());
  }

  @Override
  public NDArray sqrt(NDArray x) {
    return own(x.sqrt());
  }

  @Override
  public NDArray cos(NDArray x) {
    return own(x.cos());
  }

  @Override
  public NDArray sin(NDArray x) {
    return own(x.sin());
  }

  @Override
  public NDArray clip(NDArray x, float min, float max) {
    return own(x.clip(min, max));
  }

  @Override
  public NDArray meanKeepDims(NDArray x, int... axes) {
    // the PyTorch engine reduces one axis per call ("Only 1 axis is support!"); equal-size means compose exactly
    NDArray y = x;
    for (int axis : descending(x, axes)) y = own(y.mean(new int[] {axis}, true));
    return y;
  }

  @Override
  public NDArray sumKeepDims(NDArray x, int... axes) {
    NDArray y = x;
    for (int axis : descending(x, axes)) y = own(y.sum(new int[] {axis}, true));
    return y;
  }

  // ---------------------------------------------------------------- activations

  @Override
  public NDArray relu(NDArray x) {
    return own(x.getNDArrayInternal().relu());
  }

  @Override
  public NDArray sigmoid(NDArray x) {
    return own(x.getNDArrayInternal().sigmoid());
  }

  @Override
  public NDArray geluErf(NDArray x) {
    return own(x.getNDArrayInternal().gelu()); // torch gelu, approximate='none' (erf)
  }

  @Override
  public NDArray hardSigmoid(NDArray x) {
    return own(own(own(x.add(scalarLike(x, 3f))).clip(0f, 6f)).div(scalarLike(x, 6f)));
  }

  // ---------------------------------------------------------------- shape

  @Override
  public NDArray reshape(NDArray x, long... shape) {
    long[] in = x.getShape().getShape();
    long[] out = shape.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) out[i] = in[i]; // ONNX semantics: 0 copies the input dimension
    }
    return own(x.reshape(new Shape(out)));
  }

  @Override
  public NDArray imageToTokens(NDArray x) {
    long[] s = x.getShape().getShape();
    return own(own(x.reshape(s[0], s[1], s[2] * s[3])).transpose(0, 2, 1));
  }

  @Override
  public NDArray tokensToImage(NDArray tokens, NDArray like) {
    long[] t = tokens.getShape().getShape();
    long[] l = like.getShape().getShape();
    return own(own(tokens.transpose(0, 2, 1)).reshape(t[0], t[2], l[2], l[3]));
  }

  @Override
  public NDArray permute(NDArray x, int... axes) {
    return own(x.transpose(axes));
  }

  @Override
  public NDArray concat(int axis, List<NDArray> xs) {
    int rank = xs.get(0).getShape().dimension();
    return own(NDArrays.concat(new NDList(xs), axis < 0 ? axis + rank : axis));
  }

  @Override
  public NDArray slice(NDArray x, int axis, long from, long to) {
    int rank = x.getShape().dimension();
    int a = axis < 0 ? axis + rank : axis;
    NDIndex index = new NDIndex();
    if (a > 0) index.addAllDim(a);
    index.addSliceDim(from, Math.min(to, x.getShape().get(a)));
    return own(x.get(index));
  }

  @Override
  public NDArray upsampleNearest2x(NDArray x) {
    int rank = x.getShape().dimension();
    return own(own(x.repeat(rank - 2, 2)).repeat(rank - 1, 2)); // repeat_interleave: each pixel → 2×2
  }

  @Override
  public NDArray avgPool2d(NDArray x, int kernel) {
    Shape k = new Shape(kernel, kernel);
    return own(Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true));
  }

  @Override
  public NDArray expand(NDArray x, long... shape) {
    return own(x.broadcast(new Shape(broadcastShape(x.getShape().getShape(), shape))));
  }

  @Override
  public NDArray where(NDArray mask, NDArray a, NDArray b) {
    // DJL's where does not broadcast: bring all three to the common shape first
    long[] shape = broadcastShape(broadcastShape(mask.getShape().getShape(), a.getShape().getShape()), b.getShape().getShape());
    NDArray cond = own(own(mask.gt(scalarLike(mask, 0.5f))).broadcast(new Shape(shape)));
    return own(NDArrays.where(cond, own(a.broadcast(new Shape(shape))), own(b.broadcast(new Shape(shape)))));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Moves the result of one operation (here or a DJL call by the caller) into the scope and counts
   * the operation ({@link OpCounter}); parameters stay with the store.
   */
  public NDArray own(NDArray result) {
    OpCounter.ops(1);
    return adopt(result);
  }

  private NDArray adopt(NDArray result) {
    if (params.keyOf(result) == null && result.getManager() != scope) result.attach(scope);
    return result;
  }

  /** numpy broadcasting of two shapes. */
  private static long[] broadcastShape(long[] p, long[] q) {
    int rank = Math.max(p.length, q.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long a = i - (rank - p.length) >= 0 ? p[i - (rank - p.length)] : 1;
      long b = i - (rank - q.length) >= 0 ? q[i - (rank - q.length)] : 1;
      if (a != b && a != 1 && b != 1) {
        throw new IllegalArgumentException("expected broadcastable shapes, found " + Arrays.toString(p) + " and " + Arrays.toString(q));
      }
      out[i] = a == 1 ? b : a;
    }
    return out;
  }

  private static int[] descending(NDArray x, int[] axes) {
    int rank = x.getShape().dimension();
    return Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).boxed().sorted((p, q) -> q - p).mapToInt(Integer::intValue).toArray();
  }
}
