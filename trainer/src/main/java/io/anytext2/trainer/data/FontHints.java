package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.GrayImage;
import io.anytext2.sdk.prep.ImageFilters;
import io.anytext2.sdk.prep.IntPoint;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonGeometry;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.RotatedRect;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The font hint of one line (TRAINING.md §2.8): the line's ink — pixels darker than their
 * Gaussian-weighted neighbourhood, as {@link ImageFilters#adaptiveThreshold} finds them — cut from the (optionally
 * jittered) real image, kept inside the line's polygon minus a random strip along its long axis.
 */
final class FontHints {

  /** Randaug ranges of §2.8 step 4 (the translation is in pixels of the 512 frame). */
  private static final double MAX_ROTATION_DEG = 10;
  private static final double MAX_SHIFT_PX_512 = 10;
  private static final double MIN_SCALE = 0.9;
  private static final double MAX_SCALE = 1.1;
  /** cv2.adaptiveThreshold constant C (§2.8 step 5): ink iff gray ≤ mean − 2. */
  private static final int THRESHOLD_OFFSET = -2;

  private FontHints() {}

  /** The S×S hint mask (0/1) of one line; the random draws follow §2.8. */
  static byte[] hint(RgbImage image, Polygon polygon, SampleConfig cfg, Random rng) {
    int s = image.width();
    if (rng.nextDouble() >= cfg.fontHintProb()) {
      return new byte[s * s];
    }
    Polygon clamped = clamp(polygon, s - 1, image.height() - 1);
    byte[] region = PolygonRasterizer.fill(s, image.height(), clamped).data();
    RotatedRect rect = PolygonGeometry.minAreaRect(clamped);
    int[] box = PolygonGeometry.boundingRect(clamped);
    int bx = box[0];
    int by = box[1];
    int bw = box[2];
    int bh = box[3];
    float[] crop = crop(image, bx, by, bw, bh);
    if (cfg.fontHintRandaug()) {
      double frame = s / 512.0;
      double angle = uniform(rng, -MAX_ROTATION_DEG, MAX_ROTATION_DEG);
      crop = warpRotate(crop, bw, bh, angle);
      double tx = uniform(rng, -MAX_SHIFT_PX_512, MAX_SHIFT_PX_512) * frame;
      double ty = uniform(rng, -MAX_SHIFT_PX_512, MAX_SHIFT_PX_512) * frame;
      crop = warp(crop, bw, bh, new double[] {1, 0, -tx, 0, 1, -ty});
      double scale = uniform(rng, MIN_SCALE, MAX_SCALE);
      double cx = (bw - 1) / 2.0;
      double cy = (bh - 1) / 2.0;
      crop = warp(crop, bw, bh, new double[] {1 / scale, 0, cx - cx / scale, 0, 1 / scale, cy - cy / scale});
    }
    byte[] ink = inkMap(crop, bw, bh);
    eraseStrip(region, s, image.height(), rect, uniform(rng, cfg.fontHintAreaMin(), cfg.fontHintAreaMax()), rng);
    byte[] out = new byte[s * image.height()];
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int i = (by + y) * s + bx + x;
        out[i] = (byte) (ink[y * bw + x] & region[i]);
      }
    }
    return out;
  }

  private static double uniform(Random rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** §2.8 step 2: x clamped to [0, maxX], y to [0, maxY]. */
  static Polygon clamp(Polygon p, int maxX, int maxY) {
    List<IntPoint> pts = new ArrayList<>(p.size());
    for (IntPoint q : p.points()) {
      pts.add(new IntPoint(Math.max(0, Math.min(maxX, q.x())), Math.max(0, Math.min(maxY, q.y()))));
    }
    return new Polygon(pts);
  }

  /** The box of the image as HWC floats in [0,1]. */
  private static float[] crop(RgbImage image, int bx, int by, int bw, int bh) {
    float[] out = new float[bw * bh * 3];
    byte[] px = image.pixels();
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < bw; x++) {
        int s = ((by + y) * image.width() + bx + x) * 3;
        int d = (y * bw + x) * 3;
        for (int c = 0; c < 3; c++) {
          out[d + c] = (px[s + c] & 255) / 255f;
        }
      }
    }
    return out;
  }

  /** Rotation by {@code deg} counter-clockwise on screen about the crop centre. */
  private static float[] warpRotate(float[] src, int w, int h, double deg) {
    double a = Math.cos(Math.toRadians(deg));
    double b = Math.sin(Math.toRadians(deg));
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // inverse of OpenCV's getRotationMatrix2D: source = R⁻¹ (dest − c) + c
    return warp(src, w, h, new double[] {a, -b, cx - a * cx + b * cy, b, a, cy - b * cx - a * cy});
  }

  /**
   * Bilinear resampling with replicated borders: destination pixel (x, y) reads the source at
   * {@code inv · (x, y, 1)} (a 2×3 row-major matrix).
   */
  static float[] warp(float[] src, int w, int h, double[] inv) {
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sx = inv[0] * x + inv[1] * y + inv[2];
        double sy = inv[3] * x + inv[4] * y + inv[5];
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        float fx = (float) (sx - x0);
        float fy = (float) (sy - y0);
        int xa = clamp(x0, w);
        int xb = clamp(x0 + 1, w);
        int ya = clamp(y0, h);
        int yb = clamp(y0 + 1, h);
        int d = (y * w + x) * 3;
        for (int c = 0; c < 3; c++) {
          float top = src[(ya * w + xa) * 3 + c] * (1 - fx) + src[(ya * w + xb) * 3 + c] * fx;
          float bottom = src[(yb * w + xa) * 3 + c] * (1 - fx) + src[(yb * w + xb) * 3 + c] * fx;
          out[d + c] = top * (1 - fy) + bottom * fy;
        }
      }
    }
    return out;
  }

  private static int clamp(int v, int n) {
    return v < 0 ? 0 : v >= n ? n - 1 : v;
  }

  /**
   * §2.8 step 5: 8-bit grey (values truncated, OpenCV's fixed-point BT.601 luma), ink where the
   * grey is at least 2 below its 11×11 Gaussian mean.
   */
  static byte[] inkMap(float[] rgb, int w, int h) {
    byte[] gray = new byte[w * h];
    for (int i = 0; i < gray.length; i++) {
      int r = (int) (255 * Math.max(0f, Math.min(1f, rgb[3 * i])));
      int g = (int) (255 * Math.max(0f, Math.min(1f, rgb[3 * i + 1])));
      int b = (int) (255 * Math.max(0f, Math.min(1f, rgb[3 * i + 2])));
      gray[i] = (byte) ((r * 4899 + g * 9617 + b * 1868 + 8192) >> 14);
    }
    // the one implementation of OpenCV's Gaussian adaptive threshold: 255 where grey > mean − 2
    byte[] t = ImageFilters.adaptiveThreshold(new GrayImage(w, h, gray)).values();
    byte[] ink = new byte[w * h];
    for (int i = 0; i < ink.length; i++) {
      ink[i] = (byte) (t[i] == 0 ? 1 : 0);
    }
    return ink;
  }

  /**
   * §2.8 step 7: erases (sets to 0) a strip across the rectangle's full short side, of length
   * {@code L·(1−a)} along the long axis, at a uniform offset from the rectangle's start end.
   */
  static void eraseStrip(byte[] region, int w, int h, RotatedRect rect, double a, Random rng) {
    double theta = Math.toRadians(rect.angle());
    double longSide;
    double shortSide;
    double ux;
    double uy;
    if (rect.width() >= rect.height()) {
      longSide = rect.width();
      shortSide = rect.height();
      ux = Math.cos(theta);
      uy = Math.sin(theta);
    } else {
      longSide = rect.height();
      shortSide = rect.width();
      ux = Math.sin(theta);
      uy = -Math.cos(theta);
    }
    double length = longSide * (1 - a);
    double offset = rng.nextDouble() * (longSide - length);
    if (length <= 0) {
      return;
    }
    double vx = -uy * shortSide / 2;
    double vy = ux * shortSide / 2;
    double sx = rect.centerX() - ux * longSide / 2 + ux * offset;
    double sy = rect.centerY() - uy * longSide / 2 + uy * offset;
    double ex = sx + ux * length;
    double ey = sy + uy * length;
    Polygon strip = Polygon.of(
        (int) (sx + vx), (int) (sy + vy), (int) (ex + vx), (int) (ey + vy),
        (int) (ex - vx), (int) (ey - vy), (int) (sx - vx), (int) (sy - vy));
    byte[] erase = PolygonRasterizer.fill(w, h, strip).data();
    for (int i = 0; i < region.length; i++) {
      region[i] &= (byte) (1 - erase[i]);
    }
  }
}
