package io.anytext2.sdk.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import io.anytext2.sdk.tokenize.ClipTokenizer;
import io.anytext2.sdk.tokenize.TinyParity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prompts and placeholder positions of the two fixture requests against the original (parity README
 * "How the original builds the two branches"): the captions after {@code modify_prompt}, the lines,
 * and where the embedding manager put each line embedding in {@code cond/text_input_embeds}.
 */
class PromptParityTest {

  private static final String TEXT_MODEL = "cond_stage_model.transformer.text_model.embeddings.";

  @Test
  void captionsAndLinesMatchTheOriginal() {
    JsonNode json = TinyParity.json();
    PromptParser parser = PromptParser.withoutTranslator();
    for (String request : List.of("gen", "edit")) {
      JsonNode r = json.get(request);
      JsonNode params = r.get("forward_params");
      Captions c = parser.captions(r.get("input_tensor").get("img_prompt").asText(), r.get("input_tensor").get("text_prompt").asText(),
          params.get("a_prompt").asText(), params.get("n_prompt").asText());
      JsonNode expected = r.get("prompts_after_modify_prompt");
      assertEquals(expected.get("cond_image_prompt").asText(), c.condImage(), request);
      assertEquals(expected.get("cond_text_prompt").asText(), c.condText(), request);
      assertEquals(expected.get("uncond_image_prompt").asText(), c.uncondImage(), request);
      assertEquals(expected.get("uncond_text_prompt").asText(), c.uncondText(), request);
      List<String> texts = new ArrayList<>();
      r.get("texts").forEach(t -> texts.add(t.asText()));
      assertEquals(texts, c.lines(), request);
      assertEquals(r.get("n_lines").asInt(), c.lines().size());
      // the fixture requests use the demo defaults
      assertEquals(PromptParser.DEFAULT_A_PROMPT, params.get("a_prompt").asText());
      assertEquals(PromptParser.DEFAULT_N_PROMPT, params.get("n_prompt").asText());
    }
  }

  /**
   * Rebuilds the text encoder's input ({@code token_embedding[id]} or, at a placeholder, the
   * assigned line's {@code em/text_embs} row, plus {@code position_embedding}) from our assignment
   * and compares it with what the original fed its first transformer layer.
   */
  @Test
  void linesLandWhereTheEmbeddingManagerPutThem() {
    JsonNode json = TinyParity.json();
    ClipTokenizer tok = TinyParity.tokenizer();
    int placeholder = tok.placeholderId(PromptParser.PLACEHOLDER);
    try (SafetensorsFile fx = TinyParity.tensors(); Checkpoint weights = TinyParity.weights()) {
      float[] tokenEmbedding = weights.readFloats(TEXT_MODEL + "token_embedding.weight");
      float[] positionEmbedding = weights.readFloats(TEXT_MODEL + "position_embedding.weight");
      int width = (int) weights.info(TEXT_MODEL + "position_embedding.weight").dim(1);
      for (String request : List.of("gen", "edit")) {
        int lines = json.get(request).get("n_lines").asInt();
        float[] lineEmbeddings = fx.readFloats(request + "/em/text_embs");
        for (String branch : List.of("cond", "uncond")) {
          String prefix = request + "/" + branch + "/";
          long[][] text = {fx.readLongs(prefix + "text_ids")};
          PlaceholderAssignment assignment = PlaceholderAssignment.assign(text, placeholder, lines);
          float[] expected = fx.readFloats(prefix + "text_input_embeds");
          double maxError = 0;
          for (int pos = 0; pos < text[0].length; pos++) {
            int line = assignment.lineAt(0, pos);
            for (int d = 0; d < width; d++) {
              float value = line == PlaceholderAssignment.NO_LINE
                  ? tokenEmbedding[(int) text[0][pos] * width + d] : lineEmbeddings[line * width + d];
              float input = value + positionEmbedding[pos * width + d];
              maxError = Math.max(maxError, Math.abs(input - expected[pos * width + d]));
            }
          }
          assertEquals(0.0, maxError, 1e-6, prefix + "text_input_embeds");
          assertEquals(branch.equals("cond") ? lines : 0, assignment.linesUsed(), prefix + " lines used");
          // the image captions of the fixtures quote nothing: no line lands there
          long[] imageIds = fx.readLongs(prefix + "img_ids");
          long[][] chunks = new long[imageIds.length / ClipTokenizer.CONTEXT_LENGTH][];
          for (int c = 0; c < chunks.length; c++) {
            chunks[c] = Arrays.copyOfRange(imageIds, c * ClipTokenizer.CONTEXT_LENGTH, (c + 1) * ClipTokenizer.CONTEXT_LENGTH);
          }
          assertEquals(0, PlaceholderAssignment.assign(chunks, placeholder, lines).linesUsed());
        }
      }
    }
  }
}
