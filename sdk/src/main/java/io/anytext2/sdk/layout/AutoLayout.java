package io.anytext2.sdk.layout;

import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Places lines that have no position: each gets an axis-aligned box in a horizontal band of the
 * canvas, wide enough for its characters at a readable height, avoiding areas already taken. (The
 * original has no such feature: a line without a drawn position renders nothing.)
 *
 * <p>Bands: the canvas' middle 80 % is split into as many equal rows as there are lines to place
 * (at least 3, so a single line sits in the middle third); each line takes the free row with the
 * least overlap with taken areas, top-down. The box height is 70 % of the row (at most H/4), its
 * width ≈ 0.9 × height per character, clamped to 90 % of the canvas width, centred.
 */
public final class AutoLayout {
  private AutoLayout() {}

  /**
   * @param texts the lines to place (in order)
   * @param taken areas already used by positioned lines (may be empty)
   * @return one polygon per text, in order
   */
  public static List<Polygon> place(List<String> texts, int width, int height, Mask taken) {
    int n = texts.size();
    int rows = Math.max(3, n);
    double top = height * 0.1;
    double rowH = height * 0.8 / rows;
    boolean[] used = new boolean[rows];
    Mask occupied = taken == null ? Mask.empty(width, height) : taken;
    List<Polygon> out = new ArrayList<>();
    for (String text : texts) {
      int chars = Math.max(1, text.codePointCount(0, text.length()));
      int boxH = (int) Math.max(8, Math.min(rowH * 0.7, height / 4.0));
      int boxW = (int) Math.min(width * 0.9, Math.max(boxH, chars * boxH * 0.9));
      int best = -1;
      long bestOverlap = Long.MAX_VALUE;
      for (int r = rows == n ? 0 : (rows - n) / 2, k = 0; k < rows; k++, r = (r + 1) % rows) {
        if (used[r]) continue;
        Polygon p = box(width, top + r * rowH + (rowH - boxH) / 2, boxW, boxH);
        long overlap = overlap(PolygonRasterizer.fill(width, height, p), occupied);
        if (overlap < bestOverlap) {
          bestOverlap = overlap;
          best = r;
        }
      }
      used[best] = true;
      Polygon p = box(width, top + best * rowH + (rowH - boxH) / 2, boxW, boxH);
      occupied = occupied.or(PolygonRasterizer.fill(width, height, p));
      out.add(p);
    }
    return out;
  }

  private static Polygon box(int width, double y0, int w, int h) {
    int x0 = (width - w) / 2;
    int y = (int) Math.round(y0);
    return Polygon.of(x0, y, x0 + w, y, x0 + w, y + h, x0, y + h);
  }

  private static long overlap(Mask a, Mask b) {
    long n = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        if (a.get(x, y) != 0 && b.get(x, y) != 0) n++;
      }
    }
    return n;
  }
}
