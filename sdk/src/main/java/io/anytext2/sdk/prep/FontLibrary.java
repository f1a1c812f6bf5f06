package io.anytext2.sdk.prep;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.HorizontalHeaderTable;
import org.apache.fontbox.ttf.OS2WindowsMetricsTable;
import org.apache.fontbox.ttf.OTFParser;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

/**
 * The fonts text is drawn with: the two bundled faces (DejaVu Sans for Latin, WenQuanYi Micro Hei
 * for CJK, kana and Hangul; see fonts/README.md) and user font files (TTF, OTF, TTC).
 *
 * <p>The bundled fonts live once in the repository's {@code fonts/} folder; the sdk build packages
 * them into the jar under {@value #RESOURCE_DIR}, so the jar works standalone. {@link #bundled()}
 * reads them from the directory named by the system property {@value #FONTS_DIR_PROPERTY} when it
 * is set, else from the jar.
 *
 * <p>The original draws every line with one font (Arial Unicode, which covers all scripts). Here
 * the rendering face is DejaVu Sans (the parity fixtures were drawn with it), and characters it
 * lacks are drawn with the first bundled face that has them ({@link #split}); characters no face
 * covers are an error naming them.
 */
public final class FontLibrary {

  /** System property: a directory holding the bundled font files (overrides the jar copies). */
  public static final String FONTS_DIR_PROPERTY = "anytext2.fonts.dir";

  /** Class-path folder of the bundled fonts inside the sdk jar. */
  public static final String RESOURCE_DIR = "/io/anytext2/sdk/fonts/";

  /** The Latin face, also the default rendering face. */
  public static final String LATIN_FONT = "DejaVuSans.ttf";

  /** The CJK + Hangul face. */
  public static final String CJK_FONT = "wqy-microhei.ttc";

  private final List<FontFace> faces;

  private FontLibrary(List<FontFace> faces) {
    this.faces = List.copyOf(faces);
  }

  private static final class Bundled {
    static final FontLibrary INSTANCE = loadBundled();
  }

  /** The bundled faces (loaded once per JVM). */
  public static FontLibrary bundled() {
    return Bundled.INSTANCE;
  }

  /** The bundled font files read from a directory (e.g. the repository's {@code fonts/}). */
  public static FontLibrary fromDirectory(Path dir) {
    List<FontFace> faces = new ArrayList<>();
    for (String file : List.of(LATIN_FONT, CJK_FONT)) {
      Path p = dir.resolve(file);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("expected font file " + p + ", found none");
      }
      faces.add(load(p));
    }
    return new FontLibrary(faces);
  }

  private static FontLibrary loadBundled() {
    String dir = System.getProperty(FONTS_DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      return fromDirectory(Path.of(dir));
    }
    List<FontFace> faces = new ArrayList<>();
    for (String file : List.of(LATIN_FONT, CJK_FONT)) {
      try (InputStream in = FontLibrary.class.getResourceAsStream(RESOURCE_DIR + file)) {
        if (in == null) {
          throw new IllegalStateException(
              "bundled font "
                  + RESOURCE_DIR
                  + file
                  + " is not on the class path; set -D"
                  + FONTS_DIR_PROPERTY
                  + "=<repository>/fonts");
        }
        faces.add(loadFaces(in.readAllBytes(), file).get(0));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled font " + file, e);
      }
    }
    return new FontLibrary(faces);
  }

  /** The bundled faces in fallback order (Latin first). */
  public List<FontFace> faces() {
    return faces;
  }

  /** The default rendering face (DejaVu Sans). */
  public FontFace renderingFace() {
    return faces.get(0);
  }

  /** The first face of a font file (TTF, OTF or TTC). */
  public static FontFace load(Path file) {
    return loadAll(file).get(0);
  }

  /** All faces of a font file (one for TTF/OTF, every face of a TTC/OTC). */
  public static List<FontFace> loadAll(Path file) {
    try {
      return loadFaces(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read font file " + file, e);
    }
  }

  /** One run of text drawn with one face: {@code [start, end)} in UTF-16 indices of the text. */
  public record Run(FontFace face, int start, int end) {}

  /**
   * Splits text into runs: characters the primary face covers stay with it, others go to the first
   * bundled face that has them (whitespace always stays with its neighbours' face).
   *
   * @throws IllegalArgumentException naming every character no face covers
   */
  public List<Run> split(String text, FontFace primary) {
    List<Run> runs = new ArrayList<>();
    StringBuilder missing = new StringBuilder();
    FontFace current = null;
    int runStart = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      FontFace face = faceFor(cp, primary, current);
      if (face == null) {
        if (missing.indexOf(new String(Character.toChars(cp))) < 0) {
          missing.appendCodePoint(cp);
        }
        face = current != null ? current : primary;
      }
      if (face != current) {
        if (current != null) {
          runs.add(new Run(current, runStart, i));
        }
        current = face;
        runStart = i;
      }
      i += Character.charCount(cp);
    }
    if (missing.length() > 0) {
      StringBuilder codes = new StringBuilder();
      missing.codePoints().forEach(cp -> codes.append(String.format(" U+%04X", cp)));
      throw new IllegalArgumentException(
          "expected characters that "
              + primary.name()
              + " or a bundled font can draw, found \""
              + missing
              + "\" ("
              + codes.toString().trim()
              + ")");
    }
    if (current != null) {
      runs.add(new Run(current, runStart, text.length()));
    }
    return runs;
  }

  private FontFace faceFor(int cp, FontFace primary, FontFace current) {
    if (Character.isWhitespace(cp) || Character.getType(cp) == Character.CONTROL) {
      return current != null ? current : primary;
    }
    if (primary.covers(cp)) {
      return primary;
    }
    for (FontFace f : faces) {
      if (f.covers(cp)) {
        return f;
      }
    }
    return null;
  }

  private static List<FontFace> loadFaces(byte[] bytes, String source) throws IOException {
    Font[] awt;
    try {
      awt = Font.createFonts(new ByteArrayInputStream(bytes));
    } catch (FontFormatException e) {
      throw new IllegalArgumentException(
          "expected a TrueType/OpenType font or collection, found an unreadable file: " + source,
          e);
    }
    List<FontFace> faces = new ArrayList<>();
    String tag =
        bytes.length >= 4
            ? new String(bytes, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
            : "";
    if (tag.equals("ttcf")) {
      try (TrueTypeCollection ttc = new TrueTypeCollection(new ByteArrayInputStream(bytes))) {
        ttc.processAllFonts(ttf -> faces.add(face(ttf, awt[faces.size()], source)));
      }
    } else {
      TTFParser parser = tag.equals("OTTO") ? new OTFParser(true) : new TTFParser(true);
      try (TrueTypeFont ttf = parser.parse(new RandomAccessReadBuffer(bytes))) {
        faces.add(face(ttf, awt[0], source));
      }
    }
    if (faces.size() != awt.length) {
      throw new IllegalArgumentException(
          "expected " + awt.length + " faces in " + source + ", found " + faces.size());
    }
    return faces;
  }

  private static FontFace face(TrueTypeFont ttf, Font awt, String source) throws IOException {
    CmapLookup cmap = ttf.getUnicodeCmapLookup(false);
    if (cmap == null) {
      throw new IllegalArgumentException("expected a Unicode cmap in " + source + ", found none");
    }
    int upem = ttf.getUnitsPerEm();
    HorizontalHeaderTable hhea = ttf.getHorizontalHeader();
    OS2WindowsMetricsTable os2 = ttf.getOS2Windows();
    // FreeType's choice of ascender: OS/2 typo metrics when USE_TYPO_METRICS (fsSelection bit 7)
    // is set, else hhea, falling back to OS/2 when hhea has none.
    int ascender = hhea != null ? hhea.getAscender() : 0;
    if (os2 != null && ((os2.getFsSelection() & 0x80) != 0 || ascender == 0)) {
      ascender = os2.getTypoAscender() != 0 ? os2.getTypoAscender() : os2.getWinAscent();
    }
    boolean integerPpem = (ttf.getHeader().getFlags() & 8) != 0;
    return new FontFace(awt.getFontName(), awt, cmap, upem, ascender, integerPpem);
  }
}
