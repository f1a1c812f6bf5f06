package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The UNet calls of one request (MODEL.md §3.9): per step, ε of the conditional branch and, with
 * guidance, of the unconditional one. Following {@link SamplerOptions}, both branches run as one
 * call of batch 2B (cond first, then uncond), and the inputs fixed for the request — contexts,
 * ControlNet maps, AttnX scale — become native tensors once.
 */
final class UNetCalls implements AutoCloseable {
  private final GraphStage unet;
  private final int batch;
  private final boolean guided;
  private final boolean batched;
  private final List<Map<String, Object>> fixed = new ArrayList<>(); // one per call of a step
  private final List<GraphStage.Pinned> pinned = new ArrayList<>();

  private UNetCalls(GraphStage unet, int batch, boolean guided, boolean batched) {
    this.unet = unet;
    this.batch = batch;
    this.guided = guided;
    this.batched = batched;
  }

  /** Prepares the calls; {@code ctxUncond}/{@code ctrlUncond} are null without guidance. */
  static UNetCalls prepare(DiffusionRunner runner, FloatTensor ctxCond, List<FloatTensor> ctrlCond, FloatTensor ctxUncond,
      List<FloatTensor> ctrlUncond, float attnxScale) {
    SamplerOptions o = runner.sampler();
    boolean guided = ctxUncond != null;
    boolean batched = guided && o.batchGuidance() && ctxCond.dim(1) == ctxUncond.dim(1);
    UNetCalls calls = new UNetCalls(runner.stages().unet(), (int) ctxCond.dim(0), guided, batched);
    try {
      if (batched) {
        List<FloatTensor> both = new ArrayList<>();
        for (int k = 0; k < ctrlCond.size(); k++) both.add(FloatTensor.concatBatch(ctrlCond.get(k), ctrlUncond.get(k)));
        calls.add(fixedInputs(FloatTensor.concatBatch(ctxCond, ctxUncond), both, attnxScale), o.pinInputs());
      } else {
        calls.add(fixedInputs(ctxCond, ctrlCond, attnxScale), o.pinInputs());
        if (guided) calls.add(fixedInputs(ctxUncond, ctrlUncond, attnxScale), o.pinInputs());
      }
      return calls;
    } catch (RuntimeException e) {
      calls.close();
      throw e;
    }
  }

  private void add(Map<String, Object> inputs, boolean pin) {
    if (pin) {
      pinned.add(unet.pin(inputs));
      fixed.add(Map.of());
    } else {
      pinned.add(null);
      fixed.add(inputs);
    }
  }

  /** {ε_cond, ε_uncond (null without guidance)} for latent {@code x} [B,4,h,w] at timestep {@code t}. */
  float[][] eps(FloatTensor x, float t) {
    if (batched) {
      FloatTensor out = call(0, FloatTensor.concatBatch(x, x), t);
      return new float[][] {out.sliceBatch(0, batch).data(), out.sliceBatch(batch, 2 * batch).data()};
    }
    float[] cond = call(0, x, t).data();
    return new float[][] {cond, guided ? call(1, x, t).data() : null};
  }

  private FloatTensor call(int which, FloatTensor x, float t) {
    Map<String, Object> in = new HashMap<>(fixed.get(which));
    in.putAll(stepInputs(x, t));
    return unet.run(in, pinned.get(which)).get(GraphNames.UNET_OUT);
  }

  /** Context, AttnX scale and the control maps. */
  static Map<String, Object> fixedInputs(FloatTensor context, List<FloatTensor> controls, float attnxScale) {
    Map<String, Object> in = new HashMap<>();
    in.put(GraphNames.UNET_IN_CONTEXT, context);
    in.put(GraphNames.UNET_IN_ATTNX, FloatTensor.scalar(attnxScale));
    for (int k = 0; k < controls.size(); k++) in.put(GraphNames.controlName(k), controls.get(k));
    return in;
  }

  /** The latent and its timestep, repeated over the batch. */
  static Map<String, Object> stepInputs(FloatTensor x, float t) {
    int n = (int) x.dim(0);
    float[] ts = new float[n];
    java.util.Arrays.fill(ts, t);
    return Map.of(GraphNames.UNET_IN_X, x, GraphNames.UNET_IN_T, new FloatTensor(ts, new long[] {n}));
  }

  @Override
  public void close() {
    for (GraphStage.Pinned p : pinned) if (p != null) p.close();
  }
}
