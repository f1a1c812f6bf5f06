package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The OpenCV polygon functions the preprocessing relies on (MODEL.md §2.6, §2.7.2, §3.4.3, §6 item
 * 26), with OpenCV's arithmetic (float32 where OpenCV uses float) so that truncated corner
 * coordinates come out the same.
 */
public final class PolygonGeometry {

  private PolygonGeometry() {}

  /** {@code cv2.contourArea}: absolute shoelace area. */
  public static double contourArea(Polygon p) {
    int n = p.size();
    double a = 0;
    IntPoint prev = p.get(n - 1);
    for (IntPoint q : p.points()) {
      a += (double) prev.x() * q.y() - (double) prev.y() * q.x();
      prev = q;
    }
    return Math.abs(a * 0.5);
  }

  /** {@code cv2.arcLength(curve, closed=True)}; each segment length is a float32 sqrt. */
  public static double closedArcLength(Polygon p) {
    int n = p.size();
    double perimeter = 0;
    IntPoint prev = p.get(n - 1);
    for (IntPoint q : p.points()) {
      float dx = q.x() - prev.x();
      float dy = q.y() - prev.y();
      perimeter += (float) Math.sqrt(dx * dx + dy * dy);
      prev = q;
    }
    return perimeter;
  }

  /** {@code cv2.boundingRect(points)}: {x, y, width, height} with inclusive pixel extents. */
  public static int[] boundingRect(Polygon p) {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int maxY = Integer.MIN_VALUE;
    for (IntPoint q : p.points()) {
      minX = Math.min(minX, q.x());
      minY = Math.min(minY, q.y());
      maxX = Math.max(maxX, q.x());
      maxY = Math.max(maxY, q.y());
    }
    return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
  }

  /**
   * {@code cv2.approxPolyDP(curve, epsilon, closed=True)}: OpenCV's Douglas-Peucker with its
   * start-point search (three farthest-point passes), explicit stack and final collinear clean-up.
   */
  public static Polygon approxPolyDpClosed(Polygon curve, double epsilon) {
    IntPoint[] src = curve.points().toArray(new IntPoint[0]);
    int count = src.length;
    IntPoint[] dst = new IntPoint[count];
    int newCount = 0;
    double eps = epsilon * epsilon;
    int[] stackStart = new int[count + 2];
    int[] stackEnd = new int[count + 2];
    int top = 0;
    int pos = 0;
    int rightStart = 0;
    int sliceStart;
    int sliceEnd;
    boolean leEps = false;
    IntPoint startPt = null;
    for (int iter = 0; iter < 3; iter++) {
      double maxDist = 0;
      pos = (pos + rightStart) % count;
      startPt = src[pos];
      pos = (pos + 1) % count;
      for (int j = 1; j < count; j++) {
        IntPoint pt = src[pos];
        pos = (pos + 1) % count;
        double dx = pt.x() - startPt.x();
        double dy = pt.y() - startPt.y();
        double dist = dx * dx + dy * dy;
        if (dist > maxDist) {
          maxDist = dist;
          rightStart = j;
        }
      }
      leEps = maxDist <= eps;
    }
    if (!leEps) {
      sliceStart = pos % count;
      int rightEnd = sliceStart;
      sliceEnd = (rightStart + sliceStart) % count;
      rightStart = sliceEnd;
      stackStart[top] = rightStart;
      stackEnd[top++] = rightEnd;
      stackStart[top] = sliceStart;
      stackEnd[top++] = sliceEnd;
    } else {
      dst[newCount++] = startPt;
    }
    while (top > 0) {
      top--;
      sliceStart = stackStart[top];
      sliceEnd = stackEnd[top];
      IntPoint endPt = src[sliceEnd];
      pos = sliceStart;
      startPt = src[pos];
      pos = (pos + 1) % count;
      if (pos != sliceEnd) {
        double dx = endPt.x() - startPt.x();
        double dy = endPt.y() - startPt.y();
        double maxDist = 0;
        while (pos != sliceEnd) {
          IntPoint pt = src[pos];
          pos = (pos + 1) % count;
          double dist = Math.abs((pt.y() - startPt.y()) * dx - (pt.x() - startPt.x()) * dy);
          if (dist > maxDist) {
            maxDist = dist;
            rightStart = (pos + count - 1) % count;
          }
        }
        leEps = maxDist * maxDist <= eps * (dx * dx + dy * dy);
      } else {
        leEps = true;
        startPt = src[sliceStart];
      }
      if (leEps) {
        dst[newCount++] = startPt;
      } else {
        stackStart[top] = rightStart;
        stackEnd[top++] = sliceEnd;
        stackStart[top] = sliceStart;
        stackEnd[top++] = rightStart;
      }
    }
    // Final clean-up: drop points on (almost) straight runs, walking the closed result once.
    count = newCount;
    pos = count - 1;
    startPt = dst[pos];
    pos = (pos + 1) % count;
    int wpos = pos;
    IntPoint pt = dst[pos];
    pos = (pos + 1) % count;
    for (int i = 0; i < count && newCount > 2; i++) {
      IntPoint endPt = dst[pos];
      pos = (pos + 1) % count;
      double dx = endPt.x() - startPt.x();
      double dy = endPt.y() - startPt.y();
      double dist = Math.abs((pt.x() - startPt.x()) * dy - (pt.y() - startPt.y()) * dx);
      double inner =
          (pt.x() - startPt.x()) * (endPt.x() - pt.x())
              + (pt.y() - startPt.y()) * (endPt.y() - pt.y());
      if (dist * dist <= 0.5 * eps * (dx * dx + dy * dy) && dx != 0 && dy != 0 && inner >= 0) {
        newCount--;
        dst[wpos] = startPt = endPt;
        wpos = (wpos + 1) % count;
        pt = dst[pos];
        pos = (pos + 1) % count;
        i++;
        continue;
      }
      dst[wpos] = startPt = pt;
      wpos = (wpos + 1) % count;
      pt = endPt;
    }
    return new Polygon(Arrays.asList(dst).subList(0, newCount));
  }

  /** Convex hull (monotone chain, collinear points dropped), counter-clockwise in math axes. */
  public static List<IntPoint> convexHull(List<IntPoint> points) {
    IntPoint[] p = points.toArray(new IntPoint[0]);
    Arrays.sort(
        p,
        (a, b) -> a.x() != b.x() ? Integer.compare(a.x(), b.x()) : Integer.compare(a.y(), b.y()));
    int n = p.length;
    if (n < 3) {
      List<IntPoint> out = new ArrayList<>();
      for (IntPoint q : p) {
        if (out.isEmpty() || !out.get(out.size() - 1).equals(q)) {
          out.add(q);
        }
      }
      return out;
    }
    IntPoint[] hull = new IntPoint[2 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
        k--;
      }
      hull[k++] = p[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
        k--;
      }
      hull[k++] = p[i];
    }
    return new ArrayList<>(Arrays.asList(hull).subList(0, Math.max(1, k - 1)));
  }

  private static long cross(IntPoint o, IntPoint a, IntPoint b) {
    return (long) (a.x() - o.x()) * (b.y() - o.y()) - (long) (a.y() - o.y()) * (b.x() - o.x());
  }

  /**
   * {@code cv2.minAreaRect}: rotating calipers over the convex hull in float32 as OpenCV's {@code
   * rotatingCalipers}, reported in the OpenCV 4.5.1 - 4.12 convention (angle in (0, 90], MODEL.md
   * §2.7.2): any other representation of the same rectangle is turned by 90° steps, swapping the
   * sides at each step.
   */
  public static RotatedRect minAreaRect(Polygon points) {
    List<IntPoint> hull = convexHull(points.points());
    int n = hull.size();
    float cx;
    float cy;
    float w;
    float h;
    float angle;
    if (n > 2) {
      float[] out = rotatingCalipers(hull);
      cx = out[0] + (out[2] + out[4]) * 0.5f;
      cy = out[1] + (out[3] + out[5]) * 0.5f;
      w = (float) Math.sqrt((double) out[2] * out[2] + (double) out[3] * out[3]);
      h = (float) Math.sqrt((double) out[4] * out[4] + (double) out[5] * out[5]);
      angle = (float) Math.atan2(out[3], out[2]);
    } else if (n == 2) {
      IntPoint a = hull.get(0);
      IntPoint b = hull.get(1);
      cx = (a.x() + (float) b.x()) * 0.5f;
      cy = (a.y() + (float) b.y()) * 0.5f;
      double dx = b.x() - a.x();
      double dy = b.y() - a.y();
      w = (float) Math.sqrt(dx * dx + dy * dy);
      h = 0;
      angle = (float) Math.atan2(dy, dx);
    } else {
      cx = hull.get(0).x();
      cy = hull.get(0).y();
      w = 0;
      h = 0;
      angle = 0;
    }
    angle = (float) (angle * 180 / Math.PI);
    while (angle <= 0) {
      angle += 90;
      float t = w;
      w = h;
      h = t;
    }
    while (angle > 90) {
      angle -= 90;
      float t = w;
      w = h;
      h = t;
    }
    return new RotatedRect(cx, cy, w, h, angle);
  }

  // OpenCV's rotatingCalipers(CALIPERS_MINAREARECT): out = corner, side vector 1, side vector 2.
  private static float[] rotatingCalipers(List<IntPoint> hull) {
    int n = hull.size();
    float[] px = new float[n];
    float[] py = new float[n];
    for (int i = 0; i < n; i++) {
      px[i] = hull.get(i).x();
      py[i] = hull.get(i).y();
    }
    float[] vx = new float[n];
    float[] vy = new float[n];
    float[] invLen = new float[n];
    int left = 0;
    int bottom = 0;
    int right = 0;
    int top = 0;
    float leftX = px[0];
    float rightX = px[0];
    float topY = py[0];
    float bottomY = py[0];
    for (int i = 0; i < n; i++) {
      if (px[i] < leftX) {
        leftX = px[i];
        left = i;
      }
      if (px[i] > rightX) {
        rightX = px[i];
        right = i;
      }
      if (py[i] > topY) {
        topY = py[i];
        top = i;
      }
      if (py[i] < bottomY) {
        bottomY = py[i];
        bottom = i;
      }
      int j = i + 1 < n ? i + 1 : 0;
      double dx = px[j] - px[i];
      double dy = py[j] - py[i];
      vx[i] = (float) dx;
      vy[i] = (float) dy;
      invLen[i] = (float) (1.0 / Math.sqrt(dx * dx + dy * dy));
    }
    float orientation = 0;
    double ax = vx[n - 1];
    double ay = vy[n - 1];
    for (int i = 0; i < n; i++) {
      double convexity = ax * vy[i] - ay * vx[i];
      if (convexity != 0) {
        orientation = convexity > 0 ? 1f : -1f;
        break;
      }
      ax = vx[i];
      ay = vy[i];
    }
    float baseA = orientation;
    float baseB = 0;
    int[] seq = {bottom, right, top, left};
    float minArea = Float.MAX_VALUE;
    int bufLeft = 0;
    int bufBottom = 0;
    float bufA = 0;
    float bufB = 0;
    float bufWidth = 0;
    float bufHeight = 0;
    for (int k = 0; k < n; k++) {
      float[] dp = {
        baseA * vx[seq[0]] + baseB * vy[seq[0]],
        -baseB * vx[seq[1]] + baseA * vy[seq[1]],
        -baseA * vx[seq[2]] - baseB * vy[seq[2]],
        baseB * vx[seq[3]] - baseA * vy[seq[3]]
      };
      float maxCos = dp[0] * invLen[seq[0]];
      int main = 0;
      for (int i = 1; i < 4; i++) {
        float cosAlpha = dp[i] * invLen[seq[i]];
        if (cosAlpha > maxCos) {
          main = i;
          maxCos = cosAlpha;
        }
      }
      int pIndex = seq[main];
      float leadX = vx[pIndex] * invLen[pIndex];
      float leadY = vy[pIndex] * invLen[pIndex];
      switch (main) {
        case 0 -> {
          baseA = leadX;
          baseB = leadY;
        }
        case 1 -> {
          baseA = leadY;
          baseB = -leadX;
        }
        case 2 -> {
          baseA = -leadX;
          baseB = -leadY;
        }
        default -> {
          baseA = -leadY;
          baseB = leadX;
        }
      }
      seq[main] = seq[main] + 1 == n ? 0 : seq[main] + 1;
      float dx = px[seq[1]] - px[seq[3]];
      float dy = py[seq[1]] - py[seq[3]];
      float width = dx * baseA + dy * baseB;
      dx = px[seq[2]] - px[seq[0]];
      dy = py[seq[2]] - py[seq[0]];
      float height = -dx * baseB + dy * baseA;
      float area = width * height;
      if (area <= minArea) {
        minArea = area;
        bufLeft = seq[3];
        bufA = baseA;
        bufWidth = width;
        bufB = baseB;
        bufHeight = height;
        bufBottom = seq[0];
      }
    }
    float a1 = bufA;
    float b1 = bufB;
    float a2 = -bufB;
    float b2 = bufA;
    float c1 = a1 * px[bufLeft] + py[bufLeft] * b1;
    float c2 = a2 * px[bufBottom] + py[bufBottom] * b2;
    float idet = 1.f / (a1 * b2 - a2 * b1);
    float cornerX = (c1 * b2 - c2 * b1) * idet;
    float cornerY = (a1 * c2 - a2 * c1) * idet;
    return new float[] {
      cornerX, cornerY, a1 * bufWidth, b1 * bufWidth, a2 * bufHeight, b2 * bufHeight
    };
  }
}
