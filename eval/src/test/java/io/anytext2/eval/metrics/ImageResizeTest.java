package io.anytext2.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anytext2.sdk.prep.RgbImage;
import org.junit.jupiter.api.Test;

class ImageResizeTest {

  static RgbImage grayRow(int... v) {
    byte[] px = new byte[v.length * 3];
    for (int i = 0; i < v.length; i++) for (int c = 0; c < 3; c++) px[3 * i + c] = (byte) v[i];
    return new RgbImage(v.length, 1, px);
  }

  @Test
  void pillowBicubicDownscaleMatchesTheHandComputedKernel() {
    // 4 → 2 pixels: scale 2, support 2·2 = 4. Output 0 centres at 1.0 and reads inputs 0..3 with
    // weights bicubic((x − 0.5)/2) = 0.8671875, 0.8671875, 0.2265625, −0.0703125 (sum 1.890625);
    // 10·.8671875 + 50·.8671875 + 200·.2265625 − 255·.0703125 = 79.4140625, /1.890625 = 42.00 → 42.
    // Output 1 uses the mirrored weights: (−10·.0703125 + 50·.2265625 + 200·.8671875 + 255·.8671875)/1.890625 = 214.32 → 214.
    RgbImage out = ImageResize.pil(grayRow(10, 50, 200, 255), 2, 1, ImageResize.Filter.BICUBIC);
    assertEquals(2, out.width());
    assertEquals(42, out.get(0, 0, 0));
    assertEquals(214, out.get(1, 0, 2));
  }

  @Test
  void pillowResizeKeepsConstantsAndResizesBothAxes() {
    byte[] px = new byte[512 * 384 * 3];
    java.util.Arrays.fill(px, (byte) 77);
    RgbImage out = ImageResize.pil(new RgbImage(512, 384, px), 224, 168, ImageResize.Filter.BICUBIC);
    assertEquals(224, out.width());
    assertEquals(168, out.height());
    for (byte b : out.pixels()) assertEquals(77, b & 0xff);
    // vertical only: a 1-wide column is resized like the row above
    byte[] col = grayRow(10, 50, 200, 255).pixels();
    RgbImage c = ImageResize.pil(new RgbImage(1, 4, col), 1, 2, ImageResize.Filter.BICUBIC);
    assertEquals(42, c.get(0, 0, 1));
    assertEquals(214, c.get(0, 1, 1));
  }

  @Test
  void torchBilinearWithoutAlignCorners() {
    // down 4 → 2: sources 0.5 and 2.5 → the averages of neighbours
    assertArrayEquals(new float[] {30, 227.5f}, ImageResize.torchBilinear(new float[] {10, 50, 200, 255}, 1, 1, 4, 1, 2), 1e-5f);
    // up 2 → 4: sources −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last pixel)
    assertArrayEquals(new float[] {10, 20, 40, 50}, ImageResize.torchBilinear(new float[] {10, 50}, 1, 1, 2, 1, 4), 1e-5f);
  }

  @Test
  void clipInputIsResizedCentreCroppedAndNormalised() {
    byte[] px = new byte[300 * 200 * 3];
    for (int i = 0; i < 300 * 200; i++) {
      px[3 * i] = (byte) 255;
      px[3 * i + 1] = 0;
      px[3 * i + 2] = (byte) 128;
    }
    float[] in = ClipEncoders.imageInput(new RgbImage(300, 200, px));
    int plane = 224 * 224;
    assertEquals(3 * plane, in.length);
    assertEquals((1f - 0.48145466f) / 0.26862954f, in[0], 1e-5f);
    assertEquals((0f - 0.4578275f) / 0.26130258f, in[plane + 5000], 1e-5f);
    assertEquals((128 / 255f - 0.40821073f) / 0.27577711f, in[2 * plane + plane - 1], 1e-5f);
  }
}
