package io.anytext2.trainer.log;

import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws short labels (captions, axis labels) with the sdk's bundled faces: DejaVu Sans, then
 * WenQuanYi Micro Hei for CJK/Hangul characters DejaVu lacks. When the bundled fonts are not on the
 * class path, Java's logical SansSerif font is used instead (labels are for people, not parity).
 */
final class TextPainter {
  /** Antialiased, fractional metrics: the context {@link #prepare} sets up for drawing. */
  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  private final List<Font> fonts;
  private final FontMetrics[] metrics;

  /** Text at {@code pixelSize} pixels. */
  TextPainter(int pixelSize) {
    this.fonts = fontsAt(pixelSize);
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    prepare(g);
    metrics = new FontMetrics[fonts.size()];
    for (int i = 0; i < fonts.size(); i++) {
      metrics[i] = g.getFontMetrics(fonts.get(i));
    }
    g.dispose();
  }

  private static List<Font> fontsAt(int pixelSize) {
    try {
      List<Font> fonts = new ArrayList<>();
      for (FontFace face : FontLibrary.bundled().faces()) {
        fonts.add(face.atSize(pixelSize));
      }
      return fonts;
    } catch (RuntimeException | LinkageError e) {
      // fonts missing or unreadable (FontLibrary's holder class then fails to initialise, a
      // LinkageError): a label is not worth stopping a training run for
      return List.of(new Font(Font.SANS_SERIF, Font.PLAIN, pixelSize));
    }
  }

  /** Antialiased text and lines. */
  static void prepare(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
  }

  /** Distance between baselines. */
  int lineHeight() {
    int h = 0;
    for (FontMetrics m : metrics) {
      h = Math.max(h, m.getHeight());
    }
    return h;
  }

  /** Height above the baseline. */
  int ascent() {
    int a = 0;
    for (FontMetrics m : metrics) {
      a = Math.max(a, m.getAscent());
    }
    return a;
  }

  /** Advance width of the text in pixels, as {@link #draw} lays it out (kerning included). */
  int width(String text) {
    double w = 0;
    for (Run run : runs(text)) {
      w += advance(run);
    }
    return (int) Math.ceil(w);
  }

  /** Draws one line with its baseline at y, switching fonts per character run. */
  void draw(Graphics2D g, String text, int x, int y) {
    double penX = x;
    for (Run run : runs(text)) {
      g.setFont(fonts.get(run.font));
      g.drawString(run.text, (float) penX, (float) y);
      penX += advance(run);
    }
  }

  private record Run(int font, String text) {}

  private double advance(Run run) {
    return fonts.get(run.font).getStringBounds(run.text, FRC).getWidth();
  }

  /** Maximal pieces of text drawn with one font: the first face that has each character. */
  private List<Run> runs(String text) {
    List<Run> runs = new ArrayList<>();
    int start = 0;
    int current = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int font = fontIndex(cp);
      if (font != current && current >= 0) {
        runs.add(new Run(current, text.substring(start, i)));
        start = i;
      }
      current = font;
      i += Character.charCount(cp);
    }
    if (current >= 0) {
      runs.add(new Run(current, text.substring(start)));
    }
    return runs;
  }

  /**
   * Breaks text into at most {@code maxLines} lines no wider than {@code maxWidth}: at spaces where
   * possible, else between characters (CJK text has no spaces). A cut-off last line ends in "…".
   */
  List<String> wrap(String text, int maxWidth, int maxLines) {
    List<String> lines = new ArrayList<>();
    String rest = text.replaceAll("\\s+", " ").strip();
    while (!rest.isEmpty() && lines.size() < maxLines) {
      int end = fitLength(rest, maxWidth);
      if (end < rest.length()) {
        int space = rest.lastIndexOf(' ', end);
        if (space > 0) {
          end = space;
        }
      }
      lines.add(rest.substring(0, end).strip());
      rest = rest.substring(end).strip();
    }
    if (!rest.isEmpty() && !lines.isEmpty()) {
      String last = lines.get(lines.size() - 1);
      while (!last.isEmpty() && width(last + "…") > maxWidth) {
        last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
      }
      lines.set(lines.size() - 1, last + "…");
    }
    return lines;
  }

  /** Length of the longest prefix that fits (at least one code point, so wrapping always advances). */
  private int fitLength(String text, int maxWidth) {
    int i = text.offsetByCodePoints(0, 1);
    while (i < text.length()) {
      int next = text.offsetByCodePoints(i, 1);
      if (width(text.substring(0, next)) > maxWidth) {
        return i;
      }
      i = next;
    }
    return i;
  }

  private int fontIndex(int cp) {
    for (int i = 0; i < fonts.size(); i++) {
      if (fonts.get(i).canDisplay(cp)) {
        return i;
      }
    }
    return 0;
  }
}
