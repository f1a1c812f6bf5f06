package io.anytext2.sdk.prep;

import java.util.Arrays;

/**
 * A binary mask of {@code height} rows by {@code width} columns, stored row-major with one byte per
 * pixel holding 0 or 1. Instances are immutable: the constructor and {@link #data()} copy.
 */
public record Mask(int width, int height, byte[] data) {

  public Mask {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "expected a positive mask size, found " + width + "x" + height);
    }
    if (data.length != width * height) {
      throw new IllegalArgumentException(
          "expected " + width * height + " mask values, found " + data.length);
    }
    data = data.clone();
    for (int i = 0; i < data.length; i++) {
      if (data[i] != 0 && data[i] != 1) {
        throw new IllegalArgumentException("expected mask values 0 or 1, found " + data[i]);
      }
    }
  }

  /** An all-zero mask. */
  public static Mask empty(int width, int height) {
    return new Mask(width, height, new byte[width * height]);
  }

  /** A mask that is 1 where {@code values[i] > threshold}; {@code values} is row-major. */
  public static Mask fromThreshold(int width, int height, float[] values, float threshold) {
    byte[] bits = new byte[width * height];
    if (values.length != bits.length) {
      throw new IllegalArgumentException(
          "expected " + bits.length + " values, found " + values.length);
    }
    for (int i = 0; i < bits.length; i++) {
      bits[i] = values[i] > threshold ? (byte) 1 : 0;
    }
    return new Mask(width, height, bits);
  }

  /** Builds a mask from an array this package created (copied once by the constructor). */
  static Mask wrap(int width, int height, byte[] bits) {
    return new Mask(width, height, bits);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The value at column x, row y (0 or 1). */
  public int get(int x, int y) {
    return data[y * width + x];
  }

  /** Number of pixels that are 1. */
  public int count() {
    int n = 0;
    for (byte b : data) {
      n += b;
    }
    return n;
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /** Pixel-wise OR with a mask of the same size. */
  public Mask or(Mask other) {
    requireSameSize(other);
    byte[] out = new byte[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (data[i] | other.data[i]);
    }
    return wrap(width, height, out);
  }

  /** Intersection over union with a mask of the same size (1 when both are empty). */
  public double iou(Mask other) {
    requireSameSize(other);
    int inter = 0;
    int union = 0;
    for (int i = 0; i < data.length; i++) {
      inter += data[i] & other.data[i];
      union += data[i] | other.data[i];
    }
    return union == 0 ? 1.0 : (double) inter / union;
  }

  /** The mask as 0/1 floats, row-major ({@code [H, W]}, i.e. one channel of a tensor). */
  public float[] toFloats() {
    float[] out = new float[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i];
    }
    return out;
  }

  /** Bytes 0/255 (the uint8 form OpenCV-based code passes around). */
  byte[] to255() {
    byte[] out = new byte[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i] != 0 ? (byte) 255 : 0;
    }
    return out;
  }

  /** Direct read access for this package (never modified). */
  byte[] bits() {
    return data;
  }

  private void requireSameSize(Mask other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException(
          "expected a "
              + width
              + "x"
              + height
              + " mask, found "
              + other.width
              + "x"
              + other.height);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mask m
        && m.width == width
        && m.height == height
        && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Mask[" + width + "x" + height + ", " + count() + " set]";
  }
}
