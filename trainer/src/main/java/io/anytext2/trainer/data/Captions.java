package io.anytext2.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The two captions of a training sample (TRAINING.md §2.3). */
public final class Captions {

  /** The six text-caption phrases; "Text:  " has two spaces (§2.3, P-17). */
  public static final List<String> PHRASES =
      List.of("Text says ", "Image with words ", "The picture reads ", "Captions are ", "Texts are ", "Text:  ");
  /** Captions are first cut to this many code points (§2.3 step 1, P-16). */
  static final int MAX_CAPTION_CHARS = 500;
  /** The placeholder each line's embedding replaces (§3.3). */
  public static final String PLACEHOLDER = "*";

  private Captions() {}

  /**
   * {@code truncate_caption}: cut to 500 code points; if that has at most {@code maxWords}
   * whitespace-separated words return it unchanged, else rebuild it from its first sentence and
   * randomly ordered further sentences up to {@code maxWords} words.
   */
  public static String truncate(String caption, int maxWords, Random rng) {
    String cut = caption.codePointCount(0, caption.length()) > MAX_CAPTION_CHARS
        ? caption.substring(0, caption.offsetByCodePoints(0, MAX_CAPTION_CHARS))
        : caption;
    if (words(cut).length <= maxWords) {
      return cut;
    }
    String[] sentences = cut.split("\\.", -1);
    String[] first = words(sentences[0]);
    if (first.length >= maxWords) {
      return String.join(" ", Arrays.copyOf(first, maxWords));
    }
    StringBuilder out = new StringBuilder(String.join(" ", first));
    int count = first.length;
    List<String> rest = new ArrayList<>(Arrays.asList(sentences).subList(1, sentences.length));
    while (count < maxWords && !rest.isEmpty()) {
      String[] w = words(rest.remove(rng.nextInt(rest.size())));
      if (w.length == 0) {
        continue; // the text after the last '.' (or between "..") adds no sentence
      }
      if (count + w.length > maxWords) {
        String[] part = Arrays.copyOf(w, maxWords - count + 1);
        part[part.length - 1] = ".";
        out.append(". ").append(String.join(" ", part));
        break;
      }
      out.append(". ").append(String.join(" ", w));
      count += w.length;
    }
    return out.toString();
  }

  /** Python's {@code str.split()}: runs of whitespace separate, no empty words. */
  static String[] words(String s) {
    String t = s.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  /** {@code phrase + "* , * , … * . "} with one placeholder per line (§2.2 step 8). */
  public static String textCaption(int lines, Random rng) {
    String phrase = PHRASES.get(rng.nextInt(PHRASES.size()));
    return phrase + String.join(" , ", java.util.Collections.nCopies(lines, PLACEHOLDER)) + " . ";
  }
}
