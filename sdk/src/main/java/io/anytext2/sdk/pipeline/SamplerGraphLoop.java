package io.anytext2.sdk.pipeline;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.sched.DdimScheduler;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DDIM loop through the package's {@link GraphNames#SAMPLER} graph: chunks of steps per call, the
 * contexts of both branches (cond rows first, as the batched UNet call of {@link UNetCalls}) and the ControlNet's
 * inputs bound once per request, the latent handed from chunk to chunk; the graph computes the control maps itself
 * before its loop. Computes what the step-by-step loop computes (same ControlNet and UNet, the scheduler's
 * coefficients, float32 guidance and update).
 */
final class SamplerGraphLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SamplerGraphLoop.class);
  private static final AtomicBoolean OLD_FORMAT_WARNED = new AtomicBoolean();

  private SamplerGraphLoop() {}

  /**
   * Whether this run can use the sampler graph: the package has it in the current form (computing the control maps;
   * sampler graphs of converters before 2026-11-26 took the maps as inputs: such a package runs step by step, with one
   * warning to re-convert it), the options ask for it, guidance is batched (equal context lengths), η = 0 (the graph
   * draws no noise), and nothing traces the per-step tensors (the graph does not return them).
   */
  static boolean usable(ModelStages stages, SamplerOptions options, DdimScheduler ddim, FloatTensor ctxCond,
      FloatTensor ctxUncond, Trace trace) {
    if (!stages.hasSampler() || options.loopChunk() <= 0 || !options.batchGuidance() || trace != Trace.NONE) return false;
    if (!stages.samplerComputesControls()) {
      if (OLD_FORMAT_WARNED.compareAndSet(false, true)) {
        LOG.warn("the package's sampler graph is of an older form (it takes the control maps as inputs): running step by step;"
            + " convert the checkpoint again for the faster sampler graph");
      }
      return false;
    }
    if (ctxUncond == null || ctxCond.dim(1) != ctxUncond.dim(1)) return false;
    for (int k = 0; k < ddim.stepCount(); k++) if (ddim.sigma(k) != 0f) return false;
    return true;
  }

  /**
   * Runs the DDIM loop through the sampler graph, which computes the control maps itself before its loop
   * ({@link ModelStages#samplerComputesControls}); {@code controlNetInputs} from {@link #controlNetInputs}.
   */
  static FloatTensor run(ModelStages stages, int chunk, DdimScheduler ddim, FloatTensor xT, FloatTensor ctxCond,
      FloatTensor ctxUncond, Map<String, Object> controlNetInputs, SamplingParams params, StepListener listener) {
    GraphStage sampler = stages.sampler();
    int batch = (int) xT.dim(0);
    Map<String, Object> fixed = new HashMap<>(UNetCalls.fixedInputs(FloatTensor.concatBatch(ctxCond, ctxUncond), List.of(),
        params.attnxScale()));
    fixed.putAll(controlNetInputs);
    fixed.put(GraphNames.SMP_IN_CFG, FloatTensor.scalar(params.cfgScale()));
    FloatTensor x = xT;
    int total = ddim.stepCount();
    try (GraphStage.Pinned pinned = sampler.pin(fixed)) {
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

  /**
   * The ControlNet's inputs of such a sampler graph: one image's glyph mask, position sum and masked latent (batch 1),
   * the ControlNet contexts of both branches ([2, 77, D], cond first) and the strength.
   */
  static Map<String, Object> controlNetInputs(FloatTensor glyphMask, FloatTensor positionSum, FloatTensor maskedX,
      FloatTensor controlContexts, float strength) {
    return Map.of(GraphNames.CN_IN_GLYPH, glyphMask, GraphNames.CN_IN_POSITION, positionSum, GraphNames.CN_IN_MASKED_X, maskedX,
        GraphNames.SMP_IN_CONTROL_CONTEXT, controlContexts, GraphNames.CN_IN_STRENGTH, FloatTensor.scalar(strength));
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
