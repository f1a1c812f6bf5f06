package io.anytext2.trainer.model;

/**
 * The loss weights of the original's model YAML (TRAINING.md §3.5.2, §3.6): {@code loss_alpha}
 * (OCR perceptual loss on recognizer neck features), {@code loss_beta} (CTC loss), the weight of
 * Latin lines, and whether the OCR terms are weighted by ᾱ_t ({@code with_step_weight}). The
 * {@code stage} says which objective a run optimises ({@link TrainingStage}); {@code klWeight} is the
 * KL weight of the {@link TrainingStage#VAE} stage; {@code cropMargin} (px, {@code loss.crop_margin}) widens the
 * line crops of the {@link TrainingStage#RECOGNIZER} stage by a random margin up to it.
 */
public record LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight, TrainingStage stage, float klWeight,
    int cropMargin) {

  public LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight, TrainingStage stage, float klWeight) {
    this(alpha, beta, latinWeight, stepWeight, stage, klWeight, 0);
  }

  /** The AnyText2 objective. */
  public LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight) {
    this(alpha, beta, latinWeight, stepWeight, TrainingStage.ANYTEXT2, 0f);
  }

  public LossSettings {
    if (stage == null) throw new IllegalArgumentException("expected a training stage, found null");
    if (cropMargin < 0) throw new IllegalArgumentException("expected a non-negative crop_margin, found " + cropMargin);
    if (cropMargin > 0 && stage != TrainingStage.RECOGNIZER) {
      throw new IllegalArgumentException("crop_margin widens the recognizer stage's crops: it needs model.stage recognizer");
    }
    if (!(klWeight >= 0)) throw new IllegalArgumentException("expected a non-negative kl_weight, found " + klWeight);
    if (stage == TrainingStage.RECOGNIZER && !(beta > 0)) {
      throw new IllegalArgumentException("the recognizer stage trains with CTC: expected loss_beta > 0, found " + beta);
    }
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
