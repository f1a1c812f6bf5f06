package io.anytext2.trainer.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A text line as an 8-bit coverage layer (ink bounds plus a small margin), stamped into an image
 * through a homography so that the layer's rectangle lands on any convex quadrilateral (rotation,
 * perspective). The quadrilateral is then the line's polygon and holds all of its ink.
 */
final class TextStamp {

  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  /** Coverage 0..255, row-major, {@code width×height}. */
  record Layer(int width, int height, byte[] coverage) {}

  private TextStamp() {}

  /** The text on one line. */
  static Layer horizontal(Font font, String text) {
    TextLayout layout = new TextLayout(text, font, FRC);
    Rectangle2D ink = layout.getBounds();
    int margin = margin(ink.getHeight());
    int w = (int) Math.ceil(ink.getWidth()) + 2 * margin;
    int h = (int) Math.ceil(ink.getHeight()) + 2 * margin;
    BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = canvas(img);
    layout.draw(g, (float) (margin - ink.getX()), (float) (margin - ink.getY()));
    g.dispose();
    return new Layer(img.getWidth(), img.getHeight(), ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
  }

  /** The characters one under another, each centred on the column (vertical CJK signs). */
  static Layer vertical(Font font, String text) {
    int[] cps = text.codePoints().toArray();
    TextLayout[] layouts = new TextLayout[cps.length];
    double colWidth = 0;
    double total = 0;
    double gap = font.getSize2D() * 0.12;
    for (int i = 0; i < cps.length; i++) {
      layouts[i] = new TextLayout(new String(Character.toChars(cps[i])), font, FRC);
      Rectangle2D b = layouts[i].getBounds();
      colWidth = Math.max(colWidth, b.getWidth());
      total += b.getHeight() + (i > 0 ? gap : 0);
    }
    int margin = margin(colWidth);
    int w = (int) Math.ceil(colWidth) + 2 * margin;
    int h = (int) Math.ceil(total) + 2 * margin;
    BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = canvas(img);
    double y = margin;
    for (TextLayout layout : layouts) {
      Rectangle2D b = layout.getBounds();
      double x = margin + (colWidth - b.getWidth()) / 2;
      layout.draw(g, (float) (x - b.getX()), (float) (y - b.getY()));
      y += b.getHeight() + gap;
    }
    g.dispose();
    return new Layer(img.getWidth(), img.getHeight(), ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
  }

  private static int margin(double inkHeight) {
    return Math.max(1, (int) Math.round(inkHeight * 0.08));
  }

  private static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Color.WHITE);
    return g;
  }

  /**
   * Blends {@code rgb} into the packed-RGB canvas with the layer's coverage, the layer rectangle
   * mapped onto {@code quad} (x0,y0 … x3,y3 = the images of its top-left, top-right, bottom-right,
   * bottom-left corners). Sampling is bilinear at pixel centres.
   */
  static void stamp(int[] canvas, int width, int height, Layer layer, double[] quad, int rgb) {
    double[] toLayer = homography(quad, new double[] {0, 0, layer.width(), 0, layer.width(), layer.height(), 0, layer.height()});
    int x0 = Math.max(0, (int) Math.floor(min(quad, 0)));
    int x1 = Math.min(width - 1, (int) Math.ceil(max(quad, 0)));
    int y0 = Math.max(0, (int) Math.floor(min(quad, 1)));
    int y1 = Math.min(height - 1, (int) Math.ceil(max(quad, 1)));
    int cr = (rgb >> 16) & 255;
    int cg = (rgb >> 8) & 255;
    int cb = rgb & 255;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double px = x + 0.5;
        double py = y + 0.5;
        double wz = toLayer[6] * px + toLayer[7] * py + 1;
        double u = (toLayer[0] * px + toLayer[1] * py + toLayer[2]) / wz - 0.5;
        double v = (toLayer[3] * px + toLayer[4] * py + toLayer[5]) / wz - 0.5;
        int a = sample(layer, u, v);
        if (a == 0) {
          continue;
        }
        int p = canvas[y * width + x];
        int r = ((p >> 16) & 255) * (255 - a) + cr * a;
        int g = ((p >> 8) & 255) * (255 - a) + cg * a;
        int b = (p & 255) * (255 - a) + cb * a;
        canvas[y * width + x] = (r + 127) / 255 << 16 | (g + 127) / 255 << 8 | (b + 127) / 255;
      }
    }
  }

  /** Bilinear coverage at a continuous layer position; 0 outside. */
  private static int sample(Layer l, double u, double v) {
    if (u <= -1 || v <= -1 || u >= l.width() || v >= l.height()) {
      return 0;
    }
    int ui = (int) Math.floor(u);
    int vi = (int) Math.floor(v);
    double fu = u - ui;
    double fv = v - vi;
    double c = at(l, ui, vi) * (1 - fu) * (1 - fv) + at(l, ui + 1, vi) * fu * (1 - fv)
        + at(l, ui, vi + 1) * (1 - fu) * fv + at(l, ui + 1, vi + 1) * fu * fv;
    return (int) Math.round(c);
  }

  private static int at(Layer l, int u, int v) {
    return u < 0 || v < 0 || u >= l.width() || v >= l.height() ? 0 : l.coverage()[v * l.width() + u] & 255;
  }

  private static double min(double[] q, int off) {
    return Math.min(Math.min(q[off], q[off + 2]), Math.min(q[off + 4], q[off + 6]));
  }

  private static double max(double[] q, int off) {
    return Math.max(Math.max(q[off], q[off + 2]), Math.max(q[off + 4], q[off + 6]));
  }

  /**
   * The projective map taking the four {@code from} points to the {@code to} points, as 8
   * coefficients {a,b,c,d,e,f,g,h}: x' = (ax+by+c)/(gx+hy+1), y' = (dx+ey+f)/(gx+hy+1).
   */
  static double[] homography(double[] from, double[] to) {
    double[][] m = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = from[2 * i];
      double y = from[2 * i + 1];
      double u = to[2 * i];
      double v = to[2 * i + 1];
      m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    for (int col = 0; col < 8; col++) {
      int pivot = col;
      for (int r = col + 1; r < 8; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      if (Math.abs(m[col][col]) < 1e-12) {
        throw new IllegalArgumentException("expected a non-degenerate quadrilateral, found collinear corners");
      }
      for (int r = 0; r < 8; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int k = col; k < 9; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    double[] h = new double[8];
    for (int i = 0; i < 8; i++) {
      h[i] = m[i][8] / m[i][i];
    }
    return h;
  }
}
