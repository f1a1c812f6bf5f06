package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The colour of a text line (MODEL.md §2.3, §6 item 21): raw RGB 0..255, or 500,500,500 meaning "no
 * colour given" (a learned code of the colour embedding).
 */
public record TextColor(int red, int green, int blue) {

  /** The "no colour given" code. */
  public static final TextColor UNSPECIFIED = new TextColor(500, 500, 500);

  public TextColor {
    for (int v : new int[] {red, green, blue}) {
      if (v < 0) {
        throw new IllegalArgumentException("expected colour channels >= 0, found " + v);
      }
    }
  }

  public boolean isSpecified() {
    return !equals(UNSPECIFIED);
  }

  /** The wrapper's {@code "r,g,b"} token (integers, as {@code int(p)}). */
  public static TextColor parseToken(String token) {
    String[] p = token.trim().split(",");
    if (p.length != 3) {
      throw new IllegalArgumentException("expected a colour \"r,g,b\", found \"" + token + "\"");
    }
    try {
      return new TextColor(
          Integer.parseInt(p[0].trim()),
          Integer.parseInt(p[1].trim()),
          Integer.parseInt(p[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a colour \"r,g,b\", found \"" + token + "\"", e);
    }
  }

  /**
   * The wrapper's {@code text_colors} argument: space-separated {@code "r,g,b"} tokens, the first n
   * used; lines without a token are {@link #UNSPECIFIED}.
   */
  public static List<TextColor> parseList(String textColors, int n) {
    List<TextColor> out = new ArrayList<>();
    String trimmed = textColors == null ? "" : textColors.trim();
    String[] tokens = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    for (int i = 0; i < n; i++) {
      out.add(i < tokens.length ? parseToken(tokens[i]) : UNSPECIFIED);
    }
    return out;
  }

  /**
   * The demo's colour-picker value (§2.3): {@code null} is unspecified; an {@code rgba(...)} string
   * gives {@code int(float(x))} of its first three numbers; otherwise a CSS colour ({@code #rgb},
   * {@code #rrggbb}, with optional alpha digits, or {@code rgb(r, g, b)}). Black becomes
   * unspecified; white does too, but only from an {@code rgba(...)} string [quirk].
   */
  public static TextColor fromWidget(String value) {
    if (value == null) {
      return UNSPECIFIED;
    }
    String v = value.trim();
    int[] rgb;
    boolean fromRgba = v.contains("rgba");
    if (fromRgba) {
      rgb = numbers(v.substring(v.lastIndexOf('(') + 1, closing(v)));
    } else {
      rgb = css(v);
    }
    boolean black = rgb[0] == 0 && rgb[1] == 0 && rgb[2] == 0;
    boolean white = rgb[0] == 255 && rgb[1] == 255 && rgb[2] == 255;
    if (black || (fromRgba && white)) {
      return UNSPECIFIED;
    }
    return new TextColor(rgb[0], rgb[1], rgb[2]);
  }

  /** The {@code colors_j} tensor values: each channel as float32 divided by 255 in float32. */
  public float[] tensorValues() {
    return new float[] {red / 255f, green / 255f, blue / 255f};
  }

  /**
   * What the colour projection sees: the tensor values times 255 again in float32 (§6 item 21),
   * equal to the raw values up to float32 rounding.
   */
  public float[] projectionInput() {
    float[] t = tensorValues();
    return new float[] {t[0] * 255f, t[1] * 255f, t[2] * 255f};
  }

  /** The colour glyphs are drawn with: channels clipped to [10, 255] (500 draws white). */
  public int[] renderColor() {
    return GlyphRenderer.inkColor(new int[] {red, green, blue});
  }

  private static int closing(String v) {
    int i = v.indexOf(')', v.lastIndexOf('('));
    return i < 0 ? v.length() : i;
  }

  private static int[] numbers(String inner) {
    String[] p = inner.split(",");
    if (p.length < 3) {
      throw new IllegalArgumentException("expected three colour numbers, found \"" + inner + "\"");
    }
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        out[i] = (int) Double.parseDouble(p[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a colour number, found \"" + p[i] + "\"", e);
      }
    }
    return out;
  }

  private static int[] css(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    if (s.startsWith("#")) {
      String hex = s.substring(1);
      if (hex.length() == 3 || hex.length() == 4) {
        return new int[] {
          Integer.parseInt(hex.substring(0, 1).repeat(2), 16),
          Integer.parseInt(hex.substring(1, 2).repeat(2), 16),
          Integer.parseInt(hex.substring(2, 3).repeat(2), 16)
        };
      }
      if (hex.length() == 6 || hex.length() == 8) {
        return new int[] {
          Integer.parseInt(hex.substring(0, 2), 16),
          Integer.parseInt(hex.substring(2, 4), 16),
          Integer.parseInt(hex.substring(4, 6), 16)
        };
      }
    } else if (s.startsWith("rgb(") && s.endsWith(")")) {
      return numbers(s.substring(4, s.length() - 1));
    }
    throw new IllegalArgumentException(
        "expected a colour like \"#ff8800\", \"rgb(255, 136, 0)\" or \"rgba(255, 136, 0, 1)\","
            + " found \""
            + v
            + "\"");
  }
}
