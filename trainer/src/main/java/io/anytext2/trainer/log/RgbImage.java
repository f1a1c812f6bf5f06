package io.anytext2.trainer.log;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * An 8-bit RGB image: {@code height * width * 3} bytes in row-major HWC order (R, G, B per
 * pixel, unsigned). The array is kept, not copied: callers hand it over.
 */
public record RgbImage(int width, int height, byte[] hwc) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("expected a positive image size, found " + width + "x" + height);
    }
    long expected = 3L * width * height;
    if (hwc == null || hwc.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " RGB bytes for " + width + "x" + height
          + ", found " + (hwc == null ? "null" : hwc.length));
    }
  }

  /**
   * Converts a float image in [-1, 1] (the model's image range, e.g. a decoded latent or {@code
   * hint*2-1}) as the original image logger does (TRAINING.md §3.8): clamp to [-1, 1], map to
   * {@code (x+1)/2*255} and truncate to uint8; NaN becomes 0. One channel is repeated to grey RGB.
   *
   * @param values {@code channels*height*width} floats, CHW when {@code channelsFirst}, else HWC
   * @param channels 1 or 3
   */
  public static RgbImage fromSigned(float[] values, int channels, int height, int width, boolean channelsFirst) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("expected 1 or 3 channels, found " + channels);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("expected a positive image size, found " + width + "x" + height);
    }
    long expected = (long) channels * width * height;
    if (values == null || values.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " floats for " + channels + "x" + height + "x"
          + width + ", found " + (values == null ? "null" : values.length));
    }
    int plane = width * height;
    byte[] out = new byte[3 * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        int src = channels == 1 ? p : channelsFirst ? c * plane + p : p * 3 + c;
        out[3 * p + c] = (byte) toByte(values[src]);
      }
    }
    return new RgbImage(width, height, out);
  }

  private static int toByte(float v) {
    if (Float.isNaN(v)) {
      return 0;
    }
    float clamped = Math.max(-1f, Math.min(1f, v));
    return (int) ((clamped + 1f) / 2f * 255f);
  }

  /** A fresh TYPE_3BYTE_BGR image with these pixels. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < bgr.length; i += 3) {
      bgr[i] = hwc[i + 2];
      bgr[i + 1] = hwc[i + 1];
      bgr[i + 2] = hwc[i];
    }
    return image;
  }

  /** The pixels of any BufferedImage as RGB bytes (alpha is dropped). */
  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[3 * w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        out[i] = (byte) (row[x] >> 16);
        out[i + 1] = (byte) (row[x] >> 8);
        out[i + 2] = (byte) row[x];
      }
    }
    return new RgbImage(w, h, out);
  }
}
