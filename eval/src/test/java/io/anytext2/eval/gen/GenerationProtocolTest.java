package io.anytext2.eval.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GenerationProtocolTest {
  @Test
  void benchmarkDefaultsAndTextCaption() {
    GenerationProtocol p = GenerationProtocol.benchmark();
    assertEquals(4, p.imagesPerPrompt());
    assertEquals(20, p.steps());
    assertEquals(7.5f, p.cfgScale());
    assertEquals(100, p.seed());
    assertEquals(512, p.size());
    assertEquals("Image with words * , * , * . ", GenerationProtocol.textCaption(3));
    assertEquals("Image with words * . ", GenerationProtocol.textCaption(1));
    assertEquals(6, GenerationProtocol.TEXT_PHRASES.size());
    assertEquals("Text:  ", GenerationProtocol.TEXT_PHRASES.get(5));
    assertThrows(IllegalArgumentException.class, () -> new GenerationProtocol(4, 20, 7.5f, 100, 500, false));
  }
}
