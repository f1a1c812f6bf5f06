package io.anytext2.eval.gen;

import java.util.List;

/**
 * The generation settings of the benchmark (TRAINING.md §5.2, P-28; the original
 * {@code eval/anytext2_singleGPU.py}). Defaults reproduce the published protocol; the fields exist
 * so that smoke runs (small size, few steps) use the same code path.
 *
 * @param imagesPerPrompt images per entry, written as {@code <stem>_<k>.jpg}, k = 0..n−1 (4)
 * @param steps DDIM steps (20: timesteps 1, 51, …, 951)
 * @param cfgScale classifier-free guidance (7.5; AnyText v1 used 9)
 * @param seed the seed every prompt starts from (100, re-applied before each prompt)
 * @param size output width and height (512; polygons are never rescaled, P-18)
 * @param blend edit only: paste the generated text areas into the source picture (the original
 *     keeps the whole generated picture: false)
 */
public record GenerationProtocol(int imagesPerPrompt, int steps, float cfgScale, long seed, int size, boolean blend) {
  /** {@code a_prompt} of the evaluation script. */
  public static final String ADDED_PROMPT = "best quality, extremely detailed";
  /** {@code n_prompt} of the evaluation script (§5.2 step 3). */
  public static final String NEGATIVE_PROMPT = "longbody, lowres, bad anatomy, bad hands, missing fingers, extra digit, fewer digits,"
      + " cropped, worst quality, low quality, watermark";
  /** {@code phrase_list} of t3_dataset.py; "Text:  " carries two spaces (P-17). */
  public static final List<String> TEXT_PHRASES =
      List.of("Text says ", "Image with words ", "The picture reads ", "Captions are ", "Texts are ", "Text:  ");
  /**
   * The phrase the text caption starts with. The script draws it with {@code random.choice} in
   * {@code get_item}, right after the previous prompt's {@code seed_everything(100)}: CPython's
   * {@code random.seed(100); random.choice(6 items)} picks index 1. (Only the very first prompt of a
   * run sees an unseeded generator.)
   */
  public static final String TEXT_PHRASE = TEXT_PHRASES.get(1);
  /** Colour code "no colour" (glyphs drawn white, §5.2 step 4). */
  public static final int NO_COLOR = 500;

  public GenerationProtocol {
    if (imagesPerPrompt < 1 || imagesPerPrompt > 16) throw new IllegalArgumentException("images per prompt must be 1-16, found " + imagesPerPrompt);
    if (steps < 1 || steps > 1000) throw new IllegalArgumentException("steps must be 1-1000, found " + steps);
    if (size < 64 || size > 1024 || size % 64 != 0) throw new IllegalArgumentException("size must be a multiple of 64 in 64-1024, found " + size);
  }

  /** The published protocol: 4 images, 20 steps, cfg 7.5, seed 100, 512×512, no blending. */
  public static GenerationProtocol benchmark() {
    return new GenerationProtocol(4, 20, 7.5f, 100, 512, false);
  }

  /** The text caption for n lines: {@code phrase + "* , * , …" + " . "} (get_text_caption). */
  public static String textCaption(int lines) {
    return TEXT_PHRASE + String.join(" , ", java.util.Collections.nCopies(lines, "*")) + " . ";
  }
}
