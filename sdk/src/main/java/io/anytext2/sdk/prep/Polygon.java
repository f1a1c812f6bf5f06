package io.anytext2.sdk.prep;

import java.util.List;

/**
 * A closed polygon in pixel coordinates (vertices in order, the last joined to the first), as the
 * original keeps its {@code m x 2 int32} arrays.
 */
public record Polygon(List<IntPoint> points) {

  public Polygon {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("expected at least one polygon vertex, found none");
    }
    points = List.copyOf(points);
  }

  /** From alternating x, y coordinates. */
  public static Polygon of(int... xy) {
    if (xy.length % 2 != 0) {
      throw new IllegalArgumentException(
          "expected an even number of coordinates, found " + xy.length);
    }
    IntPoint[] pts = new IntPoint[xy.length / 2];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = new IntPoint(xy[2 * i], xy[2 * i + 1]);
    }
    return new Polygon(List.of(pts));
  }

  public int size() {
    return points.size();
  }

  public IntPoint get(int i) {
    return points.get(i);
  }

  /** The vertex coordinates as {@code [x0, y0, x1, y1, ...]}. */
  public int[] toXy() {
    int[] xy = new int[points.size() * 2];
    for (int i = 0; i < points.size(); i++) {
      xy[2 * i] = points.get(i).x();
      xy[2 * i + 1] = points.get(i).y();
    }
    return xy;
  }
}
