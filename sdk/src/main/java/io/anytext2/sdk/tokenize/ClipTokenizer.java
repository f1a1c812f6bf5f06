package io.anytext2.sdk.tokenize;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The CLIP tokenizer as HF {@code CLIPTokenizer} runs it in the reference environment (MODEL.md
 * §3.2): {@link ClipTextNormalizer} (ftfy subset, whitespace, lower-case), CLIP's split regex,
 * byte-level BPE with {@code </w>}, then ids from {@code vocab.json}. Special tokens:
 * {@code <|startoftext|>} (BOS) and {@code <|endoftext|>} (EOS, also unknown and padding).
 * Immutable and thread-safe.
 */
public final class ClipTokenizer {

  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  /** Sequence length of the CLIP text encoder (BOS + 75 + EOS), MODEL.md §3.2. */
  public static final int CONTEXT_LENGTH = 77;
  /** Body tokens per image-caption chunk ({@code split_chunks(chunk_size=75)}), MODEL.md §3.2. */
  public static final int CHUNK_BODY = 75;
  /** HF reads at most this many merges ({@code 49152 - 256 - 2}). */
  static final int MAX_MERGES = 48_894;

  private static final String BUNDLED_MERGES = "clip-vit-large-patch14-merges.txt.gz";
  private static final Pattern SPECIAL_TOKEN = Pattern.compile(Pattern.quote(START_OF_TEXT) + "|" + Pattern.quote(END_OF_TEXT));
  /** CLIP's pre-tokenization pattern, case-insensitive, Unicode classes. */
  private static final Pattern PIECE = Pattern.compile(
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  private static volatile ClipTokenizer bundled;

  private final Map<String, Integer> vocab;
  private final String[] tokenById;
  private final BytePairEncoder bpe;
  private final int bosId;
  private final int eosId;

  private ClipTokenizer(Map<String, Integer> vocab, List<String[]> merges) {
    this.vocab = vocab;
    this.bosId = requireToken(vocab, START_OF_TEXT);
    this.eosId = requireToken(vocab, END_OF_TEXT);
    int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    this.tokenById = new String[maxId + 1];
    vocab.forEach((token, id) -> {
      if (id < 0) {
        throw new IllegalArgumentException("expected non-negative token ids, found " + id + " for '" + token + "'");
      }
      tokenById[id] = token;
    });
    Map<String, Integer> ranks = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      ranks.put(merges.get(i)[0] + " " + merges.get(i)[1], i);
    }
    this.bpe = new BytePairEncoder(ranks, vocab, eosId);
  }

  /**
   * The openai/clip-vit-large-patch14 tokenizer (vocabulary 49,408) from the merge list bundled in
   * this jar (see {@code clip-vit-large-patch14-merges.LICENSE.txt} next to it); loaded once.
   */
  public static ClipTokenizer bundled() {
    ClipTokenizer t = bundled;
    if (t == null) {
      synchronized (ClipTokenizer.class) {
        t = bundled;
        if (t == null) {
          try (InputStream raw = ClipTokenizer.class.getResourceAsStream(BUNDLED_MERGES)) {
            if (raw == null) {
              throw new IllegalStateException("missing resource io/anytext2/sdk/tokenize/" + BUNDLED_MERGES);
            }
            t = fromMerges(new GZIPInputStream(raw));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled CLIP merges", e);
          }
          bundled = t;
        }
      }
    }
    return t;
  }

  /** From a transformers tokenizer folder holding {@code vocab.json} and {@code merges.txt}. */
  public static ClipTokenizer load(Path directory) throws IOException {
    Path vocab = directory.resolve("vocab.json");
    Path merges = directory.resolve("merges.txt");
    for (Path p : List.of(vocab, merges)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("expected a CLIP tokenizer file " + p + ", found none");
      }
    }
    try (InputStream v = Files.newInputStream(vocab); InputStream m = Files.newInputStream(merges)) {
      return load(v, m);
    }
  }

  /** From the contents of {@code vocab.json} and {@code merges.txt} (streams are not closed). */
  public static ClipTokenizer load(InputStream vocabJson, InputStream mergesTxt) throws IOException {
    Map<String, Integer> vocab = new ObjectMapper().readValue(vocabJson, new TypeReference<LinkedHashMap<String, Integer>>() {});
    return new ClipTokenizer(Map.copyOf(vocab), readMerges(mergesTxt));
  }

  /**
   * From {@code merges.txt} alone, deriving the vocabulary the way CLIP builds it: 256 byte symbols,
   * the same with {@code </w>}, one token per merge, then BOS and EOS (stream is not closed).
   */
  public static ClipTokenizer fromMerges(InputStream mergesTxt) throws IOException {
    List<String[]> merges = readMerges(mergesTxt);
    List<String> tokens = new ArrayList<>(merges.size() + 514);
    List<String> symbols = ByteLevelAlphabet.symbolsInVocabOrder();
    tokens.addAll(symbols);
    symbols.forEach(s -> tokens.add(s + BytePairEncoder.END_OF_WORD));
    merges.forEach(m -> tokens.add(m[0] + m[1]));
    tokens.add(START_OF_TEXT);
    tokens.add(END_OF_TEXT);
    // dict(zip(vocab, range(len(vocab)))): the id is the list position, a repeated token keeps its last
    Map<String, Integer> vocab = new HashMap<>(2 * tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      vocab.put(tokens.get(i), i);
    }
    return new ClipTokenizer(Map.copyOf(vocab), merges);
  }

  /** Lines 1 .. 48,894 of merges.txt (line 0 is the {@code #version} header), as HF reads them. */
  private static List<String[]> readMerges(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (header == null || !header.startsWith("#")) {
      throw new IllegalArgumentException("expected merges.txt to start with a '#version' header line, found "
          + (header == null ? "an empty file" : "'" + header + "'"));
    }
    List<String[]> merges = new ArrayList<>();
    for (String line; merges.size() < MAX_MERGES && (line = reader.readLine()) != null; ) {
      if (line.isEmpty()) {
        continue; // HF strips the trailing newline of the file
      }
      String[] pair = line.split(" ");
      if (pair.length != 2) {
        throw new IllegalArgumentException("expected a merge 'a b' in merges.txt line " + (merges.size() + 2) + ", found '" + line + "'");
      }
      merges.add(pair);
    }
    return merges;
  }

  private static int requireToken(Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("expected the special token " + token + " in the vocabulary, found none");
    }
    return id;
  }

  public int vocabSize() {
    return vocab.size();
  }

  public int bosId() {
    return bosId;
  }

  public int eosId() {
    return eosId;
  }

  /** The padding id; CLIP pads with {@code <|endoftext|>}. */
  public int padId() {
    return eosId;
  }

  /** The id of a token string (e.g. {@code "*</w>"}), or -1 if it is not in the vocabulary. */
  public int tokenId(String token) {
    return vocab.getOrDefault(token, -1);
  }

  /** Token ids without BOS/EOS (HF {@code tokenize} + {@code convert_tokens_to_ids}). */
  public int[] encodeBody(String text) {
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    // the special tokens are split off before normalization, as HF does with added tokens
    Matcher special = SPECIAL_TOKEN.matcher(text);
    int from = 0;
    while (true) {
      boolean found = special.find();
      int end = found ? special.start() : text.length();
      for (int[] ids : encodeSegment(text.substring(from, end))) {
        parts.add(ids);
        total += ids.length;
      }
      if (!found) {
        break;
      }
      parts.add(new int[] {special.group().equals(START_OF_TEXT) ? bosId : eosId});
      total++;
      from = special.end();
    }
    int[] out = new int[total];
    int pos = 0;
    for (int[] ids : parts) {
      System.arraycopy(ids, 0, out, pos, ids.length);
      pos += ids.length;
    }
    return out;
  }

  private List<int[]> encodeSegment(String segment) {
    List<int[]> out = new ArrayList<>();
    Matcher m = PIECE.matcher(ClipTextNormalizer.normalize(segment));
    while (m.find()) {
      String piece = m.group();
      if (piece.equals(START_OF_TEXT)) {
        out.add(new int[] {bosId});
      } else if (piece.equals(END_OF_TEXT)) {
        out.add(new int[] {eosId});
      } else {
        out.add(bpe.encodeWord(ByteLevelAlphabet.encode(piece)));
      }
    }
    return out;
  }

  /** The token strings of {@code text} without BOS/EOS (HF {@code tokenize}). */
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (int id : encodeBody(text)) {
      out.add(tokenById[id]);
    }
    return out;
  }

  /** BOS + ids + EOS, no truncation (HF {@code tokenizer(text)["input_ids"]}). */
  public int[] encode(String text) {
    int[] body = encodeBody(text);
    int[] out = new int[body.length + 2];
    out[0] = bosId;
    System.arraycopy(body, 0, out, 1, body.length);
    out[out.length - 1] = eosId;
    return out;
  }

  /**
   * Exactly {@code length} ids: BOS + at most {@code length - 2} ids + EOS, then padding (HF
   * {@code truncation=True, padding="max_length"}); the text caption uses length 77.
   */
  public long[] encodePadded(String text, int length) {
    if (length < 2) {
      throw new IllegalArgumentException("expected a padded length of at least 2 (BOS + EOS), found " + length);
    }
    int[] body = encodeBody(text);
    int kept = Math.min(body.length, length - 2);
    long[] out = new long[length];
    Arrays.fill(out, padId());
    out[0] = bosId;
    for (int i = 0; i < kept; i++) {
      out[1 + i] = body[i];
    }
    out[1 + kept] = eosId;
    return out;
  }

  /** {@link #encodeChunks(String, int)} with 75 body tokens per chunk (image caption, MODEL.md §3.2). */
  public long[][] encodeChunks(String text) {
    return encodeChunks(text, CHUNK_BODY);
  }

  /**
   * The image-caption encoding ({@code FrozenCLIPEmbedderT3.split_chunks}, MODEL.md §3.2): the
   * untruncated ids are cut into groups of {@code chunkBody} body tokens, each wrapped as
   * BOS + group + EOS; a shorter last group is filled with EOS before its EOS; an empty text gives
   * one chunk BOS + EOS x (chunkBody + 1). Every chunk has {@code chunkBody + 2} ids.
   */
  public long[][] encodeChunks(String text, int chunkBody) {
    if (chunkBody < 1) {
      throw new IllegalArgumentException("expected a chunk size of at least 1, found " + chunkBody);
    }
    int[] body = encodeBody(text);
    int full = body.length / chunkBody;
    int remainder = body.length % chunkBody;
    int count = body.length == 0 ? 1 : full + (remainder > 0 ? 1 : 0);
    long[][] chunks = new long[count][chunkBody + 2];
    for (int c = 0; c < count; c++) {
      long[] chunk = chunks[c];
      Arrays.fill(chunk, eosId);
      chunk[0] = bosId;
      int from = c < full ? c * chunkBody : body.length - remainder;
      int n = c < full ? chunkBody : remainder;
      for (int i = 0; i < n; i++) {
        chunk[1 + i] = body[from + i];
      }
    }
    return chunks;
  }

  /**
   * The id of a placeholder string that must encode to exactly one token (the original asserts
   * this in {@code get_clip_token_for_string}); {@code "*"} gives {@code *</w>} (265 in CLIP).
   */
  public int placeholderId(String placeholder) {
    int[] body = encodeBody(placeholder);
    if (body.length != 1) {
      throw new IllegalArgumentException("expected the placeholder '" + placeholder + "' to be a single token, found "
          + body.length + " tokens " + tokenize(placeholder));
    }
    return body[0];
  }
}
