package io.anytext2.sdk.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original's prompt handling ({@code ms_wrapper.AnyText2Model.modify_prompt} and the caption
 * construction of {@code forward}, MODEL.md §2.1, §2.2).
 */
public final class PromptParser {

  /** The placeholder that replaces each quoted string ({@code PLACE_HOLDER}). */
  public static final String PLACEHOLDER = "*";
  /** The single line the original uses when a prompt quotes nothing. */
  public static final String NO_TEXT_LINE = " ";
  /** Default {@code a_prompt} (MODEL.md §2.1; literal, including the double spaces and "supper"). */
  public static final String DEFAULT_A_PROMPT = "best quality, extremely detailed,4k, HD, supper legible text,  clear text"
      + " edges,  clear strokes, neat writing, no watermarks";
  /** Default {@code n_prompt} (MODEL.md §2.1; literal). */
  public static final String DEFAULT_N_PROMPT = "low-res, bad anatomy, extra digit, fewer digits, cropped, worst quality,"
      + " low quality, watermark, unreadable text, messy words, distorted text, disorganized writing, advertising"
      + " picture";

  /** {@code re.findall('"(.*?)"', prompt)}; Python's '.' excludes only '\n', as UNIX_LINES does. */
  private static final Pattern QUOTED = Pattern.compile("\"(.*?)\"", Pattern.UNIX_LINES);

  private final PromptTranslator translator;

  private PromptParser(PromptTranslator translator) {
    this.translator = translator;
  }

  /** A parser that rejects prompts needing zh→en translation. */
  public static PromptParser withoutTranslator() {
    return new PromptParser(null);
  }

  /** A parser that sends prompts with Chinese text outside quotes through {@code translator}. */
  public static PromptParser withTranslator(PromptTranslator translator) {
    return new PromptParser(Objects.requireNonNull(translator, "translator"));
  }

  /**
   * {@code modify_prompt} (MODEL.md §2.2): curly double quotes to {@code "}; the non-greedy quoted
   * strings in order; each replaces the first remaining {@code "s"} by {@code *}; none gives the line
   * {@code " "}. A prompt with Chinese characters left outside quotes is translated (the translation
   * of {@code prompt + " ."} without its last character, each {@code *} widened to {@code " * "}), or
   * rejected when no translator is set.
   */
  public ParsedPrompt parse(String prompt) {
    Objects.requireNonNull(prompt, "prompt");
    String p = prompt.replace('\u201c', '"').replace('\u201d', '"');
    List<String> quoted = new ArrayList<>();
    Matcher m = QUOTED.matcher(p);
    while (m.find()) {
      quoted.add(m.group(1));
    }
    if (quoted.isEmpty()) {
      quoted.add(NO_TEXT_LINE);
    } else {
      for (String s : quoted) {
        String target = "\"" + s + "\"";
        int at = p.indexOf(target);
        p = p.substring(0, at) + PLACEHOLDER + p.substring(at + target.length());
      }
    }
    if (containsChinese(p)) {
      if (translator == null) {
        throw new IllegalArgumentException("expected an English prompt (Chinese outside quotes needs a zh->en translator),"
            + " found '" + p + "'");
      }
      String translated = translator.translate(p + " .");
      if (translated == null || translated.isEmpty()) {
        throw new IllegalArgumentException("expected a translation of '" + p + "', found none");
      }
      p = translated.substring(0, translated.offsetByCodePoints(translated.length(), -1))
          .replace(PLACEHOLDER, " " + PLACEHOLDER + " ");
    }
    return new ParsedPrompt(p, quoted);
  }

  /** {@link #captions(String, String, String, String)} with the default a_prompt and n_prompt. */
  public Captions captions(String imgPrompt, String textPrompt) {
    return captions(imgPrompt, textPrompt, DEFAULT_A_PROMPT, DEFAULT_N_PROMPT);
  }

  /**
   * The captions of both branches (MODEL.md §2.2 table): both prompts go through {@link #parse};
   * the lines come from the text prompt only (quotes in the image prompt also become {@code *}).
   */
  public Captions captions(String imgPrompt, String textPrompt, String aPrompt, String nPrompt) {
    Objects.requireNonNull(aPrompt, "aPrompt");
    Objects.requireNonNull(nPrompt, "nPrompt");
    ParsedPrompt image = parse(imgPrompt);
    ParsedPrompt text = parse(textPrompt);
    return new Captions(image.prompt() + ", " + aPrompt, text.prompt(), nPrompt, "", text.quoted());
  }

  /**
   * The original's {@code is_chinese}: any code point in the CJK ideograph blocks U+4E00–9FFF,
   * 3400–4DBF, 20000–2A6DF, 2A700–2B73F, 2B740–2B81F, 2B820–2CEAF, F900–FAFF, 2F800–2FA1F. (Its
   * preceding {@code _clean_text} only drops or blanks control characters, none of them CJK.)
   */
  public static boolean containsChinese(String text) {
    return text.codePoints().anyMatch(PromptParser::isCjkIdeograph);
  }

  private static boolean isCjkIdeograph(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
