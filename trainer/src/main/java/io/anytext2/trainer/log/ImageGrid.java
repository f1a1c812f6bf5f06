package io.anytext2.trainer.log;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Image grids for the training image log (TRAINING.md §3.8): tiles in rows of {@value #COLUMNS}
 * (torchvision {@code make_grid(nrow=4)}, 2 px padding), each with an optional caption under it
 * (e.g. the prompt or the line texts), saved as PNG under {@code <outputDir>/image_log/train/}.
 */
public final class ImageGrid {
  /** Tiles per row, as the original's image logger. */
  public static final int COLUMNS = 4;
  /** Gap around and between tiles in pixels, as {@code make_grid}'s default padding. */
  public static final int PADDING = 2;
  /** Most caption lines under a tile; longer captions end in "…". */
  public static final int MAX_CAPTION_LINES = 4;

  private ImageGrid() {}

  /**
   * Composes the tiles row by row, {@link #COLUMNS} per row, on a white background. Cells are as
   * large as the largest tile; when captions are given (one per tile, may be empty or null) each row
   * gets a caption band under its tiles, text wrapped to the cell width, as tall as the longest
   * caption needs (at most {@link #MAX_CAPTION_LINES} lines).
   *
   * @param captions null or empty for no captions, else exactly one per tile
   */
  public static BufferedImage compose(List<RgbImage> tiles, List<String> captions) {
    if (tiles == null || tiles.isEmpty()) {
      throw new IllegalArgumentException("expected at least one tile, found none");
    }
    boolean captioned = captions != null && !captions.isEmpty();
    if (captioned && captions.size() != tiles.size()) {
      throw new IllegalArgumentException(
          "expected one caption per tile (" + tiles.size() + "), found " + captions.size());
    }
    int cellW = tiles.stream().mapToInt(RgbImage::width).max().orElseThrow();
    int cellH = tiles.stream().mapToInt(RgbImage::height).max().orElseThrow();
    int columns = Math.min(COLUMNS, tiles.size());
    int rows = (tiles.size() + COLUMNS - 1) / COLUMNS;
    TextPainter text = new TextPainter(Math.max(12, cellW / 32));
    List<List<String>> lines = new ArrayList<>();
    int maxLines = 0;
    for (int i = 0; i < tiles.size(); i++) {
      String caption = captioned && captions.get(i) != null ? captions.get(i) : "";
      lines.add(text.wrap(caption, cellW - PADDING, MAX_CAPTION_LINES));
      maxLines = Math.max(maxLines, lines.get(i).size());
    }
    int captionH = maxLines > 0 ? maxLines * text.lineHeight() + 2 * PADDING : 0;
    int rowH = cellH + captionH + PADDING;
    BufferedImage grid = new BufferedImage(
        PADDING + columns * (cellW + PADDING), PADDING + rows * rowH, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = grid.createGraphics();
    try {
      TextPainter.prepare(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      for (int i = 0; i < tiles.size(); i++) {
        int x = PADDING + (i % COLUMNS) * (cellW + PADDING);
        int y = PADDING + (i / COLUMNS) * rowH;
        g.drawImage(tiles.get(i).toBufferedImage(), x, y, null);
        g.setColor(Color.BLACK);
        int baseline = y + cellH + PADDING + text.ascent();
        for (String line : lines.get(i)) {
          text.draw(g, line, x, baseline);
          baseline += text.lineHeight();
        }
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  /**
   * The original's file name: {@code {key}_gs-{global_step:06}_e-{epoch:06}_b-{batch_idx:06}.png}
   * (e.g. {@code samples_cfg_scale_9.00_gs-001000_e-000001_b-000000.png}).
   */
  public static String fileName(String key, long globalStep, long epoch, long batchIdx) {
    if (key == null || key.isBlank() || key.contains("/") || key.contains("\\")) {
      throw new IllegalArgumentException("expected an image key without path separators, found \"" + key + "\"");
    }
    if (globalStep < 0 || epoch < 0 || batchIdx < 0) {
      throw new IllegalArgumentException("expected non-negative step/epoch/batch, found "
          + globalStep + "/" + epoch + "/" + batchIdx);
    }
    return String.format(Locale.ROOT, "%s_gs-%06d_e-%06d_b-%06d.png", key, globalStep, epoch, batchIdx);
  }

  /** {@code <outputDir>/image_log/train}, where the grids go. */
  public static Path trainDir(Path outputDir) {
    return outputDir.resolve("image_log").resolve("train");
  }

  /**
   * Composes the grid and writes it to {@code trainDir(outputDir)/fileName(...)} (folders created,
   * file replaced atomically). Returns the written file.
   */
  public static Path save(Path outputDir, String key, long globalStep, long epoch, long batchIdx,
      List<RgbImage> tiles, List<String> captions) {
    Path file = trainDir(outputDir).resolve(fileName(key, globalStep, epoch, batchIdx));
    writePng(compose(tiles, captions), file);
    return file;
  }

  /**
   * Empties {@code trainDir(outputDir)} (the original wipes its image folder when training starts).
   * Only PNG files are deleted; the folder is created when absent.
   */
  public static void clear(Path outputDir) {
    Path dir = trainDir(outputDir);
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".png")) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  /** PNG bytes of an image. */
  public static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer is installed in ImageIO");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
    return out.toByteArray();
  }

  /** Writes an image as PNG: to a temporary sibling first, then renamed over {@code file}. */
  public static void writePng(BufferedImage image, Path file) {
    try {
      AtomicFiles.write(file, encodePng(image));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
