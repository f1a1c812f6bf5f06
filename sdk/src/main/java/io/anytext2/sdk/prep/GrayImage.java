package io.anytext2.sdk.prep;

import java.util.Arrays;

/**
 * An 8-bit single-channel image (0..255), row-major: a brush mask with soft edges, a grey picture,
 * a threshold result. Immutable: copies in and out.
 */
public record GrayImage(int width, int height, byte[] values) {

  public GrayImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "expected a positive image size, found " + width + "x" + height);
    }
    if (values.length != width * height) {
      throw new IllegalArgumentException(
          "expected " + width * height + " values, found " + values.length);
    }
    values = values.clone();
  }

  /** A mask as 0/255. */
  public static GrayImage of(Mask mask) {
    return new GrayImage(mask.width(), mask.height(), mask.to255());
  }

  @Override
  public byte[] values() {
    return values.clone();
  }

  public int get(int x, int y) {
    return values[y * width + x] & 255;
  }

  /** Pixels strictly above a threshold (OpenCV's {@code THRESH_BINARY} test). */
  public Mask above(int threshold) {
    byte[] bits = new byte[values.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = (values[i] & 255) > threshold ? (byte) 1 : 0;
    }
    return Mask.wrap(width, height, bits);
  }

  /** Direct read access for this package (never modified). */
  byte[] raw() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrayImage g
        && g.width == width
        && g.height == height
        && Arrays.equals(g.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }
}
