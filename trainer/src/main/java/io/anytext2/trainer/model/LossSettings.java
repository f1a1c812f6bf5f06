package io.anytext2.trainer.model;

/**
 * The loss weights of the original's model YAML (TRAINING.md §3.5.2, §3.6): {@code loss_alpha}
 * (OCR perceptual loss on recognizer neck features), {@code loss_beta} (CTC loss), the weight of
 * Latin lines, and whether the OCR terms are weighted by ᾱ_t ({@code with_step_weight}).
 */
public record LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight) {

  public LossSettings {
    if (!(alpha >= 0) || !(beta >= 0) || !(latinWeight >= 0)) {
      throw new IllegalArgumentException("expected non-negative loss weights, found alpha " + alpha + ", beta " + beta
          + ", latin_weight " + latinWeight);
    }
  }

  /** The released configuration: both OCR terms off (P-10). */
  public static LossSettings released() {
    return new LossSettings(0f, 0f, 1f, true);
  }

  public boolean ocrTerms() {
    return alpha > 0 || beta > 0;
  }
}
