package io.anytext2.sdk.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code modify_prompt} and caption construction (MODEL.md §2.1, §2.2). */
class PromptParserTest {

  private final PromptParser parser = PromptParser.withoutTranslator();

  @Test
  void quotedStringsBecomePlaceholders() {
    ParsedPrompt p = parser.parse("that reads \"HELLO\" and \"Java2\"");
    assertEquals("that reads * and *", p.prompt());
    assertEquals(List.of("HELLO", "Java2"), p.quoted());
    assertFalse(p.hasNoQuotedText());
  }

  @Test
  void curlyDoubleQuotesCountAsQuotes() {
    ParsedPrompt p = parser.parse("a sign “OPEN” and \"24/7”");
    assertEquals("a sign * and *", p.prompt());
    assertEquals(List.of("OPEN", "24/7"), p.quoted());
  }

  @Test
  void noQuotesGiveTheSingleSpaceLine() {
    ParsedPrompt p = parser.parse("a cat");
    assertEquals("a cat", p.prompt());
    assertEquals(List.of(" "), p.quoted());
    assertTrue(p.hasNoQuotedText());
    // an unmatched quote is left alone
    assertEquals("say \"hi", parser.parse("say \"hi").prompt());
  }

  @Test
  void matchingIsNonGreedyAndStopsAtLineBreaksLikePythonRe() {
    // expected values from Python: modify_prompt('"a""b" "" "x\ny" "z"')
    ParsedPrompt p = parser.parse("\"a\"\"b\" \"\" \"x\ny\" \"z\"");
    assertEquals(List.of("a", "b", "", " "), p.quoted());
    assertEquals("** * \"x\ny*z\"", p.prompt());
    // '.' does match '\r' in Python
    assertEquals(List.of("a\rb"), parser.parse("\"a\rb\"").quoted());
  }

  @Test
  void repeatedTextReplacesTheFirstRemainingOccurrence() {
    ParsedPrompt p = parser.parse("\"A\" then \"A\"");
    assertEquals("* then *", p.prompt());
    assertEquals(List.of("A", "A"), p.quoted());
  }

  @Test
  void chineseOutsideQuotesNeedsATranslator() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse("写着 \"hi\""));
    assertTrue(e.getMessage().contains("translator"), e.getMessage());
    // Chinese inside quotes is a line, not a reason to translate
    ParsedPrompt p = parser.parse("a sign that reads \"你好\"");
    assertEquals("a sign that reads *", p.prompt());
    assertEquals(List.of("你好"), p.quoted());
  }

  @Test
  void translationDropsTheLastCharacterAndWidensPlaceholders() {
    List<String> seen = new ArrayList<>();
    PromptParser translating = PromptParser.withTranslator(text -> {
      seen.add(text);
      return "a sign that says*.";
    });
    ParsedPrompt p = translating.parse("一个写着\"OPEN\"的牌子");
    assertEquals(List.of("一个写着*的牌子 ."), seen);
    assertEquals("a sign that says * ", p.prompt());
    assertEquals(List.of("OPEN"), p.quoted());
  }

  @Test
  void captionsOfBothBranches() {
    Captions c = parser.captions("A sign", "reads \"HI\"");
    assertEquals("A sign, " + PromptParser.DEFAULT_A_PROMPT, c.condImage());
    assertEquals("reads *", c.condText());
    assertEquals(PromptParser.DEFAULT_N_PROMPT, c.uncondImage());
    assertEquals("", c.uncondText());
    assertEquals(List.of("HI"), c.lines());
    // quotes in the image prompt also become placeholders but are not lines
    Captions q = parser.captions("a \"red\" sign", "\"HI\"", "hq", "bad");
    assertEquals("a * sign, hq", q.condImage());
    assertEquals(List.of("HI"), q.lines());
  }

  @Test
  void defaultPromptsAreTheLiteralStrings() {
    assertTrue(PromptParser.DEFAULT_A_PROMPT.contains("text,  clear text edges,  clear strokes"));
    assertTrue(PromptParser.DEFAULT_A_PROMPT.startsWith("best quality, extremely detailed,4k, HD, supper legible"));
    assertTrue(PromptParser.DEFAULT_N_PROMPT.startsWith("low-res, bad anatomy, extra digit, fewer digits, cropped,"));
    assertTrue(PromptParser.DEFAULT_N_PROMPT.endsWith("disorganized writing, advertising picture"));
  }

  @Test
  void detectsCjkIdeographs() {
    assertTrue(PromptParser.containsChinese("abc中"));
    assertTrue(PromptParser.containsChinese("\ud840\udc00")); // U+20000
    assertFalse(PromptParser.containsChinese("カタカナ 한국어 abc"));
  }
}
