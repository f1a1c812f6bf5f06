package io.anytext2.trainer.data;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random backgrounds for synthetic text images: a flat, linear or radial gradient fill, random
 * translucent shapes, and per-pixel noise; plus a few words describing them for the caption.
 */
final class SyntheticBackgrounds {

  /** A background and the caption phrase describing it ("a blue to white gradient with circles"). */
  record Background(BufferedImage image, String description) {}

  private static final String[] NAMES = {
    "black", "white", "gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "brown"
  };
  private static final int[][] PALETTE = {
    {0, 0, 0}, {255, 255, 255}, {128, 128, 128}, {200, 30, 30}, {240, 140, 20}, {240, 220, 40},
    {40, 160, 60}, {20, 150, 150}, {40, 80, 200}, {130, 50, 170}, {240, 130, 180}, {120, 70, 30}
  };

  private SyntheticBackgrounds() {}

  /** The name of the palette colour closest to an RGB value. */
  static String colorName(int r, int g, int b) {
    int best = 0;
    long bestD = Long.MAX_VALUE;
    for (int i = 0; i < PALETTE.length; i++) {
      long dr = r - PALETTE[i][0];
      long dg = g - PALETTE[i][1];
      long db = b - PALETTE[i][2];
      long d = dr * dr + dg * dg + db * db;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return NAMES[best];
  }

  private static Color randomColor(Random rng) {
    return new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
  }

  /** One of the named palette colours, exactly (its caption name is then exact too). */
  static int[] paletteColor(Random rng) {
    return PALETTE[rng.nextInt(PALETTE.length)].clone();
  }

  private static String name(Color c) {
    return colorName(c.getRed(), c.getGreen(), c.getBlue());
  }

  /**
   * A background; {@code plain} keeps only the fill (no shapes, no grain), and a third of plain
   * backgrounds are one flat palette colour (white for half of those, else black, red, …): uniform
   * random colours never give the white page that prompts like "a plain white background" ask for,
   * and which a small VAE then never learns to keep (an earlier default model turned white pink).
   */
  static Background draw(int size, Random rng, boolean plain) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    Color a = randomColor(rng);
    Color b = randomColor(rng);
    String description;
    int kind = rng.nextInt(3);
    if (plain && rng.nextInt(3) == 0) {
      int[] p = rng.nextBoolean() ? PALETTE[1].clone() : paletteColor(rng); // white for half of them: the common page
      a = new Color(p[0], p[1], p[2]);
      kind = 0;
    }
    if (kind == 0) {
      g.setColor(a);
      g.fillRect(0, 0, size, size);
      description = "a plain " + name(a) + " background";
    } else if (kind == 1) {
      double angle = rng.nextDouble() * 2 * Math.PI;
      float c = size / 2f;
      float dx = (float) Math.cos(angle) * c;
      float dy = (float) Math.sin(angle) * c;
      g.setPaint(new GradientPaint(c - dx, c - dy, a, c + dx, c + dy, b));
      g.fillRect(0, 0, size, size);
      description = "a " + name(a) + " to " + name(b) + " gradient background";
    } else {
      Point2D centre = new Point2D.Float(rng.nextFloat() * size, rng.nextFloat() * size);
      g.setPaint(new RadialGradientPaint(centre, size * (0.4f + rng.nextFloat()), new float[] {0f, 1f},
          new Color[] {a, b}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
      g.fillRect(0, 0, size, size);
      description = "a radial " + name(a) + " and " + name(b) + " background";
    }
    if (plain) {
      g.dispose();
      return new Background(img, description);
    }
    int shapes = rng.nextInt(7);
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < shapes; i++) {
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.25f + 0.6f * rng.nextFloat()));
      g.setColor(randomColor(rng));
      int x = rng.nextInt(size);
      int y = rng.nextInt(size);
      int w = size / 16 + rng.nextInt(size / 2);
      int h = size / 16 + rng.nextInt(size / 2);
      int shape = rng.nextInt(3);
      if (shape == 0) {
        g.fillRect(x - w / 2, y - h / 2, w, h);
        addOnce(kinds, "rectangles");
      } else if (shape == 1) {
        g.fillOval(x - w / 2, y - h / 2, w, h);
        addOnce(kinds, "circles");
      } else {
        g.setStroke(new BasicStroke(1 + rng.nextInt(Math.max(1, size / 64))));
        g.drawLine(x, y, rng.nextInt(size), rng.nextInt(size));
        addOnce(kinds, "lines");
      }
    }
    g.dispose();
    if (!kinds.isEmpty()) {
      description += " with " + String.join(" and ", kinds);
    }
    int amplitude = rng.nextInt(4) == 0 ? 0 : 4 + rng.nextInt(20);
    if (amplitude > 0) {
      addNoise(img, amplitude, rng);
      description += amplitude > 14 ? ", grainy" : "";
    }
    return new Background(img, description);
  }

  private static void addOnce(List<String> list, String s) {
    if (!list.contains(s)) {
      list.add(s);
    }
  }

  /** Uniform noise in [−amplitude, amplitude] on every channel (one draw per pixel, grey noise). */
  private static void addNoise(BufferedImage img, int amplitude, Random rng) {
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    int span = 2 * amplitude + 1;
    for (int i = 0; i < px.length; i++) {
      int n = rng.nextInt(span) - amplitude;
      int p = px[i];
      int r = ImageOps.clamp255(((p >> 16) & 255) + n);
      int gr = ImageOps.clamp255(((p >> 8) & 255) + n);
      int b = ImageOps.clamp255((p & 255) + n);
      px[i] = r << 16 | gr << 8 | b;
    }
  }
}
