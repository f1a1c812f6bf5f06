package io.anytext2.sdk.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE ({@code CLIPTokenizer.bpe}): the last symbol of a word carries
 * {@code </w>}; repeatedly the adjacent pair with the lowest merge rank is merged everywhere
 * (left to right, non-overlapping) until no ranked pair is left. Results are cached per word.
 * Thread-safe.
 */
final class BytePairEncoder {

  static final String END_OF_WORD = "</w>";
  /** Beyond this many cached words the cache starts over (HF's cache is unbounded). */
  private static final int CACHE_LIMIT = 100_000;

  private final Map<String, Integer> ranks;
  private final Map<String, Integer> vocab;
  private final int unknownId;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * @param ranks merge rank by {@code first + " " + second} (no symbol contains a space: the space
   *     byte is encoded as U+0120)
   * @param vocab token string to id
   * @param unknownId id for a symbol missing from the vocabulary (CLIP: {@code <|endoftext|>})
   */
  BytePairEncoder(Map<String, Integer> ranks, Map<String, Integer> vocab, int unknownId) {
    this.ranks = ranks;
    this.vocab = vocab;
    this.unknownId = unknownId;
  }

  /** Token ids of one pre-tokenized piece given as byte symbols ({@link ByteLevelAlphabet}). */
  int[] encodeWord(String byteSymbols) {
    int[] cached = cache.get(byteSymbols);
    if (cached != null) {
      return cached;
    }
    List<String> symbols = merge(byteSymbols);
    int[] ids = new int[symbols.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocab.getOrDefault(symbols.get(i), unknownId);
    }
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(byteSymbols, ids);
    return ids;
  }

  /** The BPE symbols (token strings) of one word. */
  List<String> merge(String byteSymbols) {
    List<String> word = new ArrayList<>(byteSymbols.length());
    for (int i = 0; i < byteSymbols.length() - 1; i++) {
      word.add(String.valueOf(byteSymbols.charAt(i)));
    }
    word.add(byteSymbols.charAt(byteSymbols.length() - 1) + END_OF_WORD);
    while (word.size() > 1) {
      int bestRank = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer rank = ranks.get(word.get(i) + " " + word.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      List<String> merged = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); ) {
        if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i += 2;
        } else {
          merged.add(word.get(i));
          i += 1;
        }
      }
      word = merged;
    }
    return word;
  }
}
