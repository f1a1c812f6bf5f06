package io.anytext2.sdk.pipeline;

/**
 * How the DDIM loop calls the UNet; every choice gives the same ε up to floating-point rounding.
 *
 * @param batchGuidance run the conditional and unconditional branches as one UNet call of batch 2B
 *     (MODEL.md §3.9: the branches are independent per sample) when their contexts have the same
 *     length; otherwise two calls, conditional first
 * @param pinInputs convert the inputs that stay fixed over a request (control maps, contexts) to
 *     native tensors once instead of once per UNet call
 */
public record SamplerOptions(boolean batchGuidance, boolean pinInputs) {
  /** Both on. */
  public static final SamplerOptions DEFAULT = new SamplerOptions(true, true);

  /** The original's call pattern: two UNet calls per step, every input converted per call. */
  public static final SamplerOptions UNBATCHED = new SamplerOptions(false, false);
}
