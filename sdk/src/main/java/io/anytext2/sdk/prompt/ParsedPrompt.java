package io.anytext2.sdk.prompt;

import java.util.List;
import java.util.Objects;

/**
 * A prompt after {@code modify_prompt} (MODEL.md §2.2): {@code prompt} has every quoted string
 * replaced by the placeholder {@code *}; {@code quoted} holds the quoted strings in order, or the
 * single line {@code " "} when the prompt had none (the original's "no text" line).
 */
public record ParsedPrompt(String prompt, List<String> quoted) {

  public ParsedPrompt {
    Objects.requireNonNull(prompt, "prompt");
    quoted = List.copyOf(quoted);
    if (quoted.isEmpty()) {
      throw new IllegalArgumentException("expected at least one line (\" \" when nothing was quoted), found none");
    }
  }

  /** True when the prompt had no quoted text, i.e. {@code quoted} is the stand-in {@code [" "]}. */
  public boolean hasNoQuotedText() {
    return quoted.size() == 1 && quoted.get(0).equals(PromptParser.NO_TEXT_LINE);
  }
}
