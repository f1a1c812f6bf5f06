package io.anytext2.trainer.model;

/**
 * The loss weights of the original's model YAML (TRAINING.md §3.5.2, §3.6): {@code loss_alpha}
 * (OCR perceptual loss on recognizer neck features), {@code loss_beta} (CTC loss), the weight of
 * Latin lines, and whether the OCR terms are weighted by ᾱ_t ({@code with_step_weight}). The
 * {@code stage} says which objective a run optimises ({@link TrainingStage}); {@code klWeight} is the
 * KL weight of the {@link TrainingStage#VAE} stage; {@code cropMargin} (px, {@code loss.crop_margin}) widens the
 * line crops of the {@link TrainingStage#RECOGNIZER} stage by a random margin up to it; {@code textRegionWeight}
 * ({@code loss.text_region_weight}, AnyText2 stage only, 1 = the original) multiplies loss_simple's squared error in the
 * latent cells the lines' positions cover (not in the original: for a model trained from scratch, whose error on a
 * small text box is a small share of the image's).
 */
public record LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight, TrainingStage stage, float klWeight,
    int cropMargin, float textRegionWeight) {

  public LossSettings(float alpha, float beta, float latinWeight, boolean stepWeight, TrainingStage stage, float klWeight,
      int cropMargin) {
    this(alpha, beta, latinWeight, stepWeight, stage, klWeight, cropMargin, 1f);
  }

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
    if (!(textRegionWeight > 0) || !Float.isFinite(textRegionWeight)) {
      throw new IllegalArgumentException("expected a positive text_region_weight, found " + textRegionWeight);
    }
    if (textRegionWeight != 1f && stage != TrainingStage.ANYTEXT2) {
      throw new IllegalArgumentException("text_region_weight weights loss_simple: it needs model.stage anytext2");
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
