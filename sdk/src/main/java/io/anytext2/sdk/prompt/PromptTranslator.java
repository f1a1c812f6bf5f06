package io.anytext2.sdk.prompt;

/**
 * Optional zh→en translation plug-in (the original's {@code nlp_csanmt_translation_zh2en}, MODEL.md
 * §2.2 step 4). Receives the prompt with {@code " ."} appended; returns the translation.
 */
@FunctionalInterface
public interface PromptTranslator {
  String translate(String text);
}
