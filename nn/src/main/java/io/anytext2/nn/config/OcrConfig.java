package io.anytext2.nn.config;

/**
 * Shape of the PP-OCRv3 recognizer (MODEL.md §3.4). The YAML does not describe it; the official
 * model uses backbone scale 0.5 and 6625 classes, the parity fixture scale 0.25 and 97 classes, so
 * the exporter derives it from the checkpoint's tensor shapes ({@link #fromShapes}).
 *
 * @param firstConvChannels output channels of {@code backbone.conv1} (= 32 × scale; 16 official)
 * @param numClasses CTC classes (blank + dictionary + space)
 */
public record OcrConfig(
    int firstConvChannels, int neckDims, int neckDepth, int neckHidden, int neckHeads, int numClasses) {

  public static final int INPUT_HEIGHT = 48;
  public static final int INPUT_WIDTH = 320;
  /** Time steps of the neck output (input width / 8). */
  public static final int STEPS = 40;

  public static OcrConfig official() {
    return new OcrConfig(16, 64, 2, 120, 8, 6625);
  }

  /** Backbone scale (0.5 official). */
  public double scale() {
    return firstConvChannels / 32.0;
  }

  /** Channels after a backbone stage whose scale-1 width is {@code base}: int(base × scale). */
  public int scaled(int base) {
    return (int) (base * scale());
  }

  /**
   * Derives the recognizer from two checkpoint shapes: {@code backbone.conv1._conv.weight}'s first
   * dimension and the CTC head's {@code fc.weight} first dimension.
   */
  public static OcrConfig fromShapes(long conv1Out, long headClasses) {
    OcrConfig d = official();
    return new OcrConfig((int) conv1Out, d.neckDims(), d.neckDepth(), d.neckHidden(), d.neckHeads(), (int) headClasses);
  }
}
