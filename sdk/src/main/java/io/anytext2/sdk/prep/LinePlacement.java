package io.anytext2.sdk.prep;

/**
 * Where one text line goes: its polygon (the Douglas-Peucker outline of a position component, or a
 * caller's polygon) and its position mask (the component with the filled polygon OR-ed in, MODEL.md
 * §2.6 step 6).
 */
public record LinePlacement(Polygon polygon, Mask mask) {

  public LinePlacement {
    if (polygon == null || mask == null) {
      throw new IllegalArgumentException("expected a polygon and a mask, found null");
    }
  }
}
