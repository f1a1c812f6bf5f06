package io.anytext2.trainer.data;

import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The per-language font lists of {@code rand_font} (TRAINING.md §2.1): each line's glyphs are drawn
 * with a face drawn uniformly from its language's list; characters that face lacks fall back to the
 * other bundled faces ({@link FontLibrary#split}).
 *
 * <p>The original ships 3-69 fonts per language; the bundled set has two faces, so the lists are:
 * Latin — DejaVu Sans and WenQuanYi Micro Hei; Chinese, Japanese, Korean — WenQuanYi Micro Hei;
 * Arabic, Hindi, Bangla — DejaVu Sans (which has Arabic but no Indic scripts: such lines cannot be
 * drawn, see {@link #canDraw}).
 */
public final class LanguageFonts {

  private final FontLibrary library;
  private final Map<String, List<FontFace>> lists;

  private LanguageFonts(FontLibrary library, Map<String, List<FontFace>> lists) {
    this.library = library;
    this.lists = Map.copyOf(lists);
  }

  /** The lists over the bundled faces. */
  public static LanguageFonts bundled() {
    return of(FontLibrary.bundled());
  }

  /** The lists over a library's two faces (Latin face first, CJK face second). */
  public static LanguageFonts of(FontLibrary library) {
    FontFace latin = library.faces().get(0);
    FontFace cjk = library.faces().get(1);
    Map<String, List<FontFace>> m = new HashMap<>();
    m.put(Languages.LATIN, List.of(latin, cjk));
    for (String l : List.of(Languages.CHINESE_SIM, Languages.CHINESE_TRA, Languages.JAPANESE, Languages.KOREAN)) {
      m.put(l, List.of(cjk));
    }
    for (String l : List.of(Languages.ARABIC, Languages.HINDI, Languages.BANGLA)) {
      m.put(l, List.of(latin));
    }
    return new LanguageFonts(library, m);
  }

  /** Custom lists (every normalised language must have a non-empty list). */
  public static LanguageFonts of(FontLibrary library, Map<String, List<FontFace>> lists) {
    for (String l : Languages.ALL) {
      List<FontFace> faces = lists.get(l);
      if (faces == null || faces.isEmpty()) {
        throw new IllegalArgumentException("expected a font list for " + l + ", found none");
      }
    }
    return new LanguageFonts(library, lists);
  }

  public FontLibrary library() {
    return library;
  }

  /** The fixed face of {@code rand_font=false} (the library's rendering face). */
  public FontFace defaultFace() {
    return library.renderingFace();
  }

  /** The faces of a normalised language. */
  public List<FontFace> faces(String language) {
    List<FontFace> faces = lists.get(language);
    if (faces == null) {
      throw new IllegalArgumentException("expected a language among " + Languages.ALL + ", found \"" + language + "\"");
    }
    return faces;
  }

  /** {@code random.choice(font_list[language])}. */
  public FontFace pick(String language, Random rng) {
    List<FontFace> faces = faces(language);
    return faces.get(rng.nextInt(faces.size()));
  }

  /** Whether some library face has a glyph for every non-whitespace character of the text. */
  public boolean canDraw(String text) {
    return text.codePoints().allMatch(cp -> Character.isWhitespace(cp)
        || Character.getType(cp) == Character.CONTROL
        || library.faces().stream().anyMatch(f -> f.covers(cp)));
  }
}
