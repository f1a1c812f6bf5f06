package io.anytext2.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.OpCounter;
import io.anytext2.trainer.djl.ParameterStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
  private final NDManager manager;
  private final Map<String, State> state = new LinkedHashMap<>();
  /** The update's constant factors as device scalars, made once (see HostArrays#scalar). */
  private final NDArray decay;
  private final NDArray beta1;
  private final NDArray oneMinusBeta1;
  private final NDArray beta2;
  private final NDArray oneMinusBeta2;
  private final NDArray eps;

  public AdamW(ParameterStore params, Settings settings) {
    this.params = params;
    this.settings = settings;
    this.manager = params.manager().newSubManager();
    this.decay = HostArrays.scalar(manager, 1f - settings.lr() * settings.weightDecay());
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
      for (String key : withGradient) {
        if (!params.isTrainable(key)) continue;
        NDArray p = params.get(key);
        try (NDManager tmp = manager.newSubManager()) {
          NDArray g = p.getGradient();
          g.attach(tmp);
          State s = state.get(key);
          if (s == null) {
            s = new State(manager.zeros(p.getShape()), manager.zeros(p.getShape()), 0);
          }
          OpCounter.ops(state.containsKey(key) ? 17 : 19); // the DJL calls of this update
          long k = s.step() + 1;
          NDArray[] corr = bias.computeIfAbsent(k, n -> new NDArray[] {
            HostArrays.scalar(perStep, (float) Math.sqrt(1 - Math.pow(settings.beta2(), n))),
            HostArrays.scalar(perStep, (float) (settings.lr() / (1 - Math.pow(settings.beta1(), n))))});
          p.muli(decay);
          s.expAvg().muli(beta1).addi(g.mul(oneMinusBeta1)); // g lives in tmp, so do its products
          s.expAvgSq().muli(beta2).addi(g.square().muli(oneMinusBeta2));
          NDArray denom = s.expAvgSq().sqrt();
          denom.attach(tmp);
          denom.divi(corr[0]).addi(eps);
          NDArray update = s.expAvg().div(denom);
          update.attach(tmp);
          p.subi(update.muli(corr[1]));
          state.put(key, new State(s.expAvg(), s.expAvgSq(), k));
          JniUtils.zeroGrad((PtNDArray) p);
        }
      }
    }
  }

  /** Zeroes the gradients of {@code keys} without updating (e.g. after a skipped accumulation window). */
  public void zeroGradients(Collection<String> keys) {
    for (String key : keys) {
      if (params.isTrainable(key)) JniUtils.zeroGrad((PtNDArray) params.get(key));
    }
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
