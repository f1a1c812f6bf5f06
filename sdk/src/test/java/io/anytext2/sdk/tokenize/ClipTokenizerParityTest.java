package io.anytext2.sdk.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Token ids against the original (parity README section (a) and the {@code cond/uncond *_ids} of
 * both requests), with the fixture's own vocabulary ({@code tiny_clip}); every id must match.
 */
class ClipTokenizerParityTest {

  @Test
  void tinyVocabularySpecialIds() {
    ClipTokenizer tok = TinyParity.tokenizer();
    JsonNode info = TinyParity.json().get("tokenizer");
    assertEquals(info.get("vocab_size").asInt(), tok.vocabSize());
    assertEquals(info.get("bos_id").asInt(), tok.bosId());
    assertEquals(info.get("eos_id").asInt(), tok.eosId());
    assertEquals(info.get("pad_id").asInt(), tok.padId());
    assertEquals(info.get("placeholder_id").asInt(), tok.placeholderId(info.get("placeholder").asText()));
  }

  @Test
  void everyTokenizerPromptMatchesIdsPaddedIdsChunksAndTokenStrings() {
    ClipTokenizer tok = TinyParity.tokenizer();
    JsonNode prompts = TinyParity.json().get("tokenizer").get("prompts");
    int tensorsCompared = 0;
    try (SafetensorsFile fx = TinyParity.tensors()) {
      for (JsonNode p : prompts) {
        int i = p.get("index").asInt();
        String text = p.get("text").asText();
        String key = "tok/" + i + "/";
        assertArrayEquals(fx.readLongs(key + "ids"), toLongs(tok.encode(text)), key + "ids for '" + text + "'");
        assertArrayEquals(fx.readLongs(key + "ids_max77"), tok.encodePadded(text, ClipTokenizer.CONTEXT_LENGTH),
            key + "ids_max77");
        long[][] chunks = tok.encodeChunks(text);
        assertArrayEquals(new long[] {chunks.length, chunks[0].length}, fx.info(key + "chunks75").shape(), key + "chunks75 shape");
        assertArrayEquals(fx.readLongs(key + "chunks75"), TinyParity.flatten(chunks), key + "chunks75");
        assertEquals(p.get("num_chunks").asInt(), chunks.length);
        List<String> expectedTokens = new ArrayList<>();
        p.get("tokens").forEach(t -> expectedTokens.add(t.asText()));
        assertEquals(expectedTokens.subList(1, expectedTokens.size() - 1), tok.tokenize(text), "token strings of '" + text + "'");
        tensorsCompared += 3;
      }
    }
    assertEquals(6, prompts.size());
    assertEquals(18, tensorsCompared);
  }

  @Test
  void requestCaptionsGiveTheFixtureIds() {
    ClipTokenizer tok = TinyParity.tokenizer();
    JsonNode json = TinyParity.json();
    try (SafetensorsFile fx = TinyParity.tensors()) {
      for (String request : List.of("gen", "edit")) {
        JsonNode captions = json.get(request).get("prompts_after_modify_prompt");
        for (String branch : List.of("cond", "uncond")) {
          String image = captions.get(branch + "_image_prompt").asText();
          String text = captions.get(branch + "_text_prompt").asText();
          String prefix = request + "/" + branch + "/";
          assertArrayEquals(fx.readLongs(prefix + "img_ids"), TinyParity.flatten(tok.encodeChunks(image)), prefix + "img_ids");
          assertArrayEquals(fx.readLongs(prefix + "text_ids"), tok.encodePadded(text, ClipTokenizer.CONTEXT_LENGTH),
              prefix + "text_ids");
        }
      }
      // the gen image caption is longer than 75 tokens: two chunks (parity README "The two requests")
      assertEquals(154, fx.info("gen/cond/img_ids").dim(1));
    }
  }

  private static long[] toLongs(int[] ids) {
    return Arrays.stream(ids).asLongStream().toArray();
  }
}
