package io.anytext2.eval.ocr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PaddleOCR character dictionary ({@code ppocr_keys_v1.txt}, {@code en_dict.txt}: one character
 * per line) with the two id spaces the evaluation needs.
 *
 * <ul>
 *   <li>CTC classes of a recognizer: 0 = blank, 1..n = the file's lines, n+1 = a space when the
 *       head has n+2 classes ({@code use_space_char}).
 *   <li>NED ids (TRAINING.md §5.3 step 6): the list {@code ['sos'] + lines + [' ']}; a character maps
 *       to its <em>last</em> index in that list (Python's dict comprehension keeps the last duplicate),
 *       anything not in it to the index of the final {@code ' '}.
 * </ul>
 */
public final class OcrDictionary {
  private final List<String> chars;
  private final Map<Integer, Integer> nedIdOf = new HashMap<>();
  private final int unknownId;

  private OcrDictionary(List<String> chars) {
    this.chars = List.copyOf(chars);
    List<String> ned = new ArrayList<>();
    ned.add("sos");
    ned.addAll(chars);
    ned.add(" ");
    for (int i = 0; i < ned.size(); i++) {
      String c = ned.get(i);
      if (c.codePointCount(0, c.length()) == 1) nedIdOf.put(c.codePointAt(0), i);
    }
    unknownId = ned.size() - 1;
  }

  /** Reads a dictionary file: lines without their line break (a line may be a single space). */
  public static OcrDictionary read(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("OCR dictionary " + file + " does not exist");
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return of(splitLines(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read OCR dictionary " + file, e);
    }
  }

  /** A dictionary from its characters in file order. */
  public static OcrDictionary of(List<String> chars) {
    if (chars.isEmpty()) throw new IllegalArgumentException("expected at least one character in the OCR dictionary, found none");
    return new OcrDictionary(chars);
  }

  /** PaddleOCR strips "\n" and "\r\n" from each line and keeps everything else. */
  static List<String> splitLines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
        out.add(text.substring(start, end));
        start = i + 1;
      }
    }
    if (start < text.length()) out.add(text.substring(start));
    return out;
  }

  public int size() {
    return chars.size();
  }

  /**
   * The character of CTC class {@code k} for a head with {@code numClasses} classes; "" for blank.
   *
   * @throws IllegalArgumentException when the head does not fit this dictionary
   */
  public String ctcLabel(int k, int numClasses) {
    checkClasses(numClasses);
    if (k == 0) return "";
    if (k <= chars.size()) return chars.get(k - 1);
    if (k == chars.size() + 1 && numClasses == chars.size() + 2) return " ";
    throw new IllegalArgumentException("expected a CTC class below " + numClasses + ", found " + k);
  }

  /** A recognizer head must have n+1 (no space class) or n+2 classes for an n-character dictionary. */
  public void checkClasses(int numClasses) {
    if (numClasses != chars.size() + 1 && numClasses != chars.size() + 2) {
      throw new IllegalArgumentException("expected a recognizer with " + (chars.size() + 1) + " or " + (chars.size() + 2)
          + " classes for this " + chars.size() + "-character dictionary, found " + numClasses);
    }
  }

  /** NED ids of each code point of {@code s} (unknown characters share the id of the final space). */
  public int[] nedIds(String s) {
    return s.codePoints().map(cp -> nedIdOf.getOrDefault(cp, unknownId)).toArray();
  }
}
