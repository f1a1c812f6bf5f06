package io.anytext2.trainer.data;

import java.util.List;

/**
 * One processed training sample (TRAINING.md §2.11) at {@code size}×{@code size} pixels: host
 * arrays in CHW layout, only the real lines (1..5, no padding slots). The data side produces it,
 * the model side consumes it.
 *
 * @param image [3,S,S] in [-1,1]
 * @param maskedImage [3,S,S] in [-1,1]: all -1 for generation, text areas -1 for editing (§2.10)
 * @param imageCaption UNet caption (§2.3)
 * @param textCaption WriteNet caption with one '*' per line ("Texts are * , * . ")
 * @param glyphs per line [3,S,S] in [0,1] (§2.6)
 * @param glyphLines per line [1,80,512] of {0,1} (§2.5)
 * @param positions per line [1,S,S] of {0,1} (§2.7)
 * @param fontHint [1,S,S] of {0,1} (§2.8, union of the lines' hints)
 * @param invMask [1,S,S] of {0,1}: 1 where the diffusion loss is masked out (§2.4)
 * @param colors per line {r,g,b} 0..255, or {500,500,500} when unknown (§2.9)
 * @param texts per line, at most 20 characters
 * @param languages per line ("Latin", "Chinese_sim", …)
 * @param edit whether this sample is an editing task (§2.10)
 */
public record TrainingSample(
    int size,
    float[] image,
    float[] maskedImage,
    String imageCaption,
    String textCaption,
    List<float[]> glyphs,
    List<float[]> glyphLines,
    List<float[]> positions,
    float[] fontHint,
    float[] invMask,
    List<int[]> colors,
    List<String> texts,
    List<String> languages,
    boolean edit) {

  public TrainingSample {
    int n = texts.size();
    if (n < 1 || n > 5) throw new IllegalArgumentException("a sample has 1-5 lines, found " + n);
    if (glyphs.size() != n || glyphLines.size() != n || positions.size() != n || colors.size() != n || languages.size() != n) {
      throw new IllegalArgumentException("per-line lists of a sample disagree in length");
    }
    int plane = size * size;
    if (image.length != 3 * plane || maskedImage.length != 3 * plane || fontHint.length != plane || invMask.length != plane) {
      throw new IllegalArgumentException("sample arrays do not match size " + size);
    }
    glyphs = List.copyOf(glyphs);
    glyphLines = List.copyOf(glyphLines);
    positions = List.copyOf(positions);
    colors = List.copyOf(colors);
    texts = List.copyOf(texts);
    languages = List.copyOf(languages);
  }

  public int lineCount() {
    return texts.size();
  }
}
