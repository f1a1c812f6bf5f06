package io.anytext2.trainer.loss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recognizer's character classes for the CTC targets (TRAINING.md §3.5.2 step 6):
 * {@code ['sos'] + dictionary lines + [' ']}, class 0 being the CTC blank. A character the
 * dictionary lacks maps to the id of the final space, as the original's {@code char2id.get(c,
 * len(chars) − 1)} does.
 */
public final class OcrDictionary {
  private final Map<Integer, Integer> ids = new HashMap<>();
  private final int classes;

  /** @param characters the dictionary file's lines in order (one character each) */
  public OcrDictionary(List<String> characters) {
    int id = 1;
    for (String c : characters) {
      if (c.codePointCount(0, c.length()) != 1) {
        throw new IllegalArgumentException("OCR dictionary: expected one character per line, found '" + c + "' on line " + id);
      }
      ids.put(c.codePointAt(0), id); // a repeated character keeps its last id, as the original's dict comprehension
      id++;
    }
    this.classes = id + 1; // + the final space
    ids.put((int) ' ', classes - 1);
  }

  public static OcrDictionary read(Path file) {
    return new OcrDictionary(characters(file));
  }

  /** A dictionary file's characters in order (empty lines skipped, carriage returns dropped), as {@link #read} takes them. */
  public static List<String> characters(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      lines.removeIf(String::isEmpty);
      return lines.stream().map(l -> l.replace("\r", "")).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read OCR dictionary " + file + ": " + e.getMessage(), e);
    }
  }

  /** The class id of one character: 1 + its last line index, the final space's id for a character the dictionary lacks. */
  public int id(int codePoint) {
    return ids.getOrDefault(codePoint, classes - 1);
  }

  /** Number of classes: blank + dictionary + space (97 for en_dict, 6625 for ppocr_keys_v1). */
  public int classes() {
    return classes;
  }

  /** The target ids of {@code text}, one per code point. */
  public int[] encode(String text) {
    return text.codePoints().map(this::id).toArray();
  }
}
