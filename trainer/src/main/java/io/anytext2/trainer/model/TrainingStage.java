package io.anytext2.trainer.model;

import java.util.Locale;

/**
 * What a {@code train} run optimises ({@code model.stage} of a training config). The original
 * recipe only ever runs {@link #ANYTEXT2} on top of a pretrained SD1.5 and PP-OCRv3; the default
 * model of this project has neither, so two pre-training stages come first (README "The default
 * model"):
 * <ul>
 *   <li>{@link #VAE}: the autoencoder ({@code first_stage_model.*}) on the training images,
 *       reconstruction L1 + L2 plus a small KL weight (the LDM autoencoder objective without its
 *       perceptual and adversarial parts);
 *   <li>{@link #RECOGNIZER}: the OCR recognizer ({@code text_predictor.*}, which is also the
 *       embedding manager's glyph branch and the judge of the OCR losses) with CTC on the text
 *       lines, both as crops of the training image and as the rendered glyph lines;
 *   <li>{@link #ANYTEXT2}: the AnyText2 objective (TRAINING.md §3.5).
 * </ul>
 */
public enum TrainingStage {
  ANYTEXT2,
  VAE,
  RECOGNIZER;

  /** The config spelling: anytext2, vae, recognizer. */
  public static TrainingStage parse(String name) {
    for (TrainingStage s : values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(name)) return s;
    }
    throw new IllegalArgumentException("model.stage: expected one of anytext2, vae, recognizer, found '" + name + "'");
  }

  /** The stage's own metrics.csv column besides {@code loss}, or null (losses in the standard columns). */
  public String extraColumn() {
    switch (this) {
      case VAE:
        return "loss_kl";
      case RECOGNIZER:
        return "accuracy";
      default:
        return null;
    }
  }
}
