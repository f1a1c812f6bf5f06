package io.anytext2.cli.parity;

/**
 * How close a tensor must be to the reference. The numbers are those of the parity README
 * ("Tolerances"): a stage passes when its max |difference| is within {@code maxAbs}, or, for the
 * large-valued ControlNet residuals, within {@code maxRel} × max |reference|.
 */
public record Tolerance(double maxAbs, double maxRel) {
  /** Network stage outputs: ≤ 1e-4 absolute. */
  public static final Tolerance STAGE = new Tolerance(1e-4, 0);
  /** ControlNet residuals (|x| up to ~15): ≤ 1e-4 absolute or ≤ 1e-5 relative to max |ref|. */
  public static final Tolerance RESIDUAL = new Tolerance(1e-4, 1e-5);
  /** DDIM latents and pred_x0 (|x| up to ~30 with random weights): ≤ 1e-3 absolute. */
  public static final Tolerance LATENT = new Tolerance(1e-3, 0);
  /**
   * A stage output computed from our own upstream results rather than the reference inputs (the
   * full generation chain): input differences of ~1e-5 (VAE posterior) are amplified by the
   * ControlNet to a few 1e-4, so chained values get the latent tolerance. Each stage is also checked
   * in isolation on the reference inputs with its strict tolerance.
   */
  public static final Tolerance CHAINED = new Tolerance(1e-3, 0);
  /** Decoded float image: ≤ 1e-3 absolute. */
  public static final Tolerance IMAGE = new Tolerance(1e-3, 0);

  public boolean accepts(double maxAbs, double maxRef) {
    return maxAbs <= this.maxAbs || (maxRel > 0 && maxAbs <= maxRel * maxRef);
  }
}
