package io.anytext2.trainer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
  @TempDir Path dir;

  private static RgbImage solid(int w, int h, int rgb) {
    byte[] b = new byte[3 * w * h];
    for (int i = 0; i < w * h; i++) {
      b[3 * i] = (byte) (rgb >> 16);
      b[3 * i + 1] = (byte) (rgb >> 8);
      b[3 * i + 2] = (byte) rgb;
    }
    return new RgbImage(w, h, b);
  }

  @Test
  void fileNameFollowsTheOriginalPattern() {
    assertEquals("samples_cfg_scale_9.00_gs-001000_e-000001_b-000000.png",
        ImageGrid.fileName("samples_cfg_scale_9.00", 1000, 1, 0));
    assertEquals("reconstruction_gs-1234567_e-000012_b-003000.png", ImageGrid.fileName("reconstruction", 1234567, 12, 3000));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.fileName("a/b", 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.fileName("a", -1, 0, 0));
  }

  @Test
  void tilesGoFourPerRowWithTwoPixelPadding() {
    int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff};
    List<RgbImage> tiles = new ArrayList<>();
    for (int c : colours) {
      tiles.add(solid(10, 8, c));
    }
    BufferedImage grid = ImageGrid.compose(tiles, null);
    assertEquals(2 + 4 * 12, grid.getWidth());
    assertEquals(2 + 2 * (8 + 2), grid.getHeight());
    assertEquals(0xffffff, grid.getRGB(0, 0) & 0xffffff, "padding");
    assertEquals(0xff0000, grid.getRGB(2, 2) & 0xffffff);
    assertEquals(0x00ff00, grid.getRGB(14, 2) & 0xffffff);
    assertEquals(0xffff00, grid.getRGB(2 + 3 * 12 + 9, 2 + 7) & 0xffffff);
    assertEquals(0x00ffff, grid.getRGB(2, 12) & 0xffffff, "fifth tile starts the second row");
    assertEquals(0xffffff, grid.getRGB(14, 12) & 0xffffff, "no sixth tile");
  }

  @Test
  void captionsAreDrawnUnderTheirTile() {
    List<RgbImage> tiles = List.of(solid(256, 64, 0x808080), solid(256, 64, 0x808080));
    BufferedImage grid = ImageGrid.compose(tiles, List.of("A photo of a BAKERY sign", ""));
    assertTrue(grid.getHeight() > 2 + 64 + 2);
    assertTrue(dark(grid, 2, 2 + 64 + 2, 256, grid.getHeight() - 2) > 20, "text under the first tile");
    assertEquals(0, dark(grid, 2 + 256 + 2, 2 + 64 + 2, 256, grid.getHeight() - 2), "the empty caption draws nothing");
  }

  @Test
  void longCaptionsWrapAndCjkUsesTheFallbackFace() throws Exception {
    String latin = "Text says \"BAKERY\" , \"OPEN\" . A shop front with a wooden sign above the door, warm evening light";
    String cjk = "一个写着“面包”的招牌 , 红色的字 , 木质背景 , 温暖的灯光";
    List<RgbImage> tiles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tiles.add(RgbImage.fromSigned(gradient(128, 128), 3, 128, 128, true));
    }
    BufferedImage grid = ImageGrid.compose(tiles, List.of(latin, cjk, "short", latin + " " + latin + " " + latin));
    TextPainter painter = new TextPainter(12);
    assertTrue(painter.wrap(latin, 128, 4).size() > 1, "wrapped");
    assertTrue(painter.wrap(latin + latin + latin, 128, 4).get(3).endsWith("…"), "cut off with an ellipsis");
    // no caption spills into the padding columns between tiles
    int band = 2 + 128 + 2;
    for (int gap : new int[] {130, 260, 390}) {
      assertEquals(0, dark(grid, gap, band, 2, grid.getHeight() - band), "ink in the gap at x=" + gap);
    }
    // a CJK glyph drawn with the fallback face has ink; an undrawable one would be a hollow box or nothing
    assertTrue(dark(grid, 2 + 130, 2 + 128 + 2, 128, 20) > 30);
    Path keep = Path.of(System.getProperty("anytext2.plot.out", ""));
    if (!keep.toString().isEmpty()) { // for looking at the picture: -Danytext2.plot.out=/tmp/plots
      Files.createDirectories(keep);
      ImageIO.write(grid, "png", keep.resolve("grid.png").toFile());
    }
  }

  @Test
  void saveWritesUnderImageLogTrainAndClearEmptiesIt() throws Exception {
    Path file = ImageGrid.save(dir, "control", 50, 0, 1000, List.of(solid(4, 4, 0x123456)), List.of());
    assertEquals(dir.resolve("image_log/train/control_gs-000050_e-000000_b-001000.png"), file);
    BufferedImage read = ImageIO.read(file.toFile());
    assertEquals(0x123456, read.getRGB(3, 3) & 0xffffff);
    Path other = dir.resolve("image_log/train/notes.txt");
    Files.writeString(other, "kept");
    ImageGrid.clear(dir);
    assertFalse(Files.exists(file));
    assertTrue(Files.exists(other), "only PNG files are removed");
    try (var files = Files.list(dir.resolve("image_log/train"))) {
      assertEquals(List.of(other), files.toList());
    }
  }

  @Test
  void signedFloatsMapAsTheOriginalLoggerDoes() {
    // (x+1)/2*255 truncated, clamped to [-1,1]; NaN -> 0
    float[] chw = {-1f, 0f, 1f, 2f, // R plane (2x2)
      -2f, 0.5f, -0.5f, Float.NaN, // G plane
      0.99f, -0.99f, 0.001f, -0.001f}; // B plane
    RgbImage image = RgbImage.fromSigned(chw, 3, 2, 2, true);
    assertArrayEquals(new byte[] {
      0, 0, (byte) 253, // (-1, -2, 0.99)
      127, (byte) 191, 1, // (0, 0.5, -0.99)
      (byte) 255, 63, 127, // (1, -0.5, 0.001)
      (byte) 255, 0, 127}, // (2, NaN, -0.001)
        image.hwc());
    float[] hwc = {-1f, 0f, 1f, 1f, 0f, -1f, 0f, 0f, 0f, 1f, 1f, 1f};
    assertArrayEquals(new byte[] {0, 127, (byte) 255, (byte) 255, 127, 0, 127, 127, 127, (byte) 255, (byte) 255, (byte) 255},
        RgbImage.fromSigned(hwc, 3, 2, 2, false).hwc());
    RgbImage grey = RgbImage.fromSigned(new float[] {-1f, 1f}, 1, 1, 2, true);
    assertArrayEquals(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}, grey.hwc());
  }

  @Test
  void rgbImagesRoundTripThroughBufferedImage() {
    RgbImage image = RgbImage.fromSigned(gradient(5, 3), 3, 3, 5, true);
    RgbImage back = RgbImage.of(image.toBufferedImage());
    assertArrayEquals(image.hwc(), back.hwc());
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
    assertThrows(IllegalArgumentException.class, () -> RgbImage.fromSigned(new float[12], 2, 2, 3, true));
    assertThrows(IllegalArgumentException.class, () -> RgbImage.fromSigned(new float[11], 3, 2, 2, true));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.compose(List.of(), null));
    assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.compose(List.of(solid(2, 2, 0)), List.of("a", "b")));
  }

  /** A CHW image in [-1, 1]: red rises left to right, green top to bottom, blue constant. */
  private static float[] gradient(int w, int h) {
    float[] v = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = 2f * x / Math.max(1, w - 1) - 1;
        v[w * h + y * w + x] = 2f * y / Math.max(1, h - 1) - 1;
        v[2 * w * h + y * w + x] = 0.2f;
      }
    }
    return v;
  }

  private static int dark(BufferedImage image, int x0, int y0, int w, int h) {
    int n = 0;
    for (int y = y0; y < Math.min(image.getHeight(), y0 + h); y++) {
      for (int x = x0; x < Math.min(image.getWidth(), x0 + w); x++) {
        int rgb = image.getRGB(x, y);
        int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
        n += lum < 200 ? 1 : 0;
      }
    }
    return n;
  }
}
