package io.anytext2.sdk.io;

import io.anytext2.sdk.prep.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reading and writing pictures. Reading goes through ImageIO with the TwelveMonkeys plugins on the
 * class path (PNG, JPEG incl. CMYK, WebP, BMP, GIF …); writing supports PNG and JPEG, chosen by the
 * file extension, atomically (temp file + rename).
 */
public final class ImageFiles {
  private ImageFiles() {}

  static {
    ImageIO.scanForPlugins();
  }

  /** Reads a picture; a clear IllegalArgumentException for missing, unreadable or corrupt files. */
  public static RgbImage read(Path file, String what) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(what + " " + file + " does not exist");
    BufferedImage img;
    try (InputStream in = Files.newInputStream(file)) {
      img = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(what + " " + file + " is not a readable image (" + e.getMessage() + ")");
    }
    if (img == null) throw new IllegalArgumentException(what + " " + file + " is not a readable image (unknown or corrupt format)");
    if (img.getWidth() < 8 || img.getHeight() < 8) {
      throw new IllegalArgumentException(what + " " + file + " is only " + img.getWidth() + "x" + img.getHeight() + " pixels");
    }
    return RgbImage.fromBufferedImage(img);
  }

  /** The format a file name asks for: "png" or "jpeg"; anything else is an error. */
  public static String formatOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".png")) return "png";
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "jpeg";
    throw new IllegalArgumentException("output " + file + ": use a .png, .jpg or .jpeg file name");
  }

  static void readableByAll(Path p) {
    try {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the default permissions stay
    }
  }

  /** Writes {@code img} as PNG or JPEG (quality 0.95) by extension, replacing the file atomically. */
  public static void write(RgbImage img, Path file) throws IOException {
    String format = formatOf(file);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      readableByAll(tmp); // temp files are created owner-only; a written picture is an ordinary file
      BufferedImage bi = img.toBufferedImage();
      ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
        w.setOutput(out);
        ImageWriteParam p = w.getDefaultWriteParam();
        if (format.equals("jpeg")) {
          p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          p.setCompressionQuality(0.95f);
        }
        w.write(null, new IIOImage(bi, null, null), p);
      } finally {
        w.dispose();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
