package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Filled polygons as OpenCV draws them with {@code cv2.fillPoly} / {@code cv2.drawContours(...,
 * thickness=-1)} (8-connected lines, no sub-pixel shift): every edge is first drawn as a Bresenham
 * line, then the interior is scan-filled with OpenCV's 16.16 fixed-point edge walker ({@code
 * CollectPolyEdges} + {@code FillEdgeCollection} of OpenCV 4.x).
 */
public final class PolygonRasterizer {

  private static final int XY_SHIFT = 16;
  private static final long XY_ONE = 1L << XY_SHIFT;

  private PolygonRasterizer() {}

  /** A new mask with the filled polygons. */
  public static Mask fill(int width, int height, List<Polygon> polygons) {
    byte[] bits = new byte[width * height];
    fillInto(bits, width, height, polygons, (byte) 1);
    return Mask.wrap(width, height, bits);
  }

  /** {@link #fill} of one polygon. */
  public static Mask fill(int width, int height, Polygon polygon) {
    return fill(width, height, List.of(polygon));
  }

  /** Fills the polygons into a row-major byte raster with {@code value}. */
  static void fillInto(byte[] img, int width, int height, List<Polygon> polygons, byte value) {
    List<Edge> edges = new ArrayList<>();
    for (Polygon p : polygons) {
      collectEdges(img, width, height, p, edges, value);
    }
    fillEdges(img, width, height, edges, value);
  }

  private static final class Edge {
    int y0;
    int y1;
    long x;
    long dx;
    Edge next;
  }

  private static void collectEdges(
      byte[] img, int w, int h, Polygon poly, List<Edge> edges, byte value) {
    int count = poly.size();
    IntPoint last = poly.get(count - 1);
    long p0x = (long) last.x() << XY_SHIFT;
    long p0y = last.y();
    for (int i = 0; i < count; i++) {
      IntPoint v = poly.get(i);
      long p1x = (long) v.x() << XY_SHIFT;
      long p1y = v.y();
      long[] t = {(p0x + (XY_ONE >> 1)) >> XY_SHIFT, p0y, (p1x + (XY_ONE >> 1)) >> XY_SHIFT, p1y};
      line(img, w, h, (int) t[0], (int) t[1], (int) t[2], (int) t[3], value);
      long p0cy = p0y;
      long p1cy = p1y;
      if (t[0] < 0 || t[0] >= w || t[2] < 0 || t[2] >= w || t[1] < 0 || t[1] >= h || t[3] < 0
          || t[3] >= h) {
        clipLine(w, h, t);
        if (t[1] != t[3]) {
          p0cy = t[1];
          p1cy = t[3];
        }
      }
      long p0cx = t[0] << XY_SHIFT;
      long p1cx = t[2] << XY_SHIFT;
      if (p0y != p1y) {
        Edge e = new Edge();
        e.dx = (p1cx - p0cx) / (p1cy - p0cy);
        if (p0y < p1y) {
          e.y0 = (int) p0y;
          e.y1 = (int) p1y;
          e.x = p0cx + (p0y - p0cy) * e.dx;
        } else {
          e.y0 = (int) p1y;
          e.y1 = (int) p0y;
          e.x = p1cx + (p1y - p1cy) * e.dx;
        }
        edges.add(e);
      }
      p0x = p1x;
      p0y = p1y;
    }
  }

  private static void fillEdges(byte[] img, int w, int h, List<Edge> edges, byte value) {
    int total = edges.size();
    if (total < 2) {
      return;
    }
    int yMax = Integer.MIN_VALUE;
    int yMin = Integer.MAX_VALUE;
    long xMax = Long.MIN_VALUE;
    long xMin = Long.MAX_VALUE;
    for (Edge e : edges) {
      long x1 = e.x + (e.y1 - e.y0) * e.dx;
      yMin = Math.min(yMin, e.y0);
      yMax = Math.max(yMax, e.y1);
      xMin = Math.min(xMin, Math.min(e.x, x1));
      xMax = Math.max(xMax, Math.max(e.x, x1));
    }
    if (yMax < 0 || yMin >= h || xMax < 0 || xMin >= ((long) w << XY_SHIFT)) {
      return;
    }
    List<Edge> sorted = new ArrayList<>(edges);
    sorted.sort(
        Comparator.<Edge>comparingInt(e -> e.y0)
            .thenComparingLong(e -> e.x)
            .thenComparingLong(e -> e.dx));
    Edge sentinel = new Edge();
    sentinel.y0 = Integer.MAX_VALUE;
    sorted.add(sentinel);
    Edge head = new Edge(); // OpenCV's "tmp": head of the active edge list
    int i = 0;
    Edge e = sorted.get(0);
    yMax = Math.min(yMax, h);
    long delta = XY_ONE - 1;
    for (int y = e.y0; y < yMax; y++) {
      boolean draw = false;
      boolean clipline = y < 0;
      Edge prelast = head;
      Edge last = head.next;
      while (last != null || e.y0 == y) {
        if (last != null && last.y1 == y) {
          prelast.next = last.next; // the edge ends here
          last = last.next;
          continue;
        }
        Edge keepPrelast = prelast;
        if (last != null && (e.y0 > y || last.x < e.x)) {
          prelast = last;
          last = last.next;
        } else if (i < total) {
          prelast.next = e; // the edge starts here
          e.next = last;
          prelast = e;
          e = sorted.get(++i);
        } else {
          break;
        }
        if (draw) {
          if (!clipline) {
            int x1;
            int x2;
            if (keepPrelast.x > prelast.x) {
              x1 = (int) ((prelast.x + delta) >> XY_SHIFT);
              x2 = (int) (keepPrelast.x >> XY_SHIFT);
            } else {
              x1 = (int) ((keepPrelast.x + delta) >> XY_SHIFT);
              x2 = (int) (prelast.x >> XY_SHIFT);
            }
            if (x1 < w && x2 >= 0) {
              x1 = Math.max(x1, 0);
              x2 = Math.min(x2, w - 1);
              for (int x = x1; x <= x2; x++) {
                img[y * w + x] = value;
              }
            }
          }
          keepPrelast.x += keepPrelast.dx;
          prelast.x += prelast.dx;
        }
        draw = !draw;
      }
      // bubble sort of the active list by x
      Edge keep = null;
      do {
        prelast = head;
        last = head.next;
        Edge lastExchange = null;
        while (last != keep && last.next != null) {
          Edge te = last.next;
          if (last.x > te.x) {
            prelast.next = te;
            last.next = te.next;
            te.next = last;
            prelast = te;
            lastExchange = prelast;
          } else {
            prelast = last;
            last = te;
          }
        }
        if (lastExchange == null) {
          break;
        }
        keep = lastExchange;
      } while (keep != head.next && keep != head);
    }
  }

  /** OpenCV's 8-connected {@code Line} (LineIterator, left to right), clipped to the image. */
  static void line(byte[] img, int w, int h, int x1, int y1, int x2, int y2, byte value) {
    long[] p = {x1, y1, x2, y2};
    if (x1 < 0 || x1 >= w || x2 < 0 || x2 >= w || y1 < 0 || y1 >= h || y2 < 0 || y2 >= h) {
      if (!clipLine(w, h, p)) {
        return;
      }
    }
    int ax = (int) p[0];
    int ay = (int) p[1];
    int bx = (int) p[2];
    int by = (int) p[3];
    if (bx < ax) { // left to right
      int tx = ax;
      int ty = ay;
      ax = bx;
      ay = by;
      bx = tx;
      by = ty;
    }
    int dx = bx - ax;
    int dy = by - ay;
    int stepY = 1;
    if (dy < 0) {
      dy = -dy;
      stepY = -1;
    }
    boolean steep = dy > dx;
    int major = steep ? dy : dx;
    int minor = steep ? dx : dy;
    int err = major - (minor + minor);
    int x = ax;
    int y = ay;
    for (int k = 0; k <= major; k++) {
      img[y * w + x] = value;
      boolean minorStep = err < 0;
      err += -(minor + minor) + (minorStep ? major + major : 0);
      if (steep) {
        y += stepY;
        if (minorStep) {
          x += 1;
        }
      } else {
        x += 1;
        if (minorStep) {
          y += stepY;
        }
      }
    }
  }

  /** OpenCV's {@code clipLine(Size, pt1, pt2)} on {x1, y1, x2, y2}; false when fully outside. */
  static boolean clipLine(int width, int height, long[] p) {
    long right = width - 1;
    long bottom = height - 1;
    int c1 = code(p[0], p[1], right, bottom);
    int c2 = code(p[2], p[3], right, bottom);
    if ((c1 & c2) == 0 && (c1 | c2) != 0) {
      long a;
      if ((c1 & 12) != 0) {
        a = c1 < 8 ? 0 : bottom;
        p[0] += (long) ((double) (a - p[1]) * (p[2] - p[0]) / (p[3] - p[1]));
        p[1] = a;
        c1 = (p[0] < 0 ? 1 : 0) + (p[0] > right ? 2 : 0);
      }
      if ((c2 & 12) != 0) {
        a = c2 < 8 ? 0 : bottom;
        p[2] += (long) ((double) (a - p[3]) * (p[2] - p[0]) / (p[3] - p[1]));
        p[3] = a;
        c2 = (p[2] < 0 ? 1 : 0) + (p[2] > right ? 2 : 0);
      }
      if ((c1 & c2) == 0 && (c1 | c2) != 0) {
        if (c1 != 0) {
          a = c1 == 1 ? 0 : right;
          p[1] += (long) ((double) (a - p[0]) * (p[3] - p[1]) / (p[2] - p[0]));
          p[0] = a;
          c1 = 0;
        }
        if (c2 != 0) {
          a = c2 == 1 ? 0 : right;
          p[3] += (long) ((double) (a - p[2]) * (p[3] - p[1]) / (p[2] - p[0]));
          p[2] = a;
          c2 = 0;
        }
      }
    }
    return (c1 | c2) == 0;
  }

  private static int code(long x, long y, long right, long bottom) {
    return (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
  }
}
