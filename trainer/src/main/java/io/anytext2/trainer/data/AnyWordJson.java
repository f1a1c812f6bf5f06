package io.anytext2.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.sdk.prep.IntPoint;
import io.anytext2.sdk.prep.Polygon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code data_list} element of an AnyWord-3M file (TRAINING.md §1.2-§1.3) and applies the
 * load-time rules of §1.6. A structurally bad element gives a one-line message instead of an entry;
 * the dataset skips and counts it (the original would crash on most of these).
 */
final class AnyWordJson {

  /** Coordinates beyond this are treated as corrupt rather than as a line off the image. */
  private static final int MAX_COORDINATE = 1 << 20;
  /** Caption suffixes of §1.6 (cap_watermark). */
  private static final String WATERMARK = " with watermarks ";
  private static final String NO_WATERMARK = " no watermarks ";
  private static final double WATERMARK_CAPTION_THRESHOLD = 0.5;

  /** Load-time switches of T3DataSet (train.py values by default). */
  record Options(double wmThresh, boolean captionWatermark) {
    static final Options DEFAULTS = new Options(1.0, true);
  }

  /**
   * The outcome for one element: exactly one of {@code entry} (kept), {@code watermarked} (skipped
   * by wm_thresh) or {@code error} (malformed).
   */
  record Parsed(AnyWordEntry entry, boolean watermarked, String error, int emptyPolygons, int invalidLines) {
    static Parsed error(String message) {
      return new Parsed(null, false, message, 0, 0);
    }
  }

  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private AnyWordJson() {}

  static Parsed parse(JsonNode node, Path dataRoot, Path source, int index, Options options) {
    try {
      return parseOrThrow(node, dataRoot, source, index, options);
    } catch (Malformed e) {
      return Parsed.error(e.getMessage());
    }
  }

  private static Parsed parseOrThrow(JsonNode node, Path dataRoot, Path source, int index, Options options) {
    if (!node.isObject()) {
      throw new Malformed("expected an entry object, found " + kind(node));
    }
    String imgName = requiredString(node, "img_name", "entry");
    if (imgName.isBlank()) {
      throw new Malformed("expected a non-empty img_name, found \"\"");
    }
    Double wmScore = optionalNumber(node, "wm_score");
    if (wmScore != null && wmScore > options.wmThresh()) {
      return new Parsed(null, true, null, 0, 0);
    }
    String caption = optionalString(node, "caption", "entry");
    caption = caption == null ? "" : caption.replace("*", " ");
    if (wmScore != null && options.captionWatermark()) {
      caption += wmScore > WATERMARK_CAPTION_THRESHOLD ? WATERMARK : NO_WATERMARK;
    }
    List<TextAnnotation> lines = new ArrayList<>();
    List<Polygon> invalid = new ArrayList<>();
    int empty = 0;
    JsonNode annotations = node.get("annotations");
    if (annotations != null && !annotations.isNull()) {
      if (!annotations.isArray()) {
        throw new Malformed("expected annotations to be an array, found " + kind(annotations));
      }
      for (int k = 0; k < annotations.size(); k++) {
        JsonNode a = annotations.get(k);
        String where = "annotation " + k;
        if (!a.isObject()) {
          throw new Malformed("expected " + where + " to be an object, found " + kind(a));
        }
        JsonNode poly = a.get("polygon");
        if (poly == null || poly.isNull()) {
          throw new Malformed(where + " has no polygon");
        }
        if (poly.isArray() && poly.isEmpty()) {
          empty++; // §1.6: dropped entirely
          continue;
        }
        Polygon polygon = polygon(poly, where);
        JsonNode valid = a.get("valid");
        if (valid != null && !valid.isNull() && !valid.isBoolean()) {
          throw new Malformed("expected " + where + " valid to be true or false, found " + kind(valid));
        }
        if (valid != null && valid.isBoolean() && !valid.booleanValue()) {
          invalid.add(polygon);
          continue;
        }
        String text = requiredString(a, "text", where);
        String language = requiredString(a, "language", where);
        try {
          language = Languages.normalise(language, text);
        } catch (IllegalArgumentException e) {
          throw new Malformed(where + ": " + e.getMessage());
        }
        lines.add(new TextAnnotation(polygon, text, language, color(a.get("color"), where)));
      }
    }
    Path image = dataRoot.resolve(imgName);
    AnyWordEntry entry = new AnyWordEntry(image, caption, lines, invalid, source, index);
    return new Parsed(entry, false, null, empty, invalid.size());
  }

  /** At least 3 {@code [x, y]} pairs of finite numbers, truncated to int as numpy's int32 cast. */
  private static Polygon polygon(JsonNode poly, String where) {
    if (!poly.isArray()) {
      throw new Malformed("expected " + where + " polygon to be a list of [x, y], found " + kind(poly));
    }
    if (poly.size() < 3) {
      throw new Malformed("expected " + where + " polygon to have at least 3 points, found " + poly.size());
    }
    List<IntPoint> pts = new ArrayList<>(poly.size());
    for (JsonNode p : poly) {
      if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
        throw new Malformed("expected " + where + " polygon points to be [x, y] numbers, found " + p);
      }
      double x = p.get(0).asDouble();
      double y = p.get(1).asDouble();
      if (!(Math.abs(x) < MAX_COORDINATE && Math.abs(y) < MAX_COORDINATE)) {
        throw new Malformed("expected " + where + " polygon coordinates within ±" + MAX_COORDINATE + ", found " + p);
      }
      pts.add(new IntPoint((int) x, (int) y));
    }
    return new Polygon(pts);
  }

  private static int[] color(JsonNode c, String where) {
    if (c == null || c.isNull()) {
      return TextAnnotation.noColor();
    }
    if (!c.isArray() || c.size() != 3) {
      throw new Malformed("expected " + where + " color to be [r, g, b], found " + c);
    }
    int[] rgb = new int[3];
    for (int i = 0; i < 3; i++) {
      JsonNode v = c.get(i);
      if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= TextAnnotation.NO_COLOR_VALUE)) {
        throw new Malformed("expected " + where + " color values in 0..255 (500 = none), found " + c);
      }
      rgb[i] = (int) v.asDouble();
    }
    return rgb;
  }

  private static String requiredString(JsonNode obj, String field, String where) {
    String s = optionalString(obj, field, where);
    if (s == null) {
      throw new Malformed(where + " has no " + field);
    }
    return s;
  }

  private static String optionalString(JsonNode obj, String field, String where) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Malformed("expected " + where + " " + field + " to be a string, found " + kind(v));
    }
    return v.textValue();
  }

  private static Double optionalNumber(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new Malformed("expected " + field + " to be a number, found " + kind(v));
    }
    return v.asDouble();
  }

  private static String kind(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "the string \"" + n.textValue() + "\"";
    }
    return n.getNodeType().name().toLowerCase() + " " + n;
  }
}
