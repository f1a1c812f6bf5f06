package io.anytext2.sdk;

/** An sRGB text colour, each channel 0–255. */
public record Rgb(int r, int g, int b) {
  public Rgb {
    check(r, "red");
    check(g, "green");
    check(b, "blue");
  }

  /** Parses "R,G,B" (e.g. "200,30,40") or "#RRGGBB". */
  public static Rgb parse(String s) {
    String v = s.trim();
    try {
      if (v.startsWith("#") && v.length() == 7) {
        int rgb = Integer.parseInt(v.substring(1), 16);
        return new Rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
      }
      String[] p = v.split(",");
      if (p.length == 3) return new Rgb(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("colour '" + s + "': expected R,G,B with each 0-255, or #RRGGBB");
  }

  private static void check(int v, String name) {
    if (v < 0 || v > 255) throw new IllegalArgumentException("colour " + name + " channel must be 0-255, found " + v);
  }
}
