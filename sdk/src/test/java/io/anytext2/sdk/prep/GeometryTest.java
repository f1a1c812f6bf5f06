package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic checks of the OpenCV geometry ports (MODEL.md §2.6, §6 item 26). */
class GeometryTest {

  static Mask rect(int w, int h, int x0, int y0, int x1, int y1) {
    byte[] b = new byte[w * h];
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        b[y * w + x] = 1;
      }
    }
    return new Mask(w, h, b);
  }

  @Test
  void axisAlignedBoxReportsNinetyDegreesWithSwappedSides() {
    RotatedRect r = PolygonGeometry.minAreaRect(Polygon.of(12, 12, 116, 12, 116, 48, 12, 48));
    assertEquals(64f, r.centerX());
    assertEquals(30f, r.centerY());
    assertEquals(36f, r.width());
    assertEquals(104f, r.height());
    assertEquals(90f, r.angle());
    assertEquals(Polygon.of(12, 12, 116, 12, 116, 48, 12, 48), r.intBoxPoints());
  }

  @Test
  void rotatedRectangleKeepsItsGeometryAndAngleRange() {
    // corners of a 40 x 10 rectangle turned by 30 degrees around (50, 50), rounded
    double a = Math.toRadians(30);
    List<IntPoint> pts = new ArrayList<>();
    for (double[] c : new double[][] {{-20, -5}, {20, -5}, {20, 5}, {-20, 5}}) {
      pts.add(
          new IntPoint(
              (int) Math.round(50 + c[0] * Math.cos(a) - c[1] * Math.sin(a)),
              (int) Math.round(50 + c[0] * Math.sin(a) + c[1] * Math.cos(a))));
    }
    RotatedRect r = PolygonGeometry.minAreaRect(new Polygon(pts));
    assertTrue(r.angle() > 0 && r.angle() <= 90, "angle in (0, 90]: " + r.angle());
    assertEquals(50, r.centerX(), 0.6);
    assertEquals(50, r.centerY(), 0.6);
    assertEquals(40, Math.max(r.width(), r.height()), 1.5);
    assertEquals(10, Math.min(r.width(), r.height()), 1.5);
    double longAngle = r.width() > r.height() ? r.angle() : r.angle() - 90;
    assertEquals(30, Math.abs(longAngle) == 60 ? 30 : longAngle, 3);
  }

  @Test
  void contourOfAFilledBoxStartsTopLeftAndGoesDown() {
    Polygon c =
        ContourTracer.largestExternal(rect(20, 20, 3, 4, 8, 6), ContourTracer.Approximation.NONE);
    assertEquals(new IntPoint(3, 4), c.get(0));
    assertEquals(new IntPoint(3, 5), c.get(1));
    assertEquals(2 * (5 + 2), c.size()); // every border pixel once
    Polygon simple =
        ContourTracer.largestExternal(rect(20, 20, 3, 4, 8, 6), ContourTracer.Approximation.SIMPLE);
    assertEquals(Polygon.of(3, 4, 3, 6, 8, 6, 8, 4), simple);
    assertEquals(10.0, PolygonGeometry.contourArea(simple));
    assertEquals(14.0, PolygonGeometry.closedArcLength(simple));
  }

  @Test
  void externalContoursSkipComponentsInsideHolesAndComeLastFoundFirst() {
    byte[] b = rect(30, 30, 2, 2, 12, 12).data();
    for (int y = 4; y <= 10; y++) {
      for (int x = 4; x <= 10; x++) {
        b[y * 30 + x] = 0; // hole
      }
    }
    b[7 * 30 + 7] = 1; // island inside the hole
    for (int y = 20; y <= 22; y++) {
      for (int x = 20; x <= 25; x++) {
        b[y * 30 + x] = 1;
      }
    }
    List<Polygon> cs =
        ContourTracer.external(new Mask(30, 30, b), ContourTracer.Approximation.SIMPLE);
    assertEquals(2, cs.size());
    assertEquals(new IntPoint(20, 20), cs.get(0).get(0));
    assertEquals(new IntPoint(2, 2), cs.get(1).get(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> ContourTracer.largestExternal(Mask.empty(5, 5), ContourTracer.Approximation.NONE));
  }

  @Test
  void douglasPeuckerReducesABoxToItsCornersInOpenCvOrder() {
    Polygon contour =
        ContourTracer.largestExternal(
            rect(128, 128, 12, 12, 116, 48), ContourTracer.Approximation.NONE);
    Polygon p =
        PolygonGeometry.approxPolyDpClosed(
            contour, 0.01 * PolygonGeometry.closedArcLength(contour));
    assertEquals(Polygon.of(12, 12, 12, 48, 116, 48, 116, 12), p);
  }

  @Test
  void fillPolyCoversTheBoxAndTheInteriorOfATriangle() {
    assertEquals(
        rect(40, 40, 5, 6, 20, 30),
        PolygonRasterizer.fill(40, 40, Polygon.of(5, 6, 20, 6, 20, 30, 5, 30)));
    Polygon tri = Polygon.of(2, 2, 37, 10, 12, 35);
    Mask m = PolygonRasterizer.fill(40, 40, tri);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        double s =
            Math.min(
                Math.min(side(2, 2, 37, 10, x, y), side(37, 10, 12, 35, x, y)),
                side(12, 35, 2, 2, x, y));
        if (s > 1.0) {
          assertEquals(1, m.get(x, y), "inside pixel " + x + "," + y);
        } else if (s < -1.0) {
          assertEquals(0, m.get(x, y), "outside pixel " + x + "," + y);
        }
      }
    }
    for (IntPoint v : tri.points()) {
      assertEquals(1, m.get(v.x(), v.y()), "vertex " + v);
    }
  }

  // signed distance of (x, y) to the line a->b, positive on the triangle's inner side
  private static double side(int ax, int ay, int bx, int by, int x, int y) {
    double cross = (bx - ax) * (double) (y - ay) - (by - ay) * (double) (x - ax);
    return cross / Math.hypot(bx - ax, by - ay);
  }

  @Test
  void linesAreEightConnectedAndClipped() {
    byte[] img = new byte[10 * 10];
    PolygonRasterizer.line(img, 10, 10, 0, 0, 9, 3, (byte) 1);
    int n = 0;
    for (byte v : img) {
      n += v;
    }
    assertEquals(10, n);
    assertEquals(1, img[0]);
    assertEquals(1, img[3 * 10 + 9]);
    byte[] clipped = new byte[10 * 10];
    PolygonRasterizer.line(clipped, 10, 10, -5, 5, 20, 5, (byte) 1);
    for (int x = 0; x < 10; x++) {
      assertEquals(1, clipped[5 * 10 + x]);
    }
  }

  @Test
  void componentsAreEightConnectedAndNumberedByFirstBlock() {
    byte[] b = new byte[12 * 6];
    b[1 * 12 + 8] = 1; // component A starts at row 1, block (0, 4)
    b[0 * 12 + 10] = 1; // component B starts at row 0, block (0, 5)
    b[2 * 12 + 9] = 1; // diagonal neighbour of A: same component
    b[5 * 12 + 0] = 1; // component C
    ConnectedComponents.Labeling l = ConnectedComponents.find(new Mask(12, 6, b));
    assertEquals(3, l.components().size());
    ConnectedComponents.Component first = l.components().get(0);
    assertEquals(2, first.area());
    assertEquals(8.5, first.centroidX());
    assertEquals(1.5, first.centroidY());
    assertEquals(10.0, l.components().get(1).centroidX());
    assertEquals(1, l.mask(first).get(9, 2));
  }

  @Test
  void positionsAreThresholdedFilteredAndSortedByBands() {
    int w = 256;
    int h = 256;
    byte[] px = new byte[w * h * 3];
    paint(px, w, 150, 10, 240, 40, 255); // top right
    paint(px, w, 10, 20, 100, 50, 255); // top left (same 102-px row band)
    paint(px, w, 10, 150, 100, 180, 255); // bottom left
    paint(px, w, 200, 200, 202, 202, 255); // 9 px: noise, dropped
    paint(px, w, 150, 150, 240, 180, 254); // 254 is not > 254: ignored
    RgbImage img = new RgbImage(w, h, px);
    PositionLayout topDown = PositionMasks.fromImage(img, SortPriority.TOP_DOWN);
    assertEquals(3, topDown.placements().size());
    assertEquals(10, topDown.placements().get(0).polygon().get(0).x());
    assertEquals(150, topDown.placements().get(1).polygon().get(0).x());
    assertEquals(150, topDown.placements().get(2).polygon().get(0).y());
    PositionLayout leftRight = PositionMasks.fromImage(img, SortPriority.LEFT_RIGHT);
    assertEquals(150, leftRight.placements().get(1).polygon().get(0).y());
    assertEquals(
        rect(w, h, 10, 20, 100, 50)
            .or(rect(w, h, 150, 10, 240, 40))
            .or(rect(w, h, 10, 150, 100, 180)),
        topDown.hint());
    assertThrows(
        IllegalArgumentException.class, () -> topDown.requireLinesFor(List.of("a", "b", "c", "d")));
    PositionMasks.fromBinary(Mask.empty(8, 8), SortPriority.TOP_DOWN).requireLinesFor(List.of(" "));
    assertEquals(SortPriority.LEFT_RIGHT, SortPriority.fromSymbol("↔"));
  }

  @Test
  void explicitPolygonsKeepTheirOrder() {
    PositionLayout l =
        PositionMasks.fromPolygons(
            64,
            64,
            List.of(
                Polygon.of(40, 40, 60, 40, 60, 50, 40, 50),
                Polygon.of(2, 2, 20, 2, 20, 10, 2, 10)));
    assertEquals(rect(64, 64, 40, 40, 60, 50), l.positionMask(0));
    assertEquals(Mask.empty(64, 64), l.positionMask(2));
  }

  private static void paint(byte[] px, int w, int x0, int y0, int x1, int y1, int v) {
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        for (int c = 0; c < 3; c++) {
          px[(y * w + x) * 3 + c] = (byte) v;
        }
      }
    }
  }
}
