package io.anytext2.sdk.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CLIP's (GPT-2 style) {@code bytes_to_unicode} table: every byte gets a printable symbol so that
 * BPE can work on strings. Printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100 onwards in byte order. The table order (printable bytes first) is also the order of the
 * first 256 vocabulary entries (MODEL.md §3.2, parity README "Tokenizer files").
 */
final class ByteLevelAlphabet {

  private static final char[] SYMBOL_OF_BYTE = new char[256];
  private static final List<String> SYMBOLS_IN_VOCAB_ORDER;

  static {
    List<Integer> bytes = new ArrayList<>();
    addRange(bytes, '!', '~');
    addRange(bytes, 0xA1, 0xAC);
    addRange(bytes, 0xAE, 0xFF);
    List<Integer> symbols = new ArrayList<>(bytes);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      if (!bytes.contains(b)) {
        bytes.add(b);
        symbols.add(256 + extra++);
      }
    }
    List<String> ordered = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      SYMBOL_OF_BYTE[bytes.get(i)] = (char) (int) symbols.get(i);
      ordered.add(String.valueOf((char) (int) symbols.get(i)));
    }
    SYMBOLS_IN_VOCAB_ORDER = Collections.unmodifiableList(ordered);
  }

  private ByteLevelAlphabet() {}

  private static void addRange(List<Integer> out, int first, int last) {
    for (int b = first; b <= last; b++) {
      out.add(b);
    }
  }

  /** The 256 byte symbols in {@code bytes_to_unicode} insertion order (= vocabulary ids 0..255). */
  static List<String> symbolsInVocabOrder() {
    return SYMBOLS_IN_VOCAB_ORDER;
  }

  /** UTF-8 bytes of {@code piece}, each replaced by its byte symbol. */
  static String encode(String piece) {
    byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      out[i] = SYMBOL_OF_BYTE[utf8[i] & 0xFF];
    }
    return new String(out);
  }
}
