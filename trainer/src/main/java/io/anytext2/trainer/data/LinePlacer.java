package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Polygon;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Places synthetic text lines on one image: picks a rotation and a mild perspective, finds a spot
 * inside the image that keeps clear of the lines already placed, picks a colour that contrasts
 * with the background there, and stamps the line.
 */
final class LinePlacer {

  /** Placement attempts per font size, and font shrink steps, before a line is given up. */
  private static final int ATTEMPTS = 25;
  private static final int SHRINKS = 5;
  private static final double SHRINK = 0.75;
  /** A line's long side takes at most this share of the image side. */
  private static final double MAX_EXTENT = 0.9;
  /** Minimum luma difference between text colour and the mean background under it. */
  private static final int MIN_CONTRAST = 90;
  private static final int GAP = 2;

  private final int size;
  private final int[] background;
  private final int[] canvas;
  private final Random rng;
  private final List<double[]> occupied = new ArrayList<>();
  /** Near-upright lines (σ 2°) without perspective: the synth --simple regime. */
  private final boolean upright;
  /** Draws lines as their glyph hint ({@link SyntheticAnyWord.Layout#glyphAligned}); null: stamps the layer. */
  private final GlyphInk glyphInk;

  /** The glyph hint's renderer and face: lines drawn with them coincide with the hint training renders for them. */
  record GlyphInk(GlyphRenderer renderer, FontFace face) {
    private static final int[] WHITE = {255, 255, 255};

    /** Coverage 0..1 of the text fitted into the polygon ({@code draw_glyph2}), {@code size²}; null when nothing is drawn. */
    float[] coverage(String text, Polygon polygon, int size) {
      float[] rgb = renderer.glyphImage(face, text, polygon, WHITE, size, size).data();
      float[] a = java.util.Arrays.copyOf(rgb, size * size); // white ink: every channel is the coverage
      for (float v : a) {
        if (v > 0) return a;
      }
      return null;
    }
  }

  LinePlacer(int size, int[] background, int[] canvas, Random rng, boolean upright) {
    this(size, background, canvas, rng, upright, null);
  }

  LinePlacer(int size, int[] background, int[] canvas, Random rng, boolean upright, GlyphInk glyphInk) {
    this.size = size;
    this.background = background;
    this.canvas = canvas;
    this.rng = rng;
    this.upright = upright;
    this.glyphInk = glyphInk;
  }

  /**
   * Places one line of about {@code height} px ink height; null when it does not fit. The first
   * line of an image ({@code mustFit}) keeps shrinking down to 8 px so every image has text.
   */
  SyntheticAnyWord.SynthLine place(FontFace face, String text, String language, double height, boolean vertical,
      boolean valid, boolean mustFit) {
    double px = Math.max(6, height);
    double angle;
    double perspective;
    if (upright) {
      angle = gaussianDeg(2);
      perspective = 0;
    } else {
      angle = vertical ? gaussianDeg(3) : rng.nextInt(5) < 3 ? gaussianDeg(4) : (rng.nextDouble() * 70 - 35);
      perspective = rng.nextInt(3) == 0 ? 0.15 * rng.nextDouble() : 0;
    }
    int shrinks = mustFit ? 12 : SHRINKS;
    for (int s = 0; s < shrinks && px >= 6; s++) {
      TextStamp.Layer layer = vertical ? TextStamp.vertical(face.atSize((int) px), text)
          : TextStamp.horizontal(face.atSize((int) px), text);
      double extent = Math.max(layer.width(), layer.height());
      if (extent > MAX_EXTENT * size) {
        px = Math.max(6, px * MAX_EXTENT * size / extent * 0.98);
        continue;
      }
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        double[] quad = quad(layer, angle, perspective);
        double[] box = bounds(quad);
        if (box[0] < 1 || box[1] < 1 || box[2] > size - 2 || box[3] > size - 2 || overlaps(box)) {
          continue;
        }
        int[] xy = new int[8];
        for (int i = 0; i < 8; i++) {
          xy[i] = (int) Math.round(quad[i]);
        }
        Polygon polygon = Polygon.of(xy);
        float[] ink = glyphInk == null ? null : glyphInk.coverage(text, polygon, size);
        if (glyphInk != null && ink == null) {
          continue; // the hint cannot be fitted here: the line would be annotated but invisible
        }
        occupied.add(box);
        int[] rgb = contrastingColor(box);
        if (ink == null) {
          TextStamp.stamp(canvas, size, size, layer, quad, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
        } else {
          blend(ink, rgb);
        }
        return new SyntheticAnyWord.SynthLine(polygon, text, language, rgb, valid);
      }
      px *= SHRINK;
    }
    return null;
  }

  /** canvas = background·(1 − a) + colour·a per channel, rounded (as {@link TextStamp#stamp} blends its layer). */
  private void blend(float[] coverage, int[] rgb) {
    for (int i = 0; i < coverage.length; i++) {
      float a = coverage[i];
      if (a <= 0) continue;
      int p = canvas[i];
      int r = Math.round(((p >> 16) & 255) * (1 - a) + rgb[0] * a);
      int g = Math.round(((p >> 8) & 255) * (1 - a) + rgb[1] * a);
      int b = Math.round((p & 255) * (1 - a) + rgb[2] * a);
      canvas[i] = r << 16 | g << 8 | b;
    }
  }

  private double gaussianDeg(double sigma) {
    return Math.max(-3 * sigma, Math.min(3 * sigma, rng.nextGaussian() * sigma));
  }

  /** The layer's corners rotated about a random centre, each nudged for a mild perspective. */
  private double[] quad(TextStamp.Layer layer, double angleDeg, double perspective) {
    double w = layer.width();
    double h = layer.height();
    double cos = Math.cos(Math.toRadians(angleDeg));
    double sin = Math.sin(Math.toRadians(angleDeg));
    double cx = rng.nextDouble() * size;
    double cy = rng.nextDouble() * size;
    double[] local = {-w / 2, -h / 2, w / 2, -h / 2, w / 2, h / 2, -w / 2, h / 2};
    double jitter = perspective * Math.min(w, h);
    double[] q = new double[8];
    for (int i = 0; i < 4; i++) {
      double x = local[2 * i] + (rng.nextDouble() * 2 - 1) * jitter;
      double y = local[2 * i + 1] + (rng.nextDouble() * 2 - 1) * jitter;
      // counter-clockwise on screen (y points down)
      q[2 * i] = cx + x * cos + y * sin;
      q[2 * i + 1] = cy - x * sin + y * cos;
    }
    return q;
  }

  private static double[] bounds(double[] q) {
    double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (int i = 0; i < 4; i++) {
      b[0] = Math.min(b[0], q[2 * i]);
      b[1] = Math.min(b[1], q[2 * i + 1]);
      b[2] = Math.max(b[2], q[2 * i]);
      b[3] = Math.max(b[3], q[2 * i + 1]);
    }
    return b;
  }

  private boolean overlaps(double[] b) {
    for (double[] o : occupied) {
      if (b[0] < o[2] + GAP && o[0] < b[2] + GAP && b[1] < o[3] + GAP && o[1] < b[3] + GAP) {
        return true;
      }
    }
    return false;
  }

  private static int luma(int r, int g, int b) {
    return (r * 299 + g * 587 + b * 114) / 1000;
  }

  /** A random colour whose luma differs from the mean background luma in the box by ≥ 90. */
  private int[] contrastingColor(double[] box) {
    long sum = 0;
    int n = 0;
    for (int y = (int) box[1]; y <= (int) box[3]; y++) {
      for (int x = (int) box[0]; x <= (int) box[2]; x++) {
        int p = background[y * size + x];
        sum += luma((p >> 16) & 255, (p >> 8) & 255, p & 255);
        n++;
      }
    }
    int mean = (int) (sum / Math.max(1, n));
    if (upright && rng.nextInt(2) == 0) { // simple regime: half the lines in an exact palette colour (black, white, …)
      for (int tries = 0; tries < 20; tries++) {
        int[] c = SyntheticBackgrounds.paletteColor(rng);
        if (Math.abs(luma(c[0], c[1], c[2]) - mean) >= MIN_CONTRAST) {
          return c;
        }
      }
    }
    for (int tries = 0; tries < 20; tries++) {
      int[] c = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
      if (Math.abs(luma(c[0], c[1], c[2]) - mean) >= MIN_CONTRAST) {
        return c;
      }
    }
    int v = mean >= 128 ? rng.nextInt(30) : 225 + rng.nextInt(31);
    return new int[] {v, v, v};
  }
}
