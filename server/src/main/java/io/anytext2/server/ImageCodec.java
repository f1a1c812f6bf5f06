package io.anytext2.server;

import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Pictures in and out of the service: base64 / bytes to {@link RgbImage} with a pixel cap, and PNG encoding. */
final class ImageCodec {
  static {
    ImageFiles.formatOf(java.nio.file.Path.of("x.png")); // loads ImageFiles, whose initialiser registers the TwelveMonkeys readers
  }

  private ImageCodec() {}

  /** The bytes of inline picture data: plain base64 or a {@code data:image/...;base64,} URL. */
  static byte[] base64(String value, String field) {
    String v = value.strip();
    if (v.startsWith("data:")) {
      int comma = v.indexOf(',');
      if (comma < 0 || !v.substring(0, comma).endsWith(";base64")) {
        throw ApiException.badRequest(field + ": expected a data URL with ;base64, found '" + preview(v) + "'");
      }
      v = v.substring(comma + 1);
    }
    try {
      // the basic decoder after dropping line breaks: the MIME decoder would silently skip any stray character
      byte[] data = Base64.getDecoder().decode(v.replaceAll("[\\r\\n\\t ]", ""));
      if (data.length == 0) throw ApiException.badRequest(field + ": the base64 picture data is empty");
      return data;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(field + ": expected base64 picture data (files are not read by the service), found '"
          + preview(v) + "'");
    }
  }

  /**
   * Decodes a picture, reading its size from the header first so that a small file claiming a huge
   * picture is refused before any pixel is decoded.
   */
  static RgbImage decode(byte[] data, String field, long maxPixels) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw ApiException.badRequest(field + ": not a picture in a known format (PNG, JPEG, WebP, BMP, GIF), " + data.length + " bytes");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > maxPixels) {
          throw new ApiException(413, field + " is " + w + "x" + h + " = " + w * h + " pixels; this service takes at most " + maxPixels);
        }
        if (w < 8 || h < 8) throw ApiException.badRequest(field + " is only " + w + "x" + h + " pixels");
        BufferedImage img = reader.read(0);
        return RgbImage.fromBufferedImage(img);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException a) throw a;
      throw ApiException.badRequest(field + ": not a readable picture (" + JobQueue.oneLine(e) + ")");
    }
  }

  static byte[] png(RgbImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(img.width() * img.height());
    try {
      if (!ImageIO.write(img.toBufferedImage(), "png", out)) throw new IllegalStateException("no PNG writer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String preview(String v) {
    return v.length() <= 24 ? v : v.substring(0, 24) + "…";
  }
}
