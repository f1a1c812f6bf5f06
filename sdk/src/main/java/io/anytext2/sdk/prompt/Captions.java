package io.anytext2.sdk.prompt;

import java.util.List;
import java.util.Objects;

/**
 * The four captions fed to the text encoder and the lines to draw (MODEL.md §2.2 table):
 *
 * <ul>
 *   <li>{@code condImage}: {@code img_prompt + ", " + a_prompt} (image caption, UNet context);
 *   <li>{@code condText}: the text prompt with {@code *} placeholders (ControlNet context);
 *   <li>{@code uncondImage}: {@code n_prompt};
 *   <li>{@code uncondText}: the empty string;
 *   <li>{@code lines}: the quoted strings of the text prompt ({@code [" "]} when none).
 * </ul>
 */
public record Captions(String condImage, String condText, String uncondImage, String uncondText, List<String> lines) {

  public Captions {
    Objects.requireNonNull(condImage, "condImage");
    Objects.requireNonNull(condText, "condText");
    Objects.requireNonNull(uncondImage, "uncondImage");
    Objects.requireNonNull(uncondText, "uncondText");
    lines = List.copyOf(lines);
  }
}
