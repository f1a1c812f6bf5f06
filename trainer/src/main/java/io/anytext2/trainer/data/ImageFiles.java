package io.anytext2.trainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes PNG (lossless, fast deflate) or JPEG (quality 0.95) files. */
final class ImageFiles {

  private static final float JPEG_QUALITY = 0.95f;
  /** PNG "quality" selects the deflate effort (lossless either way): 0.75 is a low, fast level. */
  private static final float PNG_SPEED = 0.75f;

  private ImageFiles() {}

  static void write(BufferedImage img, Path file, SyntheticAnyWord.Format format) {
    try {
      boolean png = format == SyntheticAnyWord.Format.PNG;
      Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(png ? "png" : "jpeg");
      if (!writers.hasNext()) {
        throw new IllegalStateException("no " + format + " writer available");
      }
      ImageWriter writer = writers.next();
      Files.deleteIfExists(file);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(png ? PNG_SPEED : JPEG_QUALITY);
        writer.write(null, new IIOImage(img, null, null), param);
      } finally {
        writer.dispose();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image " + file + ": " + e.getMessage(), e);
    }
  }
}
