package io.anytext2.exporter.onnx;

import java.nio.file.Path;

/**
 * Where initializer bytes go. ONNX keeps tensors either inline in the ModelProto (which protobuf
 * limits to 2 GB) or in an external data file next to the model ({@code <model>.onnx.data}). Large
 * tensors are streamed to a scratch file in {@code scratchDir} as soon as they are loaded, so a
 * model is never held in memory as a whole; {@link OnnxOps#save} moves that file next to the model
 * (a rename when both are on one file system, so pass the output directory for big models).
 *
 * @param placement inline, external, or automatic
 * @param autoThresholdBytes for AUTO: weights stay inline until their total exceeds this, then all
 *     of them (earlier ones included) go to the external file
 * @param scratchDir where the external data file is written before {@code save}
 */
public record WeightStorage(Placement placement, long autoThresholdBytes, Path scratchDir) {

  /** Default AUTO threshold: beyond ~100 MB of weights, inline models get unwieldy. */
  public static final long DEFAULT_AUTO_THRESHOLD = 100L << 20;

  /** How initializers are placed. */
  public enum Placement {
    /** Inline until the weights exceed {@code autoThresholdBytes}, external from then on. */
    AUTO,
    /** Always inline (fails beyond the 2 GB protobuf limit). */
    INLINE,
    /** Always external. */
    EXTERNAL
  }

  public WeightStorage {
    if (placement == null) throw new IllegalArgumentException("expected a placement, found null");
    if (autoThresholdBytes < 0) {
      throw new IllegalArgumentException(
          "expected autoThresholdBytes >= 0, found " + autoThresholdBytes);
    }
    if (scratchDir == null) scratchDir = Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** AUTO with the default threshold, scratch data in the system temporary directory. */
  public static WeightStorage auto() {
    return new WeightStorage(Placement.AUTO, DEFAULT_AUTO_THRESHOLD, null);
  }

  /** Forced external ({@code true}) or forced inline ({@code false}). */
  public static WeightStorage externalData(boolean external) {
    return new WeightStorage(
        external ? Placement.EXTERNAL : Placement.INLINE, DEFAULT_AUTO_THRESHOLD, null);
  }

  /**
   * The same policy with the scratch file written in {@code dir} (ideally the output directory).
   */
  public WeightStorage withScratchDir(Path dir) {
    return new WeightStorage(placement, autoThresholdBytes, dir);
  }
}
