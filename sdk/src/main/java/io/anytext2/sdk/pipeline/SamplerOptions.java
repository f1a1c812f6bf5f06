package io.anytext2.sdk.pipeline;

/**
 * How the DDIM loop calls the UNet; every choice gives the same latents up to floating-point rounding.
 *
 * @param batchGuidance run the conditional and unconditional branches as one UNet call of batch 2B
 *     (MODEL.md §3.9: the branches are independent per sample) when their contexts have the same
 *     length; otherwise two calls, conditional first
 * @param pinInputs convert the inputs that stay fixed over a request (control maps, contexts) to
 *     native tensors once instead of once per UNet call
 * @param loopChunk when above 0 and the package has the sampler graph: run up to this many DDIM steps
 *     per call of that graph (an ONNX Loop, so the control maps reach the device once per call, not
 *     once per step); the step listener then hears after each chunk. A run without a listener
 *     ({@link StepListener#NONE}) makes one call for all steps (nothing to report, and every call sends
 *     the contexts and maps again). Used for batched guidance with η = 0 and no trace; otherwise, and
 *     with 0, the loop calls the UNet step by step
 */
public record SamplerOptions(boolean batchGuidance, boolean pinInputs, int loopChunk) {
  /** Steps per sampler-graph call by default: progress five times in a 20-step request. */
  public static final int DEFAULT_LOOP_CHUNK = 5;

  /** Batched, pinned, and the sampler graph in chunks of {@link #DEFAULT_LOOP_CHUNK} where the package has it. */
  public static final SamplerOptions DEFAULT = new SamplerOptions(true, true, DEFAULT_LOOP_CHUNK);

  /** The original's call pattern: two UNet calls per step, every input converted per call. */
  public static final SamplerOptions UNBATCHED = new SamplerOptions(false, false, 0);

  public SamplerOptions {
    if (loopChunk < 0) throw new IllegalArgumentException("expected loopChunk >= 0, found " + loopChunk);
  }

  /** Step-by-step UNet calls (no sampler graph). */
  public SamplerOptions(boolean batchGuidance, boolean pinInputs) {
    this(batchGuidance, pinInputs, 0);
  }

  /** The same options with another chunk size (0: step by step). */
  public SamplerOptions withLoopChunk(int chunk) {
    return new SamplerOptions(batchGuidance, pinInputs, chunk);
  }
}
