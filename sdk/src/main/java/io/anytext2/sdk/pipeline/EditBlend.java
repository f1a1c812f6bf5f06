package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.RgbImage;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Puts the edited areas of a generated picture back into the user's original: pixels outside the
 * edit mask stay exactly as they were, pixels inside come from the generation, with a seam feathered
 * over {@link #FEATHER} pixels on the inside of the mask (so nothing outside changes). Works at the
 * original's resolution when the model ran on a resized copy.
 */
public final class EditBlend {
  /** Width of the feathered seam, in pixels of the original picture. */
  public static final int FEATHER = 4;

  private EditBlend() {}

  /**
   * @param original the user's picture (any size)
   * @param generated the model's output (may be smaller: the resized working copy)
   * @param mask edit areas at the generated picture's size
   */
  public static RgbImage compose(RgbImage original, RgbImage generated, Mask mask) {
    int w = original.width();
    int h = original.height();
    RgbImage gen = generated.width() == w && generated.height() == h ? generated : resize(generated, w, h);
    Mask m = mask.width() == w && mask.height() == h ? mask : resizeNearest(mask, w, h);
    float[] alpha = insideDistance(m);
    byte[] out = original.pixels().clone();
    byte[] g = gen.pixels();
    for (int i = 0; i < w * h; i++) {
      float a = Math.min(1f, alpha[i] / FEATHER);
      if (a <= 0f) continue;
      for (int c = 0; c < 3; c++) {
        int o = out[3 * i + c] & 0xff;
        int v = g[3 * i + c] & 0xff;
        out[3 * i + c] = (byte) Math.round(o + a * (v - o));
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Chamfer distance (3-4 metric / 3) from each mask pixel to the nearest non-mask pixel; 0 outside. */
  static float[] insideDistance(Mask m) {
    int w = m.width();
    int h = m.height();
    float big = 1e9f;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) d[y * w + x] = m.get(x, y) != 0 ? big : 0f;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (d[i] == 0) continue;
        float v = d[i];
        v = Math.min(v, at(d, w, h, x - 1, y) + 1f);
        v = Math.min(v, at(d, w, h, x, y - 1) + 1f);
        v = Math.min(v, at(d, w, h, x - 1, y - 1) + 1.4142f);
        v = Math.min(v, at(d, w, h, x + 1, y - 1) + 1.4142f);
        d[i] = v;
      }
    }
    for (int y = h - 1; y >= 0; y--) {
      for (int x = w - 1; x >= 0; x--) {
        int i = y * w + x;
        if (d[i] == 0) continue;
        float v = d[i];
        v = Math.min(v, at(d, w, h, x + 1, y) + 1f);
        v = Math.min(v, at(d, w, h, x, y + 1) + 1f);
        v = Math.min(v, at(d, w, h, x + 1, y + 1) + 1.4142f);
        v = Math.min(v, at(d, w, h, x - 1, y + 1) + 1.4142f);
        d[i] = v;
      }
    }
    return d;
  }

  /** Outside the picture counts as unmasked, so edits touching the border still get a seam there. */
  private static float at(float[] d, int w, int h, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0f : d[y * w + x];
  }

  static RgbImage resize(RgbImage img, int w, int h) {
    BufferedImage src = img.toBufferedImage();
    BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = dst.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return RgbImage.fromBufferedImage(dst);
  }

  static Mask resizeNearest(Mask m, int w, int h) {
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      int sy = Math.min(m.height() - 1, (int) ((y + 0.5) * m.height() / h));
      for (int x = 0; x < w; x++) {
        int sx = Math.min(m.width() - 1, (int) ((x + 0.5) * m.width() / w));
        out[y * w + x] = (byte) (m.get(sx, sy) != 0 ? 1 : 0);
      }
    }
    return new Mask(w, h, out);
  }
}
