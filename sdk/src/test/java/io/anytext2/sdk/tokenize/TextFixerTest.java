package io.anytext2.sdk.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values are what ftfy 6 {@code fix_text} returns for these inputs. */
class TextFixerTest {

  @Test
  void curlyQuotesBecomeStraight() {
    assertEquals("\"Hello\" it's 'x' \"y\"", TextFixer.fix("“Hello” it’s ‘x’ „y‟"));
    assertEquals("don't", TextFixer.fix("don\u02bct"));
  }

  @Test
  void fullWidthBecomesHalfWidth() {
    assertEquals("HELLO 123!", TextFixer.fix("ＨＥＬＬＯ\u3000１２３！"));
    assertEquals("\u30ab", TextFixer.fix("\uff76")); // half-width katakana KA -> KA
  }

  @Test
  void ligaturesExpand() {
    assertEquals("fine office \u017ft", TextFixer.fix("ﬁne oﬃce ﬅ"));
    assertEquals("IJssel dz", TextFixer.fix("Ĳssel ǳ"));
  }

  @Test
  void controlCharactersAndTerminalEscapesAreRemoved() {
    assertEquals("ab\tc\n", TextFixer.fix("a\u0000b\tc\u007f\n"));
    assertEquals("red", TextFixer.fix("\u001b[31mred\u001b[0m"));
    assertEquals("bom", TextFixer.fix("\ufeffbom"));
  }

  @Test
  void lineBreaksAndC1ControlsAreFixed() {
    assertEquals("a\nb\nc\nd", TextFixer.fix("a\r\nb\rc\u2028d"));
    // U+0085 is a C1 control: Windows-1252 turns it into an ellipsis before line breaks are fixed
    assertEquals("a\u2026b", TextFixer.fix("a\u0085b"));
    assertEquals("\u20ac5 'q'", TextFixer.fix("\u00805 \u0091q\u0092"));
  }

  @Test
  void htmlEntitiesAreDecodedUnlessTheTextLooksLikeHtml() {
    assertEquals("Tom & Jerry \u00e9 \u00c9 A A", TextFixer.fix("Tom &amp; Jerry &eacute; &EACUTE; &#65; &#x41;"));
    assertEquals("&amp; <b>", TextFixer.fix("&amp; <b>"));
    assertEquals("&#59; &bogus;", TextFixer.fix("&#59; &bogus;"));
    assertEquals("&", TextFixer.fix("&amp;amp;")); // ftfy repeats its fixes until nothing changes
  }

  @Test
  void htmlStaysEscapedFromTheFirstLineWithAnAngleBracketOn() {
    assertEquals("a & b\n<i> &amp;\n&amp;", TextFixer.fix("a &amp; b\n<i> &amp;\n&amp;"));
  }

  @Test
  void nfcAndLoneSurrogates() {
    assertEquals("\u00e9", TextFixer.fix("e\u0301"));
    assertEquals("a\ufffd", TextFixer.fix("a\ud800"));
    assertEquals("\ud83d\ude00", TextFixer.fix("\ud83d\ude00"));
  }

  @Test
  void normalizerCollapsesWhitespaceStripsAndLowerCases() {
    assertEquals("hello big world", ClipTextNormalizer.normalize("  Hello\u00a0\u00a0BIG\n\t World \u001c"));
    assertEquals("", ClipTextNormalizer.normalize(" \t\n"));
  }
}
