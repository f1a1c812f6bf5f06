package io.anytext2.cli;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.SortPriority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The request flags shared by {@code generate} and {@code edit} (also readable from --request JSON). */
final class RequestOptions {
  @Option(names = "--prompt", description = "what the picture shows; quoted words become text lines when no --text is given")
  String prompt;

  @Option(names = "--text-prompt", description = "caption with the lines in double quotes (default: Texts are \"L1\" , \"L2\" .)")
  String textPrompt;

  @Option(names = "--negative-prompt", description = "what to avoid (default: the original's n_prompt)")
  String negativePrompt;

  @Option(names = "--added-prompt", description = "appended to the prompt (default: the original's a_prompt)")
  String addedPrompt;

  @Option(names = "--text", description = "a line of text to render (repeatable, at most 5, 20 characters each)")
  List<String> texts = new ArrayList<>();

  @Option(names = "--position", description = "polygon x1,y1,x2,y2,... in pixels for the line of the same index (repeatable)")
  List<String> positions = new ArrayList<>();

  @Option(names = "--mask", description = "image whose white regions mark the text areas (lines are matched to regions top-down)")
  Path mask;

  @Option(names = "--font", description = "font per line: a bundled font name, a .ttf/.otf/.ttc file, or none (repeatable)")
  List<String> fonts = new ArrayList<>();

  @Option(names = "--color", description = "colour per line: R,G,B or #RRGGBB (repeatable; omit to let the model choose)")
  List<String> colors = new ArrayList<>();

  @Option(names = "--steps", description = "DDIM steps (default ${DEFAULT-VALUE})", defaultValue = "20")
  int steps;

  @Option(names = "--cfg", description = "guidance scale (default ${DEFAULT-VALUE})", defaultValue = "9")
  float cfg;

  @Option(names = "--attnx-scale", description = "AttnX branch scale (default ${DEFAULT-VALUE})", defaultValue = "1")
  float attnx;

  @Option(names = "--strength", description = "ControlNet strength (default ${DEFAULT-VALUE})", defaultValue = "1")
  float strength;

  @Option(names = "--eta", description = "DDIM eta (default ${DEFAULT-VALUE})", defaultValue = "0")
  double eta;

  @Option(names = "--seed", description = "random seed, -1 for a random one (default ${DEFAULT-VALUE})", defaultValue = "-1")
  long seed;

  @Option(names = "--count", description = "number of images (default ${DEFAULT-VALUE})", defaultValue = "1")
  int count;

  @Option(names = "--sort", description = "order of mask regions: top-down or left-right (default ${DEFAULT-VALUE})", defaultValue = "top-down")
  String sort;

  /** Whether any request flag was given (they cannot be combined with --request). */
  boolean anyGiven() {
    return prompt != null || textPrompt != null || negativePrompt != null || addedPrompt != null || !texts.isEmpty()
        || !positions.isEmpty() || mask != null || !fonts.isEmpty() || !colors.isEmpty();
  }

  /** Builds the request; {@code image} is the picture to edit (null when generating). */
  AnyText2Request build(AnyText2Request.Builder b) {
    if (!positions.isEmpty() && positions.size() != texts.size()) {
      throw new IllegalArgumentException(positions.size() + " --position for " + texts.size() + " --text: give one per line");
    }
    checkPerLine("--font", fonts.size());
    checkPerLine("--color", colors.size());
    for (int i = 0; i < texts.size(); i++) {
      TextLine l = TextLine.of(texts.get(i));
      if (i < positions.size()) l = l.at(parsePolygon(positions.get(i)));
      if (i < fonts.size()) l = l.withFont(FontChoice.parse(fonts.get(i)));
      if (i < colors.size()) l = l.withColor(Rgb.parse(colors.get(i)));
      b.line(l);
    }
    if (mask != null) b.positionImage(readImage(mask, "mask"));
    return b.textPrompt(textPrompt).negativePrompt(negativePrompt).addedPrompt(addedPrompt).steps(steps).cfgScale(cfg)
        .attnxScale(attnx).strength(strength).eta(eta).seed(seed).count(count).sortPriority(sortPriority()).build();
  }

  private void checkPerLine(String flag, int n) {
    if (n > texts.size()) throw new IllegalArgumentException(n + " " + flag + " for " + texts.size() + " --text: give at most one per line");
  }

  private SortPriority sortPriority() {
    return switch (sort.toLowerCase(java.util.Locale.ROOT)) {
      case "top-down", "↕" -> SortPriority.TOP_DOWN;
      case "left-right", "↔" -> SortPriority.LEFT_RIGHT;
      default -> throw new IllegalArgumentException("--sort must be top-down or left-right, found " + sort);
    };
  }

  static Polygon parsePolygon(String s) {
    String[] p = s.split(",");
    if (p.length < 6 || p.length % 2 != 0) {
      throw new IllegalArgumentException("position '" + s + "': expected x1,y1,x2,y2,x3,y3[,...] (at least 3 points)");
    }
    int[] xy = new int[p.length];
    try {
      for (int i = 0; i < p.length; i++) xy[i] = (int) Math.round(Double.parseDouble(p[i].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("position '" + s + "': expected numbers");
    }
    return Polygon.of(xy);
  }

  static RgbImage readImage(Path p, String what) {
    if (!Files.isRegularFile(p)) throw new IllegalArgumentException(what + " " + p + " does not exist");
    return io.anytext2.sdk.io.ImageFiles.read(p, what);
  }
}
