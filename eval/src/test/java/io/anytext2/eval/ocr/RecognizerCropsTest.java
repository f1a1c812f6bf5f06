package io.anytext2.eval.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.sdk.prep.RgbImage;
import org.junit.jupiter.api.Test;

class RecognizerCropsTest {

  /** A 128x128 picture: dark grey, with a box (x 20..99, y 40..59) coloured (r, g, b). */
  static RgbImage picture(int r, int g, int b) {
    return picture(20, 40, 100, 60, r, g, b);
  }

  /** A 128x128 picture: dark grey, with the box [x0, x1) x [y0, y1) coloured (r, g, b). */
  static RgbImage picture(int x0, int y0, int x1, int y1, int r, int g, int b) {
    byte[] px = new byte[128 * 128 * 3];
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
        int i = 3 * (y * 128 + x);
        px[i] = (byte) (in ? r : 30);
        px[i + 1] = (byte) (in ? g : 30);
        px[i + 2] = (byte) (in ? b : 30);
      }
    }
    return new RgbImage(128, 128, px);
  }

  @Test
  void axisAlignedBoxIsCroppedInBgrAndPaddedWithZero() {
    FloatImage chw = RecognizerCrops.toChw(picture(200, 100, 10), RecognizerCrops.ChannelOrder.BGR);
    assertEquals(10, chw.get(0, 50, 50), 0, "channel 0 is blue");
    assertEquals(200, chw.get(2, 50, 50), 0, "channel 2 is red");
    FloatImage crop = RecognizerCrops.crop(chw, Polygon.of(20, 40, 99, 40, 99, 59, 20, 59));
    // min-area rectangle of the filled box: corners (20,40)..(99,59) → 79 x 19
    assertEquals(79, crop.width());
    assertEquals(19, crop.height());
    // away from the border the crop is the box colour (the §3.5.3 0.2 % scale quirk moves samples by < 1 px)
    assertEquals(10, crop.get(0, 9, 40), 1e-3);
    assertEquals(100, crop.get(1, 9, 40), 1e-3);
    assertEquals(200, crop.get(2, 9, 40), 1e-3);

    FloatImage in = RecognizerCrops.recognizerInput(crop);
    assertEquals(3, in.channels());
    assertEquals(48, in.height());
    assertEquals(320, in.width());
    int used = (int) Math.ceil(48 * 79 / 19.0); // 200 columns of text, the rest padding
    assertEquals((10 / 255f - 0.5f) / 0.5f, in.get(0, 24, 100), 1e-4);
    assertEquals((200 / 255f - 0.5f) / 0.5f, in.get(2, 24, 100), 1e-4);
    assertEquals(0f, in.get(0, 24, used), 0, "PP-OCR padding: 0 after the normalisation, not black (-1)");
    assertEquals(0f, in.get(2, 47, 319), 0);
    assertTrue(in.get(2, 24, used - 1) > 0.5f);
  }

  @Test
  void tallCropsAreTurnedAndRgbOrderIsAvailable() {
    FloatImage chw = RecognizerCrops.toChw(picture(30, 10, 40, 70, 200, 100, 10), RecognizerCrops.ChannelOrder.RGB);
    assertEquals(200, chw.get(0, 50, 35), 0);
    // a tall box, 10 wide and 60 high: turned 90° counter-clockwise, so the text fills 48·h/w columns (not 48·w/h)
    FloatImage crop = RecognizerCrops.crop(chw, Polygon.of(30, 10, 39, 10, 39, 69, 30, 69));
    assertTrue(crop.height() > crop.width() * 1.2);
    FloatImage in = RecognizerCrops.recognizerInput(crop);
    int used = (int) Math.ceil(48 * crop.height() / (double) crop.width());
    assertTrue(used > 200 && used < 320, "rotated width " + used);
    assertEquals(0f, in.get(0, 10, used), 0);
    assertEquals((200 / 255f - 0.5f) / 0.5f, in.get(0, 24, used / 2), 1e-3, "red box in channel 0");
  }

  /**
   * The evaluation feeds the judge exactly what it was trained on: the trainer's recognizer crops
   * ({@code RecognizerCrop}, checked against {@link RecognizerInput#prepare} in the trainer) — the same
   * resize, normalisation and zero padding, bit for bit — for a wide, a short and a tall line. The
   * evaluation's earlier black (−1) padding failed this; it halved the judge's reading of its own
   * training crops.
   */
  @Test
  void recognizerInputIsTheInputTheRecognizerWasTrainedOn() {
    int[][] boxes = {{20, 40, 100, 60}, {50, 50, 70, 80}, {30, 10, 40, 70}};
    for (int[] b : boxes) {
      FloatImage chw = RecognizerCrops.toChw(picture(b[0], b[1], b[2], b[3], 240, 200, 30), RecognizerCrops.ChannelOrder.RGB);
      FloatImage crop = RecognizerCrops.crop(chw, Polygon.of(b[0], b[1], b[2] - 1, b[1], b[2] - 1, b[3] - 1, b[0], b[3] - 1));
      FloatImage in = RecognizerCrops.recognizerInput(crop);
      assertArrayEquals(RecognizerInput.prepare(crop, false).data(), in.data(), "box " + java.util.Arrays.toString(b));
    }
  }
}
