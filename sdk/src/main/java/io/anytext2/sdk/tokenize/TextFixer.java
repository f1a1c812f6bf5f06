package io.anytext2.sdk.tokenize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of {@code ftfy.fix_text} (ftfy 6, default settings) that the CLIP tokenizer relies on
 * for typed prompts (MODEL.md §3.2: the reference environment has ftfy, so HF CLIPTokenizer runs
 * {@code fix_text} before whitespace cleaning and lower-casing).
 *
 * <p>Implemented, in ftfy's order, repeated until the text stops changing, line by line:
 *
 * <ul>
 *   <li>{@code unescape_html} ("auto"): {@code &name;} for the HTML 4 entity names plus
 *       {@code &apos;} (and the upper-cased form of the lower-case-only names, e.g.
 *       {@code &EACUTE;}), numeric {@code &#NN;} / {@code &#xHH;} with Python {@code html.unescape}
 *       rules; switched off for the rest of the text from the first line containing {@code <};
 *   <li>{@code fix_c1_controls}: U+0080..U+009F decoded as (sloppy) Windows-1252;
 *   <li>{@code fix_latin_ligatures}: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ Ĳ ĳ ŉ Ǳ ǲ ǳ Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ expanded;
 *   <li>{@code fix_character_width}: U+3000 to a space, U+FF01..U+FFEF to their NFKC form
 *       (full-width ASCII to ASCII, half-width katakana / hangul to the normal forms);
 *   <li>{@code uncurl_quotes}: U+2018..U+201B and U+02BC to {@code '}, U+201C..U+201F to
 *       {@code "};
 *   <li>{@code fix_line_breaks}: CRLF, CR, U+2028, U+2029, U+0085 to LF;
 *   <li>{@code fix_surrogates}: an unpaired surrogate becomes U+FFFD;
 *   <li>{@code remove_terminal_escapes}: ANSI {@code ESC [ digits/; letter} sequences removed;
 *   <li>{@code remove_control_chars}: U+0000..0008, 000B, 000E..001F, 007F, 206A..206F, FEFF,
 *       FFF9..FFFC removed (tab, LF, FF and CR are kept);
 *   <li>NFC normalization.
 * </ul>
 *
 * <p>Not implemented: ftfy's mojibake repair ({@code fix_encoding} with its sub-steps
 * {@code restore_byte_a0}, {@code replace_lossy_sequences}, {@code decode_inconsistent_utf8}),
 * which guesses whether text was decoded with the wrong codec (e.g. {@code "â€™"} back to
 * {@code "’"}); the ~1,900 HTML5-only entity names; ftfy's 1,000,000-character segment limit.
 * Prompts typed into a Java program do not carry mis-decoded bytes, so these do not arise there.
 */
public final class TextFixer {

  private static final Pattern HTML_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
  private static final Pattern DECIMAL_REF = Pattern.compile("&#([0-9]+);");
  private static final Pattern HEX_REF = Pattern.compile("&#[xX]([0-9a-fA-F]+);");
  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001b\\[((?:\\p{Nd}|;)*)([a-zA-Z])");
  private static final Map<String, String> NAMED_ENTITIES = loadEntities();

  /** Windows-1252 for 0x80..0x9F; 0 where the codec has no character (ftfy keeps the byte). */
  private static final char[] WINDOWS_1252_C1 = {
    '\u20ac', 0, '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
    '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', 0, '\u017d', 0,
    0, '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
    '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', 0, '\u017e', '\u0178'
  };

  private static final Map<Integer, String> LIGATURES = Map.ofEntries(
      Map.entry(0x0132, "IJ"), Map.entry(0x0133, "ij"), Map.entry(0x0149, "\u02bcn"),
      Map.entry(0x01F1, "DZ"), Map.entry(0x01F2, "Dz"), Map.entry(0x01F3, "dz"),
      Map.entry(0x01C4, "D\u017d"), Map.entry(0x01C5, "D\u017e"), Map.entry(0x01C6, "d\u017e"),
      Map.entry(0x01C7, "LJ"), Map.entry(0x01C8, "Lj"), Map.entry(0x01C9, "lj"),
      Map.entry(0x01CA, "NJ"), Map.entry(0x01CB, "Nj"), Map.entry(0x01CC, "nj"),
      Map.entry(0xFB00, "ff"), Map.entry(0xFB01, "fi"), Map.entry(0xFB02, "fl"),
      Map.entry(0xFB03, "ffi"), Map.entry(0xFB04, "ffl"), Map.entry(0xFB05, "\u017ft"),
      Map.entry(0xFB06, "st"));

  private TextFixer() {}

  /** {@code ftfy.fix_text(text)} restricted to the fixes listed in the class comment. */
  public static String fix(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescapeHtml = true;
    int pos = 0;
    while (pos < text.length()) {
      int lineEnd = text.indexOf('\n', pos) + 1;
      if (lineEnd == 0) {
        lineEnd = text.length();
      }
      String segment = text.substring(pos, lineEnd);
      if (unescapeHtml && segment.indexOf('<') >= 0) {
        unescapeHtml = false; // ftfy "auto": text that looks like HTML keeps its entities from here on
      }
      out.append(fixSegment(segment, unescapeHtml));
      pos = lineEnd;
    }
    return out.toString();
  }

  private static String fixSegment(String text, boolean unescapeHtml) {
    while (true) {
      String before = text;
      if (unescapeHtml) {
        text = unescapeHtml(text);
      }
      text = fixC1Controls(text);
      text = mapCodePoints(text, LIGATURES::get);
      text = mapCodePoints(text, TextFixer::characterWidth);
      text = uncurlQuotes(text);
      text = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
          .replace('\u2029', '\n').replace('\u0085', '\n');
      text = replaceLoneSurrogates(text);
      text = ANSI_ESCAPE.matcher(text).replaceAll("");
      text = removeControlChars(text);
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) {
        return text;
      }
    }
  }

  static String unescapeHtml(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = HTML_ENTITY.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(decodeEntity(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decodeEntity(String entity) {
    String named = NAMED_ENTITIES.get(entity);
    if (named != null) {
      return named;
    }
    Matcher dec = DECIMAL_REF.matcher(entity);
    Matcher hex = HEX_REF.matcher(entity);
    String decoded = dec.matches() ? decodeCharRef(new BigInteger(dec.group(1)))
        : hex.matches() ? decodeCharRef(new BigInteger(hex.group(1), 16))
        : entity;
    // ftfy keeps the reference when the decoded text still holds a ';' (html.unescape did not
    // consume it, e.g. "&#xZZ;"; also "&#59;")
    return decoded.indexOf(';') >= 0 ? entity : decoded;
  }

  /** Python {@code html._replace_charref} for a numeric reference. */
  private static String decodeCharRef(BigInteger value) {
    if (value.bitLength() > 31 || value.intValue() > 0x10FFFF) {
      return "\ufffd";
    }
    int cp = value.intValue();
    if (cp == 0) {
      return "\ufffd";
    }
    if (cp == 0x0D) {
      return "\r";
    }
    if (cp >= 0x80 && cp <= 0x9F) {
      char c = WINDOWS_1252_C1[cp - 0x80];
      return String.valueOf(c == 0 ? (char) cp : c);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return "\ufffd";
    }
    boolean invalid = (cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F)
        || cp == 0x7F || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    return invalid ? "" : new String(Character.toChars(cp));
  }

  private static String fixC1Controls(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && c <= 0x9F && WINDOWS_1252_C1[c - 0x80] != 0) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, WINDOWS_1252_C1[c - 0x80]);
      }
    }
    return out == null ? text : out.toString();
  }

  private static String characterWidth(int cp) {
    if (cp == 0x3000) {
      return " ";
    }
    if (cp >= 0xFF01 && cp <= 0xFFEF) {
      String s = String.valueOf((char) cp);
      String nfkc = Normalizer.normalize(s, Normalizer.Form.NFKC);
      return nfkc.equals(s) ? null : nfkc;
    }
    return null;
  }

  private static String uncurlQuotes(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char r = (c >= '\u2018' && c <= '\u201b') || c == '\u02bc' ? '\''
          : (c >= '\u201c' && c <= '\u201f') ? '"' : c;
      if (r != c) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, r);
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replaceLoneSurrogates(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, '\ufffd');
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean isRemovedControl(int cp) {
    return (cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F
        || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC);
  }

  private static String removeControlChars(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().filter(cp -> !isRemovedControl(cp)).forEach(out::appendCodePoint);
    return out.length() == text.length() ? text : out.toString();
  }

  private static String mapCodePoints(String text, java.util.function.IntFunction<String> mapping) {
    StringBuilder out = new StringBuilder(text.length());
    boolean changed = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      String r = mapping.apply(cp);
      if (r == null) {
        out.appendCodePoint(cp);
      } else {
        out.append(r);
        changed = true;
      }
      i += Character.charCount(cp);
    }
    return changed ? out.toString() : text;
  }

  /** HTML 4 names (resource) plus ftfy's upper-cased variants of the lower-case-only names. */
  private static Map<String, String> loadEntities() {
    Map<String, String> byName = new HashMap<>();
    try (InputStream in = TextFixer.class.getResourceAsStream("html-entities.txt")) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/anytext2/sdk/tokenize/html-entities.txt");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        byName.put(parts[0], new String(Character.toChars(Integer.parseInt(parts[1], 16))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> entities = new HashMap<>();
    byName.forEach((name, value) -> entities.put("&" + name + ";", value));
    byName.forEach((name, value) -> {
      String upper = name.toUpperCase(Locale.ROOT);
      if (name.equals(name.toLowerCase(Locale.ROOT)) && !byName.containsKey(upper)) {
        entities.put("&" + upper + ";", value.toUpperCase(Locale.ROOT));
      }
    });
    return Map.copyOf(entities);
  }
}
