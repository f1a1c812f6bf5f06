package io.anytext2.trainer.data;

/**
 * The switches of the per-sample processing (TRAINING.md §2, constructor values of T3DataSet).
 * {@link #official()} holds the train.py values at 512 px.
 *
 * @param size output side S in pixels (512 official; smaller for tiny models)
 * @param maxLines lines conditioned per sample (5); more are chosen at random
 * @param maxChars characters (code points) kept per line text (20)
 * @param maskPosProb probability a selected line gets a position mask (1.0)
 * @param maskRatio probability a sample is an editing task (0 in train.py; AnyText used 0.5)
 * @param truncCap caption word budget (128)
 * @param fontHintProb probability a line has a font hint (0.8)
 * @param fontHintAreaMin lower end of the kept share of the hint's long side (0.7)
 * @param fontHintAreaMax upper end (1.0)
 * @param fontHintRandaug jitter the font-hint crop (rotation, shift, scale)
 * @param colorProb probability a line keeps its colour label (1.0)
 * @param randFont draw each line's font from its language list (else the default face)
 * @param rescalePolygons map polygons from the image's own pixel frame to the S frame when the
 *     image is resized. The original (false) keeps polygon coordinates as they are (P-18), which is
 *     the same thing for 512×512 images at S = 512.
 * @param captionDropout probability a sample gets the captions of the unconditional branch (the
 *     negative prompt as image caption, "" as text caption, MODEL.md §2.1) — 0 in the original, whose
 *     frozen SD base already has an unconditional branch (P-9); a model trained from scratch needs it
 *     for classifier-free guidance. Drawn last, so a sample is otherwise the one it would have been.
 */
public record SampleConfig(
    int size,
    int maxLines,
    int maxChars,
    double maskPosProb,
    double maskRatio,
    int truncCap,
    double fontHintProb,
    double fontHintAreaMin,
    double fontHintAreaMax,
    boolean fontHintRandaug,
    double colorProb,
    boolean randFont,
    boolean rescalePolygons,
    double captionDropout) {

  /** The frame the constant pixel sizes of the spec refer to. */
  public static final int REFERENCE_SIZE = 512;

  public SampleConfig {
    if (size < 16) {
      throw new IllegalArgumentException("expected a sample size of at least 16 px, found " + size);
    }
    if (maxLines < 1) {
      throw new IllegalArgumentException("expected maxLines >= 1, found " + maxLines);
    }
    if (maxChars < 1) {
      throw new IllegalArgumentException("expected maxChars >= 1, found " + maxChars);
    }
    if (truncCap < 1) {
      throw new IllegalArgumentException("expected truncCap >= 1, found " + truncCap);
    }
    probability("maskPosProb", maskPosProb);
    probability("maskRatio", maskRatio);
    probability("fontHintProb", fontHintProb);
    probability("colorProb", colorProb);
    probability("captionDropout", captionDropout);
    if (!(fontHintAreaMin >= 0 && fontHintAreaMin <= fontHintAreaMax && fontHintAreaMax <= 1)) {
      throw new IllegalArgumentException(
          "expected 0 <= fontHintAreaMin <= fontHintAreaMax <= 1, found [" + fontHintAreaMin + ", " + fontHintAreaMax + "]");
    }
  }

  private static void probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("expected " + name + " in [0, 1], found " + p);
    }
  }

  /** train.py: 512 px, 5 lines, 20 chars, generation only, font hints 0.8 / [0.7, 1] / randaug. */
  public static SampleConfig official() {
    return new SampleConfig(512, 5, 20, 1.0, 0.0, 128, 0.8, 0.7, 1.0, true, 1.0, true, true, 0.0);
  }

  public SampleConfig withSize(int newSize) {
    return new SampleConfig(newSize, maxLines, maxChars, maskPosProb, maskRatio, truncCap, fontHintProb,
        fontHintAreaMin, fontHintAreaMax, fontHintRandaug, colorProb, randFont, rescalePolygons, captionDropout);
  }

  public SampleConfig withMaskRatio(double ratio) {
    return new SampleConfig(size, maxLines, maxChars, maskPosProb, ratio, truncCap, fontHintProb,
        fontHintAreaMin, fontHintAreaMax, fontHintRandaug, colorProb, randFont, rescalePolygons, captionDropout);
  }

  public SampleConfig withFontHintProb(double p) {
    return new SampleConfig(size, maxLines, maxChars, maskPosProb, maskRatio, truncCap, p,
        fontHintAreaMin, fontHintAreaMax, fontHintRandaug, colorProb, randFont, rescalePolygons, captionDropout);
  }

  public SampleConfig withColorProb(double p) {
    return new SampleConfig(size, maxLines, maxChars, maskPosProb, maskRatio, truncCap, fontHintProb,
        fontHintAreaMin, fontHintAreaMax, fontHintRandaug, p, randFont, rescalePolygons, captionDropout);
  }

  public SampleConfig withCaptionDropout(double p) {
    return new SampleConfig(size, maxLines, maxChars, maskPosProb, maskRatio, truncCap, fontHintProb,
        fontHintAreaMin, fontHintAreaMax, fontHintRandaug, colorProb, randFont, rescalePolygons, p);
  }
}
