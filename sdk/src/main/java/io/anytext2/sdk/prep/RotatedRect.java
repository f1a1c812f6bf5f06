package io.anytext2.sdk.prep;

/**
 * A rotated rectangle as OpenCV's {@code RotatedRect}: center, side lengths and angle in degrees,
 * all float32 like OpenCV. {@link PolygonGeometry#minAreaRect} returns the OpenCV 4.5.1 - 4.12
 * convention (MODEL.md §2.7.2 step 2): angle in (0, 90], an axis-aligned box reports 90 with the
 * sides swapped.
 */
public record RotatedRect(float centerX, float centerY, float width, float height, float angle) {

  /**
   * The four corners as OpenCV's {@code boxPoints} computes them, in float32: {@code [x0, y0, ...,
   * x3, y3]}.
   */
  public float[] boxPoints() {
    double radians = angle * Math.PI / 180.0;
    float b = (float) Math.cos(radians) * 0.5f;
    float a = (float) Math.sin(radians) * 0.5f;
    float[] p = new float[8];
    p[0] = centerX - a * height - b * width;
    p[1] = centerY + b * height - a * width;
    p[2] = centerX + a * height - b * width;
    p[3] = centerY - b * height - a * width;
    p[4] = 2 * centerX - p[0];
    p[5] = 2 * centerY - p[1];
    p[6] = 2 * centerX - p[2];
    p[7] = 2 * centerY - p[3];
    return p;
  }

  /** {@code np.int0(cv2.boxPoints(rect))}: the corners truncated toward zero. */
  public Polygon intBoxPoints() {
    float[] p = boxPoints();
    int[] xy = new int[8];
    for (int i = 0; i < 8; i++) {
      xy[i] = (int) p[i];
    }
    return Polygon.of(xy);
  }
}
