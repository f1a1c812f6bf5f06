/**
 * The OCR losses of TRAINING.md §3.5.2: differentiable rotated-rectangle crops
 * ({@link io.anytext2.trainer.loss.RecognizerCrop}), CTC by forward–backward
 * ({@link io.anytext2.trainer.loss.CtcLoss}), the recognizer dictionary, and the per-line terms
 * ({@link io.anytext2.trainer.loss.OcrLosses}).
 */
package io.anytext2.trainer.loss;
