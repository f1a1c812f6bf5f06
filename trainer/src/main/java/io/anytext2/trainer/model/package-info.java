/**
 * The AnyText2 training model (TRAINING.md §3–§4): host preparation of samples
 * ({@link io.anytext2.trainer.model.PreparedSample}, {@link io.anytext2.trainer.model.TrainingBatch}),
 * the forward pass with its losses ({@link io.anytext2.trainer.model.AnyText2TrainingModel}), the
 * trainable set, the image-log sampler and the initial checkpoint builder
 * ({@link io.anytext2.trainer.model.InitialCheckpoint}).
 */
package io.anytext2.trainer.model;
