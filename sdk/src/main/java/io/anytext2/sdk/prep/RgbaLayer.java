package io.anytext2.sdk.prep;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A mutable RGBA canvas with the three Pillow operations {@code draw_glyph2} chains (MODEL.md
 * §2.7.2 steps 8-9): drawing text with a colour into a transparent layer, {@code rotate(angle,
 * expand=1, center=...)} with nearest sampling, and pasting onto a black RGB canvas with the
 * layer's alpha as mask. Pillow's integer arithmetic is reproduced exactly.
 */
final class RgbaLayer {

  final int width;
  final int height;
  final byte[] rgba;

  RgbaLayer(int width, int height) {
    this.width = width;
    this.height = height;
    this.rgba = new byte[width * height * 4];
  }

  /** Pillow's {@code DIV255}: a rounding division by 255 for 0..65025. */
  static int div255(int v) {
    int t = v + 128;
    return ((t >> 8) + t) >> 8;
  }

  /** Pillow's {@code BLEND(mask, in1, in2)}. */
  static int blend(int mask, int in1, int in2) {
    return div255(in1 * (255 - mask) + in2 * mask);
  }

  /**
   * {@code ImageDraw.text((x, y), text, fill=(r, g, b, 255))} on an RGBA image: where a glyph
   * covers a pixel, colour channels move towards the ink by a coverage that counts as full on
   * transparent pixels, and alpha takes the coverage (Pillow's {@code fill_mask_L}).
   */
  void drawText(ShapedText text, double x, double y, int[] rgb) {
    int[] ink = {rgb[0], rgb[1], rgb[2], 255};
    text.draw(
        x,
        y,
        true,
        (img, col, row) -> {
          for (int gy = 0; gy < img.height(); gy++) {
            int yy = row + gy;
            if (yy < 0 || yy >= height) {
              continue;
            }
            for (int gx = 0; gx < img.width(); gx++) {
              int xx = col + gx;
              if (xx < 0 || xx >= width) {
                continue;
              }
              int m = img.coverage()[gy * img.width() + gx] & 255;
              int o = (yy * width + xx) * 4;
              int alpha = rgba[o + 3] & 255;
              for (int i = 0; i < 4; i++) {
                int channelMask = m;
                if (i != 3 && channelMask != 0) {
                  channelMask = 255 - (255 - channelMask) * alpha / 255;
                }
                rgba[o + i] = (byte) blend(channelMask, rgba[o + i] & 255, ink[i]);
              }
            }
          }
        });
  }

  /**
   * {@code layer.rotate(angle, expand=1, center=(cx, cy))} with nearest-neighbour sampling:
   * Pillow's inverse affine matrix (coefficients rounded to 15 decimals), the expanded size, and
   * its 16.16 fixed-point sampling loop. Angle in degrees, counter-clockwise as displayed. Returns
   * this layer itself when the map is the identity (upright text), which the sampling loop would copy.
   */
  RgbaLayer rotateExpand(double angle, double cx, double cy) {
    double deg = angle % 360.0;
    if (deg < 0) {
      deg += 360.0;
    }
    double rad = -Math.toRadians(deg);
    double[] m = {
      round15(Math.cos(rad)), round15(Math.sin(rad)), 0.0,
      round15(-Math.sin(rad)), round15(Math.cos(rad)), 0.0
    };
    double[] t = apply(m, -cx, -cy);
    m[2] = t[0] + cx;
    m[5] = t[1] + cy;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] c : new double[][] {{0, 0}, {width, 0}, {width, height}, {0, height}}) {
      double[] p = apply(m, c[0], c[1]);
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    int nw = (int) (Math.ceil(maxX) - Math.floor(minX));
    int nh = (int) (Math.ceil(maxY) - Math.floor(minY));
    t = apply(m, -(nw - width) / 2.0, -(nh - height) / 2.0);
    m[2] = t[0];
    m[5] = t[1];
    if (nw == width && nh == height && m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 0 && m[4] == 1 && m[5] == 0) {
      return this; // upright text: the nearest-neighbour identity map would copy every pixel to itself
    }
    RgbaLayer out = new RgbaLayer(nw, nh);
    if (m[1] == 0 && m[3] == 0) {
      scaleAffine(out, m);
    } else {
      affineFixed(out, m);
    }
    return out;
  }

  /**
   * {@code canvas.paste(layer, (x, y), layer)} onto a black RGB canvas: each colour becomes {@code
   * round(c * alpha / 255)}. Returns the canvas, interleaved RGB.
   */
  byte[] pasteOnBlack(int canvasWidth, int canvasHeight, int x0, int y0) {
    byte[] out = new byte[canvasWidth * canvasHeight * 3];
    for (int y = 0; y < height; y++) {
      int cy = y + y0;
      if (cy < 0 || cy >= canvasHeight) {
        continue;
      }
      for (int x = 0; x < width; x++) {
        int cx = x + x0;
        if (cx < 0 || cx >= canvasWidth) {
          continue;
        }
        int o = (y * width + x) * 4;
        int a = rgba[o + 3] & 255;
        if (a == 0) {
          continue; // blend(0, 0, c) = 0: the canvas is black already
        }
        int d = (cy * canvasWidth + cx) * 3;
        for (int c = 0; c < 3; c++) {
          out[d + c] = (byte) blend(a, 0, rgba[o + c] & 255);
        }
      }
    }
    return out;
  }

  private static double[] apply(double[] m, double x, double y) {
    return new double[] {m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
  }

  /** Python's {@code round(v, 15)}: correctly rounded, halves to even. */
  static double round15(double v) {
    return new BigDecimal(v).setScale(15, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static int fix(double v) {
    double s = v * 65536.0 + 0.5;
    return s < 0 ? (int) Math.floor(s) : (int) s;
  }

  // Pillow's affine_fixed (Geometry.c): nearest neighbour in 16.16 fixed point.
  private void affineFixed(RgbaLayer out, double[] a) {
    int a0 = fix(a[0]);
    int a1 = fix(a[1]);
    int a3 = fix(a[3]);
    int a4 = fix(a[4]);
    int a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
    int a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
    for (int y = 0; y < out.height; y++) {
      int xx = a2;
      int yy = a5;
      for (int x = 0; x < out.width; x++) {
        int xin = xx >> 16;
        if (xin >= 0 && xin < width) {
          int yin = yy >> 16;
          if (yin >= 0 && yin < height) {
            System.arraycopy(rgba, (yin * width + xin) * 4, out.rgba, (y * out.width + x) * 4, 4);
          }
        }
        xx += a0;
        yy += a3;
      }
      a2 += a1;
      a5 += a4;
    }
  }

  // Pillow's ImagingScaleAffine for the rotation-free case (angle 0): sample at pixel centres.
  private void scaleAffine(RgbaLayer out, double[] a) {
    for (int y = 0; y < out.height; y++) {
      double sy = a[4] * (y + 0.5) + a[5];
      int yin = sy < 0 ? -1 : (int) sy;
      if (yin < 0 || yin >= height) {
        continue;
      }
      for (int x = 0; x < out.width; x++) {
        double sx = a[0] * (x + 0.5) + a[2];
        int xin = sx < 0 ? -1 : (int) sx;
        if (xin >= 0 && xin < width) {
          System.arraycopy(rgba, (yin * width + xin) * 4, out.rgba, (y * out.width + x) * 4, 4);
        }
      }
    }
  }
}
