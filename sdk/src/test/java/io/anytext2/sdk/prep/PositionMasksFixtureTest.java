package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Position masks, polygons and hint against the original's outputs (parity README (c)). */
class PositionMasksFixtureTest {

  @Test
  void genPositionsPolygonsAndHintMatchExactly() {
    check("gen", "gen_draw_pos.png", 2);
  }

  @Test
  void editPositionsPolygonsAndHintMatchExactly() {
    check("edit", "edit_draw_pos.png", 1);
  }

  /** The filled polygons found reproduce the drawn components (a fillPoly check). */
  @Test
  void filledPolygonsReproduceTheDrawnPositions() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      JsonNode found = fx.json().get("gen").get("polygons_found");
      for (int j = 0; j < 2; j++) {
        Mask expected = fx.mask("gen/cond/positions_" + j);
        Mask filled = PolygonRasterizer.fill(128, 128, polygon(found.get(j)));
        System.out.printf(
            "fillPoly(gen polygon %d): %d px, %d differ from positions_%d (IoU %.4f)%n",
            j, filled.count(), differing(expected, filled), j, expected.iou(filled));
        assertEquals(expected, filled);
      }
    }
  }

  private static void check(String mode, String png, int lines) {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      RgbImage drawPos = RgbImage.read(fx.file(png));
      assertEquals(fx.rgb(mode + "/in/draw_pos"), drawPos, "png equals the stored draw_pos");
      PositionLayout layout = PositionMasks.fromImage(drawPos, SortPriority.TOP_DOWN);
      JsonNode found = fx.json().get(mode).get("polygons_found");
      for (int j = 0; j < lines; j++) {
        Mask expected = fx.mask(mode + "/cond/positions_" + j);
        Mask actual = layout.positionMask(j);
        System.out.printf(
            "%s positions_%d: %d px expected, %d px actual, %d differ%n",
            mode, j, expected.count(), actual.count(), differing(expected, actual));
        assertEquals(expected, actual, mode + " positions_" + j);
        assertEquals(polygon(found.get(j)), layout.line(j).orElseThrow().polygon(), "polygon " + j);
      }
      assertEquals(fx.mask(mode + "/cond/hint"), layout.hint(), mode + " hint");
    }
  }

  static Polygon polygon(JsonNode node) {
    List<IntPoint> pts = new ArrayList<>();
    for (JsonNode p : node) {
      pts.add(new IntPoint(p.get(0).asInt(), p.get(1).asInt()));
    }
    return new Polygon(pts);
  }

  static int differing(Mask a, Mask b) {
    int n = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        n += a.get(x, y) != b.get(x, y) ? 1 : 0;
      }
    }
    return n;
  }
}
