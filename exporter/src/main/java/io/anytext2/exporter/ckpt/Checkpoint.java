package io.anytext2.exporter.ckpt;

import java.util.List;

/**
 * Read-only access to the named tensors of a checkpoint file. Tensors are read on demand, one at
 * a time, so memory use stays near the size of the largest tensor read. Implementations:
 * {@link SafetensorsFile}, {@link TorchZipCheckpoint}; {@link Checkpoints#open} picks one.
 *
 * <p>All read methods return a fresh row-major array of {@link TensorInfo#numel()} elements. They
 * fail with {@link IllegalArgumentException} naming the key when the key is absent, and with
 * {@link CheckpointException} when the file's data cannot be read.
 */
public interface Checkpoint extends AutoCloseable {

  /** The tensor keys in file order. */
  List<String> keys();

  /** Element type and shape of {@code key}. */
  TensorInfo info(String key);

  boolean contains(String key);

  /** The tensor as float32; F16, BF16, F64 and integer types are converted (BOOL gives 0 or 1). */
  float[] readFloats(String key);

  /** The tensor as float64; every type is converted exactly. */
  double[] readDoubles(String key);

  /**
   * The tensor as int64; integer and BOOL types are widened. Floating-point tensors are rejected
   * with {@link IllegalArgumentException}: truncating weights silently is never what a caller wants.
   */
  long[] readLongs(String key);

  /** The tensor's raw bytes: contiguous, row-major, little-endian, {@code numel * dtype size} long. */
  byte[] readBytes(String key);

  @Override
  void close();
}
