/**
 * The training loop (TRAINING.md §3.7–§3.9): configuration ({@link io.anytext2.trainer.loop.TrainingConfig}),
 * data ({@link io.anytext2.trainer.loop.DataSetup}), AdamW, and {@link io.anytext2.trainer.loop.Trainer}
 * with gradient accumulation, logs, checkpoints and exact resume.
 */
package io.anytext2.trainer.loop;
