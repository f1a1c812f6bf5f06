package io.anytext2.cli;

import io.anytext2.trainer.data.SyntheticAnyWord;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 synth}: a synthetic AnyWord-3M-format dataset for training smoke runs. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic text images (1-3 lines of Latin, Chinese or Korean words in the bundled fonts, rotated and",
      "perspective-warped onto random backgrounds) and one AnyWord-3M-format annotation file (OUT/anyword.json,",
      "images in OUT/images/) that the trainer reads. The same seed gives the same files."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 synth --out data/synth --count 1000 --size 128",
      "  anytext2 synth --out data/synth512 --count 200 --languages latin,cjk,korean --format jpg --seed 7"
    })
final class SynthCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "output folder (gets anyword.json and images/)")
  Path out;

  @Option(names = "--count", required = true, description = "number of images")
  int count;

  @Option(names = "--size", defaultValue = "512", description = "image side in pixels (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--languages", defaultValue = "latin,cjk", description = "comma-separated: latin, cjk (Chinese), korean (default: ${DEFAULT-VALUE})")
  String languages;

  @Option(names = "--format", defaultValue = "png", description = "png or jpg (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--threads", description = "worker threads (default: the number of processors)")
  Integer threads;

  @Option(names = "--overwrite", description = "replace an existing anyword.json (and same-named images) in the output folder")
  boolean overwrite;

  @Option(names = "--max-lines", defaultValue = "3", description = "at most this many text lines per image, 1-5 (default: ${DEFAULT-VALUE})")
  int maxLines;

  @Option(names = "--max-words", defaultValue = "3", description = "at most this many words per Latin line, 1-3 (default: ${DEFAULT-VALUE})")
  int maxWords;

  @Option(names = "--text-height", defaultValue = "0.06,0.18",
      description = "MIN,MAX ink height of a line as a fraction of the image side (default: ${DEFAULT-VALUE})")
  String textHeight;

  @Option(names = "--simple", description = "plain backgrounds (flat or gradient fill, no shapes or grain) and near-upright lines"
      + " without perspective: the easy regime of the default model")
  boolean simple;

  @Option(names = "--uppercase", description = "every Latin line is one upper-case word of 3-6 letters (half vocabulary words,"
      + " half random letters; --max-words is ignored): 26 letter shapes in every combination, for small models")
  boolean uppercase;

  @Option(names = "--glyph-aligned", description = "draw every line as its glyph hint is drawn (the rendering font fitted"
      + " into the line's polygon), so that the text and the ControlNet's glyph input coincide: easy data for small models")
  boolean glyphAligned;

  @Override
  public Integer call() {
    if (count < 1) {
      throw new IllegalArgumentException("expected --count >= 1, found " + count);
    }
    SyntheticAnyWord.Format fmt = switch (format.toLowerCase(Locale.ROOT)) {
      case "png" -> SyntheticAnyWord.Format.PNG;
      case "jpg", "jpeg" -> SyntheticAnyWord.Format.JPEG;
      default -> throw new IllegalArgumentException("expected --format png or jpg, found " + format);
    };
    ConvertCommand.refuseExisting(out.resolve(SyntheticAnyWord.JSON_NAME), overwrite);
    int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (workers < 1) {
      throw new IllegalArgumentException("expected --threads >= 1, found " + workers);
    }
    SyntheticAnyWord gen = new SyntheticAnyWord(
        new SyntheticAnyWord.Options(size, seed, SyntheticAnyWord.Script.parseList(languages), layout()));
    SyntheticAnyWord.Summary s = gen.write(out, count, fmt, workers);
    System.out.printf(Locale.ROOT, "wrote %d images (%d lines, %d marked invalid) and %s in %.1f s (%.0f images/s)%n",
        s.images(), s.lines(), s.invalidLines(), s.json(), s.seconds(), s.images() / Math.max(1e-9, s.seconds()));
    return 0;
  }

  private SyntheticAnyWord.Layout layout() {
    String[] h = textHeight.split(",");
    if (h.length != 2) {
      throw new IllegalArgumentException("expected --text-height MIN,MAX (e.g. 0.18,0.32), found " + textHeight);
    }
    try {
      return new SyntheticAnyWord.Layout(maxLines, maxWords, Double.parseDouble(h[0].trim()), Double.parseDouble(h[1].trim()), simple, uppercase,
          glyphAligned);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected --text-height MIN,MAX as numbers, found " + textHeight);
    }
  }
}
