package io.anytext2.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.trainer.djl.PackedParameters;
import io.anytext2.trainer.djl.ParameterStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch's {@code torch.optim.AdamW} (amsgrad off) over the trainable parameters of a
 * {@link ParameterStore} (TRAINING.md §3.7: lr 2e-5, betas 0.9/0.999, eps 1e-8, weight decay 0.01):
 * <pre>
 * p ← p·(1 − lr·wd);  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
 * p ← p − lr/(1−β1^k) · m / (√v / √(1−β2^k) + eps)        k = this parameter's step count
 * </pre>
 * A parameter that received no gradient since the last step (not used by the forward passes) is
 * skipped entirely, as PyTorch skips parameters whose {@code grad} is None.
 *
 * <p>The moments live beside the parameters, on their device. Every factor of the update is a
 * device scalar (the constant ones made once, the bias corrections once per step count), so a step
 * never uploads from or waits for the host.
 */
public final class AdamW implements AutoCloseable {
  /** Optimizer settings. */
  public record Settings(float lr, float beta1, float beta2, float eps, float weightDecay) {
    public static Settings recipe() {
      return new Settings(2e-5f, 0.9f, 0.999f, 1e-8f, 0.01f);
    }
  }

  /** Moment estimates and step count of one parameter. */
  public record State(NDArray expAvg, NDArray expAvgSq, long step) {}

  private final ParameterStore params;
  private final Settings settings;
  private final boolean packAfterFirstStep;
  private final NDManager manager;
  private final Map<String, State> state = new LinkedHashMap<>();
  /** The update's constant factors as device scalars, made once (see HostArrays#scalar). */
  private final NDArray decay;
  private final boolean decays;
  private final NDArray beta1;
  private final NDArray oneMinusBeta1;
  private final NDArray beta2;
  private final NDArray oneMinusBeta2;
  private final NDArray eps;
  /** The moments of the packed parameters, flat in their layout (null until packed); {@link #state} holds views of them. */
  private NDArray packedAvg;
  private NDArray packedAvgSq;

  /** An optimizer that updates every parameter separately. */
  public AdamW(ParameterStore params, Settings settings) {
    this(params, settings, false);
  }

  /**
   * @param packAfterFirstStep after the first step, pack the parameters it updated into one flat
   *     tensor ({@link ParameterStore#pack}) with flat moments: later steps update them with about
   *     fifteen whole-buffer operations instead of about seventeen per parameter, with the same
   *     results (the update is elementwise)
   */
  public AdamW(ParameterStore params, Settings settings, boolean packAfterFirstStep) {
    this.params = params;
    this.settings = settings;
    this.packAfterFirstStep = packAfterFirstStep;
    this.manager = params.manager().newSubManager();
    float decayFactor = 1f - settings.lr() * settings.weightDecay();
    this.decay = HostArrays.scalar(manager, decayFactor);
    this.decays = decayFactor != 1f; // p · 1 = p exactly: nothing to do without weight decay
    this.beta1 = HostArrays.scalar(manager, settings.beta1());
    this.oneMinusBeta1 = HostArrays.scalar(manager, 1f - settings.beta1());
    this.beta2 = HostArrays.scalar(manager, settings.beta2());
    this.oneMinusBeta2 = HostArrays.scalar(manager, 1f - settings.beta2());
    this.eps = HostArrays.scalar(manager, settings.eps());
  }

  public Settings settings() {
    return settings;
  }

  /** Updates every trainable parameter in {@code withGradient}, then zeroes their gradients. */
  public void step(Collection<String> withGradient) {
    try (NDManager perStep = manager.newSubManager()) {
      Map<Long, NDArray[]> bias = new HashMap<>(); // per step count k: 1/√(1−β2^k) and lr/(1−β1^k), shared by the parameters at k
      PackedParameters packed = params.packed();
      List<String> inPack = new ArrayList<>();
      List<String> loose = new ArrayList<>();
      for (String key : withGradient) {
        if (params.isTrainable(key)) (packed != null && packed.contains(key) ? inPack : loose).add(key);
      }
      if (!inPack.isEmpty()) stepPacked(packed, inPack, bias, perStep);
      for (String key : loose) stepOne(key, bias, perStep);
      if (packAfterFirstStep && packed == null && !loose.isEmpty()) pack(loose);
    }
  }

  private NDArray[] corrections(Map<Long, NDArray[]> bias, long k, NDManager perStep) {
    return bias.computeIfAbsent(k, n -> new NDArray[] {
      HostArrays.scalar(perStep, (float) Math.sqrt(1 - Math.pow(settings.beta2(), n))),
      HostArrays.scalar(perStep, (float) (settings.lr() / (1 - Math.pow(settings.beta1(), n))))});
  }

  /** One parameter stored on its own. */
  private void stepOne(String key, Map<Long, NDArray[]> bias, NDManager perStep) {
    NDArray p = params.get(key);
    try (NDManager tmp = manager.newSubManager()) {
      NDArray g = p.getGradient();
      g.attach(tmp);
      State s = state.get(key);
      OpCounter.ops(s == null ? 4 : 2); // gradient, zeroing (and the fresh moments)
      if (s == null) s = new State(manager.zeros(p.getShape()), manager.zeros(p.getShape()), 0);
      long k = s.step() + 1;
      update(p, g, s.expAvg(), s.expAvgSq(), corrections(bias, k, perStep), tmp);
      state.put(key, new State(s.expAvg(), s.expAvgSq(), k));
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }

  /**
   * The packed parameters in {@code keys}: one whole-buffer update when these are all of them at
   * one step count, else one update per parameter on views of the buffers; then one zeroing.
   */
  private void stepPacked(PackedParameters packed, List<String> keys, Map<Long, NDArray[]> bias, NDManager perStep) {
    NDArray flat = packed.flat();
    try (NDManager tmp = manager.newSubManager()) {
      NDArray g = flat.getGradient();
      g.attach(tmp);
      OpCounter.ops(2); // gradient, zeroing
      long k = state.get(keys.get(0)).step();
      boolean all = keys.size() == packed.keys().size() && keys.stream().allMatch(key -> state.get(key).step() == k);
      if (all) {
        update(flat, g, packedAvg, packedAvgSq, corrections(bias, k + 1, perStep), tmp);
      } else {
        List<NDArray> p = attached(packed.split(flat), tmp);
        List<NDArray> gs = attached(packed.split(g), tmp);
        List<NDArray> m = attached(packed.split(packedAvg), tmp);
        List<NDArray> v = attached(packed.split(packedAvgSq), tmp);
        Set<String> selected = new HashSet<>(keys);
        for (int i = 0; i < packed.keys().size(); i++) {
          String key = packed.keys().get(i);
          if (selected.contains(key)) update(p.get(i), gs.get(i), m.get(i), v.get(i), corrections(bias, state.get(key).step() + 1, perStep), tmp);
        }
      }
      for (String key : keys) {
        State s = state.get(key);
        state.put(key, new State(s.expAvg(), s.expAvgSq(), s.step() + 1));
      }
      JniUtils.zeroGrad((PtNDArray) flat);
    }
  }

  private static List<NDArray> attached(List<NDArray> arrays, NDManager owner) {
    for (NDArray a : arrays) a.attach(owner);
    return arrays;
  }

  /** The AdamW update of {@code p} (in place) from gradient {@code g} and moments {@code m}, {@code v}. */
  private void update(NDArray p, NDArray g, NDArray m, NDArray v, NDArray[] corr, NDManager tmp) {
    OpCounter.ops(decays ? 14 : 13);
    if (decays) p.muli(decay);
    m.muli(beta1).addi(g.mul(oneMinusBeta1)); // g lives in tmp, so do its products
    v.muli(beta2).addi(g.square().muli(oneMinusBeta2));
    NDArray denom = v.sqrt();
    denom.attach(tmp);
    denom.divi(corr[0]).addi(eps);
    NDArray update = m.div(denom);
    update.attach(tmp);
    p.subi(update.muli(corr[1]));
  }

  /** Packs the parameters {@code keys} (all with moments now) and their moments into flat buffers. */
  private void pack(List<String> keys) {
    PackedParameters packed = params.pack(keys);
    packedAvg = packed.pack(key -> state.get(key).expAvg(), manager);
    packedAvgSq = packed.pack(key -> state.get(key).expAvgSq(), manager);
    List<NDArray> m = packed.split(packedAvg);
    List<NDArray> v = packed.split(packedAvgSq);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      State old = state.get(key);
      Shape shape = old.expAvg().getShape();
      state.put(key, new State(shaped(m.get(i), shape), shaped(v.get(i), shape), old.step()));
      old.expAvg().close();
      old.expAvgSq().close();
    }
  }

  /** {@code view} (1-D, of a flat buffer) as {@code shape}, still a view, owned by the optimizer. */
  private NDArray shaped(NDArray view, Shape shape) {
    NDArray out = view.reshape(shape);
    out.attach(manager);
    view.close();
    return out;
  }

  /** Zeroes the gradients of {@code keys} without updating (e.g. after a skipped accumulation window). */
  public void zeroGradients(Collection<String> keys) {
    PackedParameters packed = params.packed();
    boolean packedToo = false;
    for (String key : keys) {
      if (!params.isTrainable(key)) continue;
      if (packed != null && packed.contains(key)) {
        packedToo = true;
      } else {
        JniUtils.zeroGrad((PtNDArray) params.get(key));
      }
    }
    if (packedToo) JniUtils.zeroGrad((PtNDArray) packed.flat());
  }

  /** The state by parameter key (for checkpoints). */
  public Map<String, State> state() {
    return java.util.Collections.unmodifiableMap(state);
  }

  /** Restores one parameter's state (resume). */
  public void restore(String key, float[] expAvg, float[] expAvgSq, long step) {
    NDArray p = params.get(key);
    if (expAvg.length != p.size() || expAvgSq.length != p.size()) {
      throw new IllegalArgumentException("optimizer state of " + key + ": expected " + p.size() + " values, found " + expAvg.length);
    }
    PackedParameters packed = params.packed();
    if (packed != null && packed.contains(key)) { // in place, into the flat moments
      State s = state.get(key);
      packed.set(packedAvg, key, expAvg);
      packed.set(packedAvgSq, key, expAvgSq);
      state.put(key, new State(s.expAvg(), s.expAvgSq(), step));
      return;
    }
    State old = state.remove(key);
    if (old != null) {
      old.expAvg().close();
      old.expAvgSq().close();
    }
    long[] shape = p.getShape().getShape();
    state.put(key, new State(HostArrays.floats(manager, expAvg, shape), HostArrays.floats(manager, expAvgSq, shape), step));
  }

  @Override
  public void close() {
    manager.close();
  }
}
