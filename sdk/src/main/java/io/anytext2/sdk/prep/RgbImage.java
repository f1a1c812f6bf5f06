package io.anytext2.sdk.prep;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB picture, {@code height} rows of {@code width} pixels, stored row-major and
 * interleaved (HWC, the layout numpy arrays in the original code use). Immutable: copies in and
 * out.
 */
public record RgbImage(int width, int height, byte[] pixels) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "expected a positive image size, found " + width + "x" + height);
    }
    if (pixels.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + width * height * 3 + " RGB bytes, found " + pixels.length);
    }
    pixels = pixels.clone();
  }

  /** An all-black image. */
  public static RgbImage black(int width, int height) {
    return new RgbImage(width, height, new byte[width * height * 3]);
  }

  /** Reads a PNG/JPEG/... file with ImageIO; alpha is dropped, grey is replicated to RGB. */
  public static RgbImage read(Path file) {
    try {
      BufferedImage img = ImageIO.read(Files.newInputStream(file));
      if (img == null) {
        throw new IllegalArgumentException("expected a readable image file, found " + file);
      }
      return fromBufferedImage(img);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + file, e);
    }
  }

  /** Converts any Java2D image (colour-managed to sRGB by {@code getRGB}). */
  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (byte) (argb[i] >> 16);
      out[3 * i + 1] = (byte) (argb[i] >> 8);
      out[3 * i + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, out);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[width * height];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] =
          (pixels[3 * i] & 255) << 16 | (pixels[3 * i + 1] & 255) << 8 | pixels[3 * i + 2] & 255;
    }
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }

  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  /** Channel c (0 = R) of the pixel at column x, row y, 0..255. */
  public int get(int x, int y, int c) {
    return pixels[(y * width + x) * 3 + c] & 255;
  }

  /** One channel as 0..255 ints, row-major. */
  public int[] channel(int c) {
    if (c < 0 || c > 2) {
      throw new IllegalArgumentException("expected channel 0..2, found " + c);
    }
    int[] out = new int[width * height];
    for (int i = 0; i < out.length; i++) {
      out[i] = pixels[3 * i + c] & 255;
    }
    return out;
  }

  /** The image with channel order reversed (RGB to BGR, as the demo hands mimic images over). */
  public RgbImage reversedChannels() {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < out.length; i += 3) {
      out[i] = pixels[i + 2];
      out[i + 1] = pixels[i + 1];
      out[i + 2] = pixels[i];
    }
    return new RgbImage(width, height, out);
  }

  /** Per-pixel {@code 255 - value}: turns "black strokes on white" into "white = text area". */
  public RgbImage inverted() {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (255 - (pixels[i] & 255));
    }
    return new RgbImage(width, height, out);
  }

  /** PSNR against {@code other} (same size) in dB over all channels; infinite when identical. */
  public double psnr(RgbImage other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException("expected equal image sizes, found " + width + "x" + height + " and " + other.width + "x" + other.height);
    }
    double se = 0;
    for (int i = 0; i < pixels.length; i++) {
      int d = (pixels[i] & 255) - (other.pixels[i] & 255);
      se += d * d;
    }
    double mse = se / pixels.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /** Direct read access for this package (never modified). */
  byte[] raw() {
    return pixels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage r
        && r.width == width
        && r.height == height
        && Arrays.equals(r.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
