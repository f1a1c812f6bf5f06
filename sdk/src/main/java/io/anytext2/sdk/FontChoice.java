package io.anytext2.sdk;

import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Path;

/**
 * The font style of one text line (MODEL.md §2.4, §2.8). The glyphs themselves are always drawn with
 * the rendering font; this choice drives the style (font-hint) input of the embedding manager.
 */
public sealed interface FontChoice {

  /** No style hint (the original's 'None'). */
  record Unspecified() implements FontChoice {}

  /** A bundled font by name (see {@code anytext2 fonts}). */
  record Bundled(String name) implements FontChoice {}

  /** A TTF/OTF/TTC file. */
  record File(Path path) implements FontChoice {}

  /** Copy the style of example text in {@code region} of {@code image} (the demo's "Mimic From Image"). */
  record Mimic(RgbImage image, Polygon region) implements FontChoice {}

  static FontChoice unspecified() {
    return new Unspecified();
  }

  /** "name" of a bundled font, or a path to a font file (anything with a font file extension or a separator). */
  static FontChoice parse(String s) {
    String v = s.trim();
    if (v.isEmpty() || v.equalsIgnoreCase("none")) return unspecified();
    String lower = v.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".ttf") || lower.endsWith(".otf") || lower.endsWith(".ttc") || v.contains("/") || v.contains("\\")) {
      return new File(Path.of(v));
    }
    return new Bundled(v);
  }
}
