package io.anytext2.sdk;

import io.anytext2.sdk.pipeline.SamplingParams;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.SortPriority;
import io.anytext2.sdk.prompt.PromptParser;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A generation or edit request; immutable and validated on construction (build one with
 * {@link #generate(String)} or {@link #edit(RgbImage, String)}).
 *
 * @param prompt the image prompt (what the picture shows); quoted words in it become text lines when
 *     no lines are given
 * @param textPrompt the text caption with the lines in double quotes (the ControlNet's prompt); null
 *     builds {@code Texts are "L1" , "L2" .} from the lines, the wording of the training captions
 * @param positionImage where the text goes: white areas on black at the output size (edit: the mask
 *     on the picture); null when every line has a polygon or the automatic layout is used
 * @param image the picture to edit (EDIT mode only)
 * @param width output width (GENERATE; 0 in EDIT, where the picture gives the size); 0 in GENERATE
 *     means the model's native size, filled in by {@link AnyText2Pipeline#run} ({@link #withNativeSize})
 * @param height output height, as {@code width}
 * @param blend edit only: keep every pixel outside the edited areas identical to the input (the
 *     original regenerates the whole picture; false reproduces that)
 * @param initialNoise optional x_T [count, 4, H/8, W/8] (replaces the seeded noise)
 */
public record AnyText2Request(
    Mode mode,
    String prompt,
    String textPrompt,
    String negativePrompt,
    String addedPrompt,
    List<TextLine> lines,
    RgbImage positionImage,
    RgbImage image,
    int width,
    int height,
    SamplingParams sampling,
    long seed,
    int count,
    boolean blend,
    SortPriority sortPriority,
    FloatTensor initialNoise) {

  /** Generate a new picture, or edit text areas of an existing one. */
  public enum Mode {
    GENERATE,
    EDIT
  }

  public static final int MAX_LINES = 5;
  public static final int MAX_SIDE = 1024;
  public static final int MAX_COUNT = 16;

  public AnyText2Request {
    if (mode == null) throw new IllegalArgumentException("mode is missing");
    prompt = prompt == null ? "" : prompt.strip();
    lines = List.copyOf(lines == null ? List.of() : lines);
    if (negativePrompt == null) negativePrompt = PromptParser.DEFAULT_N_PROMPT;
    if (addedPrompt == null) addedPrompt = PromptParser.DEFAULT_A_PROMPT;
    if (sampling == null) sampling = SamplingParams.defaults();
    if (sortPriority == null) sortPriority = SortPriority.TOP_DOWN;
    if (prompt.isEmpty() && lines.isEmpty()) throw new IllegalArgumentException("nothing to do: the prompt is empty and there is no text line");
    if (lines.size() > MAX_LINES) {
      throw new IllegalArgumentException(lines.size() + " text lines given; AnyText2 takes at most " + MAX_LINES);
    }
    if (count < 1 || count > MAX_COUNT) throw new IllegalArgumentException("image count must be 1-" + MAX_COUNT + ", found " + count);
    if (mode == Mode.EDIT) {
      if (image == null) throw new IllegalArgumentException("edit needs the picture to edit");
      if (positionImage == null && lines.stream().anyMatch(l -> l.position() == null)) {
        throw new IllegalArgumentException("edit needs a mask (or a polygon per line) marking the areas to change");
      }
      if (positionImage != null && (positionImage.width() != image.width() || positionImage.height() != image.height())) {
        throw new IllegalArgumentException("mask is " + positionImage.width() + "x" + positionImage.height() + " but the picture is "
            + image.width() + "x" + image.height());
      }
    } else {
      if (image != null) throw new IllegalArgumentException("an input picture is only used when editing");
      if (width != 0) checkSide("width", width);
      if (height != 0) checkSide("height", height);
      // with a side still open (native size) the position image is checked once the pipeline fills it in
      if (positionImage != null && width != 0 && height != 0
          && (positionImage.width() != width || positionImage.height() != height)) {
        throw new IllegalArgumentException("position image is " + positionImage.width() + "x" + positionImage.height()
            + " but the output size is " + width + "x" + height);
      }
    }
    if (positionImage != null && lines.stream().anyMatch(l -> l.position() != null)) {
      throw new IllegalArgumentException("give positions either as a mask/position image or as polygons per line, not both");
    }
  }

  /** Whether this is a generate request with a side left to the model's native size. */
  public boolean needsNativeSize() {
    return mode == Mode.GENERATE && (width == 0 || height == 0);
  }

  /**
   * This request with every open side set to {@code nativeSize} (the model package's
   * {@code nativeSize}); itself when nothing is open (edit requests, generate requests with a size).
   */
  public AnyText2Request withNativeSize(int nativeSize) {
    if (!needsNativeSize()) return this;
    if (nativeSize < 64 || nativeSize > MAX_SIDE || nativeSize % 64 != 0) {
      throw new IllegalArgumentException("the model's native size " + nativeSize + " is not a multiple of 64 between 64 and "
          + MAX_SIDE + ": give an output size");
    }
    return toBuilder().size(width == 0 ? nativeSize : width, height == 0 ? nativeSize : height).build();
  }

  private static void checkSide(String name, int v) {
    if (v < 64 || v > MAX_SIDE || v % 64 != 0) {
      throw new IllegalArgumentException(name + " must be a multiple of 64 between 64 and " + MAX_SIDE + ", found " + v);
    }
  }

  public static Builder generate(String prompt) {
    return new Builder(Mode.GENERATE, prompt);
  }

  public static Builder edit(RgbImage image, String prompt) {
    Builder b = new Builder(Mode.EDIT, prompt);
    b.image = image;
    return b;
  }

  public Builder toBuilder() {
    Builder b = new Builder(mode, prompt);
    b.textPrompt = textPrompt;
    b.negativePrompt = negativePrompt;
    b.addedPrompt = addedPrompt;
    b.lines.addAll(lines);
    b.positionImage = positionImage;
    b.image = image;
    b.width = width;
    b.height = height;
    b.steps = sampling.steps();
    b.cfg = sampling.cfgScale();
    b.attnx = sampling.attnxScale();
    b.strength = sampling.strength();
    b.eta = sampling.eta();
    b.seed = seed;
    b.count = count;
    b.blend = blend;
    b.sortPriority = sortPriority;
    b.initialNoise = initialNoise;
    return b;
  }

  /**
   * Fluent construction with the original's defaults (20 steps, cfg 9, one image); the size defaults
   * to the model's native size (the original's 512×512 for SD1.5 packages).
   */
  public static final class Builder {
    private final Mode mode;
    private final String prompt;
    private String textPrompt;
    private String negativePrompt;
    private String addedPrompt;
    private final List<TextLine> lines = new ArrayList<>();
    private RgbImage positionImage;
    private RgbImage image;
    private int width;
    private int height;
    private int steps = 20;
    private float cfg = 9f;
    private float attnx = 1f;
    private float strength = 1f;
    private double eta = 0;
    private long seed = -1;
    private int count = 1;
    private boolean blend = true;
    private SortPriority sortPriority = SortPriority.TOP_DOWN;
    private FloatTensor initialNoise;

    private Builder(Mode mode, String prompt) {
      this.mode = mode;
      this.prompt = prompt;
    }

    public Builder line(TextLine line) {
      lines.add(line);
      return this;
    }

    public Builder line(String text) {
      return line(TextLine.of(text));
    }

    public Builder textPrompt(String v) {
      textPrompt = v;
      return this;
    }

    public Builder negativePrompt(String v) {
      negativePrompt = v;
      return this;
    }

    public Builder addedPrompt(String v) {
      addedPrompt = v;
      return this;
    }

    public Builder positionImage(RgbImage v) {
      positionImage = v;
      return this;
    }

    /** Output size (generate; multiples of 64 up to {@link #MAX_SIDE}); a side of 0 takes the model's native size. */
    public Builder size(int w, int h) {
      width = w;
      height = h;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder cfgScale(float v) {
      cfg = v;
      return this;
    }

    public Builder attnxScale(float v) {
      attnx = v;
      return this;
    }

    public Builder strength(float v) {
      strength = v;
      return this;
    }

    public Builder eta(double v) {
      eta = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder count(int v) {
      count = v;
      return this;
    }

    public Builder blend(boolean v) {
      blend = v;
      return this;
    }

    public Builder sortPriority(SortPriority v) {
      sortPriority = v;
      return this;
    }

    public Builder initialNoise(FloatTensor v) {
      initialNoise = v;
      return this;
    }

    public AnyText2Request build() {
      return new AnyText2Request(mode, prompt, textPrompt, negativePrompt, addedPrompt, lines, positionImage, image,
          mode == Mode.EDIT ? 0 : width, mode == Mode.EDIT ? 0 : height, new SamplingParams(steps, cfg, attnx, strength, eta),
          seed, count, blend, sortPriority, initialNoise);
    }
  }
}
