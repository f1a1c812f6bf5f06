package io.anytext2.sdk.prep;

import java.util.Arrays;

/**
 * A float image in tensor layout: {@code channels} planes of {@code height} rows by {@code width}
 * columns (CHW, row-major), the layout of one batch item of an NCHW tensor. Immutable: copies in
 * and out.
 */
public record FloatImage(int channels, int height, int width, float[] data) {

  public FloatImage {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "expected positive sizes, found [" + channels + ", " + height + ", " + width + "]");
    }
    if (data.length != channels * height * width) {
      throw new IllegalArgumentException(
          "expected " + channels * height * width + " values, found " + data.length);
    }
    data = data.clone();
  }

  public static FloatImage zeros(int channels, int height, int width) {
    return new FloatImage(channels, height, width, new float[channels * height * width]);
  }

  /** A one-channel image holding a mask as 0/1. */
  public static FloatImage of(Mask mask) {
    return new FloatImage(1, mask.height(), mask.width(), mask.toFloats());
  }

  @Override
  public float[] data() {
    return data.clone();
  }

  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }

  /** The tensor shape {@code [C, H, W]}. */
  public long[] shape() {
    return new long[] {channels, height, width};
  }

  /** Largest absolute difference to an image of the same shape. */
  public double maxAbsDiff(FloatImage other) {
    if (other.channels != channels || other.height != height || other.width != width) {
      throw new IllegalArgumentException(
          "expected shape "
              + Arrays.toString(shape())
              + ", found "
              + Arrays.toString(other.shape()));
    }
    double max = 0;
    for (int i = 0; i < data.length; i++) {
      max = Math.max(max, Math.abs(data[i] - other.data[i]));
    }
    return max;
  }

  /** Direct read access for this package (never modified). */
  float[] raw() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatImage f
        && f.channels == channels
        && f.height == height
        && f.width == width
        && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape()) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatImage" + Arrays.toString(shape());
  }
}
