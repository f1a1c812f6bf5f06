package io.anytext2.sdk.pipeline;

import ai.onnxruntime.OnnxTensor;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.sched.DdimScheduler;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The DDIM loop through the package's {@link GraphNames#SAMPLER} graph: chunks of steps per call, the
 * contexts and control maps of both branches bound once per request (cond rows first, as the batched
 * UNet call of {@link UNetCalls}), the latent handed from chunk to chunk. Computes what the step-by-step
 * loop computes (same UNet batch, the scheduler's coefficients, float32 guidance and update).
 */
final class SamplerGraphLoop {
  private SamplerGraphLoop() {}

  /**
   * Whether this run can use the sampler graph: the package has it, the options ask for it, guidance
   * is batched (equal context lengths), η = 0 (the graph draws no noise), and nothing traces the
   * per-step tensors (the graph does not return them).
   */
  static boolean usable(ModelStages stages, SamplerOptions options, DdimScheduler ddim, FloatTensor ctxCond,
      FloatTensor ctxUncond, Trace trace) {
    if (!stages.hasSampler() || options.loopChunk() <= 0 || !options.batchGuidance() || trace != Trace.NONE) return false;
    if (ctxUncond == null || ctxCond.dim(1) != ctxUncond.dim(1)) return false;
    for (int k = 0; k < ddim.stepCount(); k++) if (ddim.sigma(k) != 0f) return false;
    return true;
  }

  static FloatTensor run(ModelStages stages, int chunk, DdimScheduler ddim, FloatTensor xT, FloatTensor ctxCond,
      List<FloatTensor> ctrlCond, FloatTensor ctxUncond, List<FloatTensor> ctrlUncond, SamplingParams params,
      StepListener listener) {
    List<FloatTensor> both = new ArrayList<>();
    for (int k = 0; k < ctrlCond.size(); k++) both.add(FloatTensor.concatBatch(ctrlCond.get(k), ctrlUncond.get(k)));
    return run(stages, chunk, ddim, xT, FloatTensor.concatBatch(ctxCond, ctxUncond), both, Map.of(), params, listener);
  }

  /**
   * As above with the control maps as the ControlNet returned them for both branches (one row per
   * branch, cond first; {@link ModelStages#samplerTakesBranchControls()} graphs only), still in native
   * memory: no copy through Java, and one row per branch whatever the batch.
   */
  static FloatTensor run(ModelStages stages, int chunk, DdimScheduler ddim, FloatTensor xT, FloatTensor ctxCond,
      FloatTensor ctxUncond, Map<String, OnnxTensor> branchControls, SamplingParams params, StepListener listener) {
    return run(stages, chunk, ddim, xT, FloatTensor.concatBatch(ctxCond, ctxUncond), List.of(), branchControls, params, listener);
  }

  private static FloatTensor run(ModelStages stages, int chunk, DdimScheduler ddim, FloatTensor xT, FloatTensor contexts,
      List<FloatTensor> controls, Map<String, OnnxTensor> nativeControls, SamplingParams params,
      StepListener listener) {
    GraphStage sampler = stages.sampler();
    int batch = (int) xT.dim(0);
    Map<String, Object> fixed = new HashMap<>(UNetCalls.fixedInputs(contexts, controls, params.attnxScale()));
    fixed.put(GraphNames.SMP_IN_CFG, FloatTensor.scalar(params.cfgScale()));
    FloatTensor x = xT;
    int total = ddim.stepCount();
    try (GraphStage.Pinned pinned = sampler.pin(fixed, nativeControls)) {
      for (int from = 0; from < total; from += chunk) {
        int to = Math.min(total, from + chunk);
        Map<String, FloatTensor> out = sampler.run(stepInputs(ddim, from, to, 2 * batch, x), pinned);
        x = out.get(GraphNames.SMP_OUT_X);
        if (!listener.onStep(to, total, out.get(GraphNames.SMP_OUT_PRED_X0))) {
          throw new CancellationException("cancelled after step " + to + " of " + total);
        }
      }
    }
    return new FloatTensor(x.data(), xT.shape());
  }

  /** Steps i in [from, to) of the sampling order (timestep index k = M − 1 − i): timestep per row and coefficients. */
  private static Map<String, Object> stepInputs(DdimScheduler ddim, int from, int to, int rows, FloatTensor x) {
    int n = to - from, total = ddim.stepCount();
    float[] t = new float[n * rows];
    float[] sqrtA = new float[n], sqrt1mA = new float[n], sqrtAPrev = new float[n], direction = new float[n];
    for (int j = 0; j < n; j++) {
      int k = total - 1 - (from + j);
      java.util.Arrays.fill(t, j * rows, (j + 1) * rows, (float) ddim.timestep(k));
      sqrtA[j] = ddim.sqrtAlpha(k);
      sqrt1mA[j] = ddim.sqrtOneMinusAlpha(k);
      sqrtAPrev[j] = ddim.sqrtAlphaPrev(k);
      direction[j] = ddim.directionScale(k);
    }
    long[] steps = {n};
    return Map.of(GraphNames.SMP_IN_X, x,
        GraphNames.SMP_IN_TIMESTEPS, new FloatTensor(t, new long[] {n, rows}),
        GraphNames.SMP_IN_SQRT_ALPHA, new FloatTensor(sqrtA, steps),
        GraphNames.SMP_IN_SQRT_ONE_MINUS_ALPHA, new FloatTensor(sqrt1mA, steps),
        GraphNames.SMP_IN_SQRT_ALPHA_PREV, new FloatTensor(sqrtAPrev, steps),
        GraphNames.SMP_IN_DIRECTION, new FloatTensor(direction, steps));
  }
}
