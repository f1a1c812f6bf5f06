package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Position image to per-line position masks, as the original wrapper does (MODEL.md §2.6): channel
 * 0, strict threshold at 254, 8-connected components of at least 20 pixels, sorted in bands of 102
 * px, each outlined by Douglas-Peucker (1% of the perimeter) with the filled outline OR-ed back
 * into the component mask.
 */
public final class PositionMasks {

  /** Components smaller than this are noise (MODEL.md §2.6 step 3). */
  public static final int MIN_AREA = 20;

  /** Band size of the sort key (MODEL.md §2.6 step 4). */
  public static final int SORT_GAP = 102;

  /** Douglas-Peucker tolerance as a fraction of the contour perimeter (§2.6 step 6). */
  public static final double APPROX_EPSILON = 0.01;

  private PositionMasks() {}

  /**
   * Detects the positions in a position image ("white = text area on black", already at the output
   * size; in edit mode resize it first, {@link EditImage}).
   */
  public static PositionLayout fromImage(RgbImage positionImage, SortPriority priority) {
    int w = positionImage.width();
    int h = positionImage.height();
    int[] red = positionImage.channel(0);
    byte[] bits = new byte[w * h];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = red[i] > 254 ? (byte) 1 : 0; // cv2.threshold(..., 254, 255, THRESH_BINARY)
    }
    return fromBinary(Mask.wrap(w, h, bits), priority);
  }

  /** {@link #fromImage} for an already binarised position map. */
  public static PositionLayout fromBinary(Mask binary, SortPriority priority) {
    ConnectedComponents.Labeling labeling = ConnectedComponents.find(binary);
    List<ConnectedComponents.Component> kept = new ArrayList<>();
    for (ConnectedComponents.Component c : labeling.components()) {
      if (c.area() >= MIN_AREA) {
        kept.add(c);
      }
    }
    // Python's stable sort on (c_first // 102, c_second // 102).
    Comparator<ConnectedComponents.Component> order =
        priority == SortPriority.TOP_DOWN
            ? Comparator.comparingDouble((ConnectedComponents.Component c) -> band(c.centroidY()))
                .thenComparingDouble(c -> band(c.centroidX()))
            : Comparator.comparingDouble((ConnectedComponents.Component c) -> band(c.centroidX()))
                .thenComparingDouble(c -> band(c.centroidY()));
    kept.sort(order);
    List<LinePlacement> placements = new ArrayList<>();
    Mask hint = Mask.empty(binary.width(), binary.height());
    for (ConnectedComponents.Component c : kept) {
      LinePlacement p = outline(labeling.mask(c));
      placements.add(p);
      hint = hint.or(p.mask());
    }
    return new PositionLayout(binary.width(), binary.height(), placements, hint);
  }

  /**
   * Placements from explicit polygons, in the given order: each mask is the filled polygon (as
   * cv2.fillPoly draws it). This equals drawing the polygons into a position image when they do not
   * touch, are given in the sorted order and come back unchanged from the outline step.
   */
  public static PositionLayout fromPolygons(int width, int height, List<Polygon> polygons) {
    List<LinePlacement> placements = new ArrayList<>();
    Mask hint = Mask.empty(width, height);
    for (Polygon p : polygons) {
      Mask m = PolygonRasterizer.fill(width, height, p);
      placements.add(new LinePlacement(p, m));
      hint = hint.or(m);
    }
    return new PositionLayout(width, height, placements, hint);
  }

  /**
   * The original's {@code find_polygon}: largest external contour, Douglas-Peucker outline, and the
   * outline filled into the mask itself [quirk].
   */
  public static LinePlacement outline(Mask component) {
    Polygon contour = ContourTracer.largestExternal(component, ContourTracer.Approximation.NONE);
    double eps = APPROX_EPSILON * PolygonGeometry.closedArcLength(contour);
    Polygon poly = PolygonGeometry.approxPolyDpClosed(contour, eps);
    Mask filled = PolygonRasterizer.fill(component.width(), component.height(), poly);
    return new LinePlacement(poly, component.or(filled));
  }

  private static double band(double centroid) {
    return Math.floor(centroid / SORT_GAP);
  }
}
