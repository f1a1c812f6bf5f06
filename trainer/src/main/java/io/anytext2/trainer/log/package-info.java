/**
 * What a training run writes besides gradients (TRAINING.md §3.8–§3.9), in plain Java types:
 *
 * <ul>
 *   <li>{@link io.anytext2.trainer.log.TensorBoardWriter}: scalars and images as TensorBoard event files;
 *   <li>{@link io.anytext2.trainer.log.MetricsCsv}: {@code metrics.csv}, resumable; {@link
 *       io.anytext2.trainer.log.LossPlot} draws it as a PNG;
 *   <li>{@link io.anytext2.trainer.log.ImageGrid}: the image log's 4-column grids with captions,
 *       from {@link io.anytext2.trainer.log.RgbImage}s;
 *   <li>{@link io.anytext2.trainer.log.CheckpointManager}: safetensors checkpoints with top-k retention,
 *       {@code last}, crash-safe commits and resume;
 *   <li>{@link io.anytext2.trainer.log.ProgressLine}: the console progress line.
 * </ul>
 */
package io.anytext2.trainer.log;
