package io.anytext2.sdk.pipeline;

/**
 * Sampler settings (MODEL.md §2.1).
 *
 * @param steps DDIM steps S (the run takes len(range(0, 1000, 1000 // S)) steps, which can exceed S)
 * @param cfgScale classifier-free guidance scale; 1 skips the unconditional branch
 * @param attnxScale multiplier of the AttnX branches (0 disables them exactly)
 * @param strength multiplier of all ControlNet maps
 * @param eta DDIM η (0 = deterministic)
 */
public record SamplingParams(int steps, float cfgScale, float attnxScale, float strength, double eta) {
  public SamplingParams {
    if (steps < 1 || steps > 1000) throw new IllegalArgumentException("steps must be in 1..1000, found " + steps);
    if (!(cfgScale >= 0) || cfgScale > 100) throw new IllegalArgumentException("cfg scale must be in 0..100, found " + cfgScale);
    if (!(attnxScale >= 0) || attnxScale > 10) throw new IllegalArgumentException("attnx scale must be in 0..10, found " + attnxScale);
    if (!(strength >= 0) || strength > 10) throw new IllegalArgumentException("strength must be in 0..10, found " + strength);
    if (!(eta >= 0) || eta > 1) throw new IllegalArgumentException("eta must be in 0..1, found " + eta);
  }

  /** The original's defaults: 20 steps, cfg 9, attnx 1, strength 1, η 0. */
  public static SamplingParams defaults() {
    return new SamplingParams(20, 9f, 1f, 1f, 0);
  }
}
