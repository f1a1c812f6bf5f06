package io.anytext2.sdk.tokenize;

import java.util.Locale;

/**
 * The text clean-up of HF {@code CLIPTokenizer._tokenize} with ftfy installed (MODEL.md §3.2):
 * {@code whitespace_clean(ftfy.fix_text(text)).lower()}, i.e. {@link TextFixer#fix}, then every
 * run of whitespace to one space, strip, then lower-case.
 */
public final class ClipTextNormalizer {

  private ClipTextNormalizer() {}

  public static String normalize(String text) {
    String fixed = TextFixer.fix(text);
    StringBuilder out = new StringBuilder(fixed.length());
    boolean pendingSpace = false;
    for (int i = 0; i < fixed.length(); ) {
      int cp = fixed.codePointAt(i);
      i += Character.charCount(cp);
      if (isPythonWhitespace(cp)) {
        pendingSpace = out.length() > 0; // leading whitespace is stripped
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    // Python str.lower(): full Unicode lower-case mapping, locale independent
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Python's {@code str.isspace()} / {@code re} {@code \s} for str patterns: bidirectional classes
   * WS, B, S and category Zs. This includes U+001C..U+001F, which Java's White_Space omits.
   */
  static boolean isPythonWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
        || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }
}
