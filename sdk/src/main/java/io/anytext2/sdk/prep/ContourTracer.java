package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.List;

/**
 * External contours of a binary mask, as {@code cv2.findContours(mask, RETR_EXTERNAL, method)}:
 * Suzuki-Abe border following of the outer border of every 8-connected component that does not lie
 * inside a hole of another one, starting at the component's first pixel in raster order.
 *
 * <p>The tracing loop mirrors OpenCV's {@code icvFetchContour} step by step (same start direction,
 * same neighbour search order), so the point sequence, its start and its direction are the ones
 * {@code approxPolyDP} sees in the original (MODEL.md §2.6 step 6).
 */
public final class ContourTracer {

  /** How many border pixels to keep (OpenCV's CHAIN_APPROX_NONE / CHAIN_APPROX_SIMPLE). */
  public enum Approximation {
    /** Every border pixel. */
    NONE,
    /** Only the pixels where the chain direction changes. */
    SIMPLE
  }

  // Chain code directions in OpenCV order: 0 = right, then counter-clockwise as displayed.
  private static final int[] DX = {1, 1, 0, -1, -1, -1, 0, 1};
  private static final int[] DY = {0, -1, -1, -1, 0, 1, 1, 1};

  private ContourTracer() {}

  /**
   * The external contours in the order OpenCV returns them. OpenCV prepends each new contour to its
   * list, so the contour found last in the raster scan comes first [unverified for OpenCV 5].
   */
  public static List<Polygon> external(Mask mask, Approximation method) {
    // Text and position masks cover a small part of the picture, and the work below is per component
    // and per pixel: trace the bounding box of the set pixels with a one-pixel background margin (a
    // ring of background around everything, so "connected to the outside" and every contour are the
    // ones of the whole mask), then move the points back.
    int[] box = bounds(mask);
    if (box == null) return List.of();
    int x0 = Math.max(0, box[0] - 1), y0 = Math.max(0, box[1] - 1);
    int x1 = Math.min(mask.width() - 1, box[2] + 1), y1 = Math.min(mask.height() - 1, box[3] + 1);
    if (x0 == 0 && y0 == 0 && x1 == mask.width() - 1 && y1 == mask.height() - 1) return externalInFrame(mask, method);
    int rw = x1 - x0 + 1, rh = y1 - y0 + 1;
    byte[] src = mask.bits();
    byte[] roi = new byte[rw * rh];
    for (int y = 0; y < rh; y++) System.arraycopy(src, (y0 + y) * mask.width() + x0, roi, y * rw, rw);
    List<Polygon> out = new ArrayList<>();
    for (Polygon p : externalInFrame(Mask.wrap(rw, rh, roi), method)) {
      List<IntPoint> moved = new ArrayList<>(p.size());
      for (IntPoint q : p.points()) moved.add(new IntPoint(q.x() + x0, q.y() + y0));
      out.add(new Polygon(moved));
    }
    return out;
  }

  /** {x0, y0, x1, y1} (inclusive) of the set pixels, or null for an empty mask. */
  private static int[] bounds(Mask mask) {
    int w = mask.width(), h = mask.height();
    byte[] bits = mask.bits();
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        if (bits[row + x] != 0) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y0 == h) y0 = y;
          y1 = y;
        }
      }
    }
    return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
  }

  /** {@link #external} traced over the whole frame of {@code mask} (package-private for the equivalence test). */
  static List<Polygon> externalInFrame(Mask mask, Approximation method) {
    int w = mask.width();
    int h = mask.height();
    ConnectedComponents.Labeling labeling = ConnectedComponents.find(mask);
    boolean[] outside = outsideBackground(mask);
    int pw = w + 2;
    // A padded copy of one component at a time: OpenCV also pads with a zero border.
    List<int[]> starts = new ArrayList<>();
    List<ConnectedComponents.Component> components = labeling.components();
    int[] firstPixel = new int[components.size()];
    java.util.Arrays.fill(firstPixel, -1);
    boolean[] external = new boolean[components.size()];
    byte[] bits = mask.bits();
    int[] label = labeling.labelsView();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int l = label[i];
        if (l < 0) {
          continue;
        }
        if (firstPixel[l] < 0) {
          firstPixel[l] = i;
          starts.add(new int[] {l, x, y});
        }
        if (!external[l] && touchesOutside(bits, outside, w, h, x, y)) {
          external[l] = true;
        }
      }
    }
    List<Polygon> found = new ArrayList<>();
    for (int[] s : starts) {
      int l = s[0];
      if (!external[l]) {
        continue;
      }
      byte[] padded = new byte[pw * (h + 2)];
      for (int i = 0; i < label.length; i++) {
        if (label[i] == l) {
          padded[(i / w + 1) * pw + i % w + 1] = 1;
        }
      }
      found.add(trace(padded, pw, s[1], s[2], method));
    }
    List<Polygon> out = new ArrayList<>(found.size());
    for (int k = found.size() - 1; k >= 0; k--) {
      out.add(found.get(k));
    }
    return out;
  }

  /**
   * The contour with the largest {@link PolygonGeometry#contourArea}; among equal areas the first
   * in OpenCV's order, as Python's {@code max(contours, key=cv2.contourArea)} picks.
   */
  public static Polygon largestExternal(Mask mask, Approximation method) {
    Polygon best = null;
    double bestArea = -1;
    for (Polygon p : external(mask, method)) {
      double a = PolygonGeometry.contourArea(p);
      if (a > bestArea) {
        best = p;
        bestArea = a;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("expected a mask with at least one pixel set, found none");
    }
    return best;
  }

  // icvFetchContour for an outer border starting at (x0, y0) (unpadded coordinates).
  private static Polygon trace(byte[] img, int pw, int x0, int y0, Approximation method) {
    int[] delta = new int[16];
    for (int k = 0; k < 8; k++) {
      delta[k] = DY[k] * pw + DX[k];
      delta[k + 8] = delta[k];
    }
    List<IntPoint> pts = new ArrayList<>();
    int i0 = (y0 + 1) * pw + x0 + 1;
    int px = x0;
    int py = y0;
    int s = 4;
    int sEnd = 4;
    int i1;
    do {
      s = (s - 1) & 7;
      i1 = i0 + delta[s];
    } while (img[i1] == 0 && s != sEnd);
    if (s == sEnd) {
      pts.add(new IntPoint(px, py));
      return new Polygon(pts);
    }
    int i3 = i0;
    int prevS = s ^ 4;
    while (true) {
      sEnd = s;
      int i4 = i3;
      while (s < 15) {
        i4 = i3 + delta[++s];
        if (img[i4] != 0) {
          break;
        }
      }
      s &= 7;
      if (method == Approximation.NONE || s != prevS) {
        pts.add(new IntPoint(px, py));
        prevS = s;
      }
      px += DX[s];
      py += DY[s];
      if (i4 == i0 && i3 == i1) {
        break;
      }
      i3 = i4;
      s = (s + 4) & 7;
    }
    return new Polygon(pts);
  }

  /** Background pixels 4-connected to the image frame (foreground is 8-connected). */
  private static boolean[] outsideBackground(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    byte[] bits = mask.bits();
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[w * h];
    int top = 0;
    for (int x = 0; x < w; x++) {
      top = push(bits, seen, stack, top, x);
      top = push(bits, seen, stack, top, (h - 1) * w + x);
    }
    for (int y = 0; y < h; y++) {
      top = push(bits, seen, stack, top, y * w);
      top = push(bits, seen, stack, top, y * w + w - 1);
    }
    while (top > 0) {
      int i = stack[--top];
      int x = i % w;
      int y = i / w;
      if (x > 0) {
        top = push(bits, seen, stack, top, i - 1);
      }
      if (x < w - 1) {
        top = push(bits, seen, stack, top, i + 1);
      }
      if (y > 0) {
        top = push(bits, seen, stack, top, i - w);
      }
      if (y < h - 1) {
        top = push(bits, seen, stack, top, i + w);
      }
    }
    return seen;
  }

  private static int push(byte[] bits, boolean[] seen, int[] stack, int top, int i) {
    if (bits[i] == 0 && !seen[i]) {
      seen[i] = true;
      stack[top++] = i;
    }
    return top;
  }

  /** Whether a set pixel lies on the frame or 4-touches background connected to the frame. */
  private static boolean touchesOutside(
      byte[] bits, boolean[] outside, int w, int h, int x, int y) {
    if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
      return true;
    }
    int i = y * w + x;
    return outside[i - 1] || outside[i + 1] || outside[i - w] || outside[i + w];
  }
}
