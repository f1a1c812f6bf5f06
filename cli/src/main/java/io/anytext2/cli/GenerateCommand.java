package io.anytext2.cli;

import io.anytext2.sdk.AnyText2Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 generate}. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Generate pictures with text lines at given (or automatic) positions, fonts and colours.",
    footer = {
      "",
      "Examples:",
      "  anytext2 generate --prompt 'a wooden shop sign, photo' --text OPEN --out sign.png",
      "  anytext2 generate --prompt 'a poster' --text 'SUMMER' --position 64,64,448,64,448,160,64,160 \\",
      "      --text 'SALE' --color 200,30,40 --font 'DejaVu Sans' --size 512x512 --steps 20 --seed 7 --out poster.png",
      "  anytext2 generate --prompt 'a greeting card' --text '新年快乐' --mask positions.png --count 4 --out card.png",
      "  anytext2 generate --request card.json --out card2.png      (card.json: the sidecar of an earlier run)"
    })
final class GenerateCommand extends ImageCommand {
  @Option(names = "--size", description = "WxH, multiples of 64 up to 1024 (default: the model's native size, "
      + "manifest.json nativeSize: 512x512 for SD1.5, 128x128 for the default model)")
  String size;

  @Override
  AnyText2Request fromFlags() {
    AnyText2Request.Builder b = AnyText2Request.generate(req.prompt);
    if (size != null) {
      int[] wh = parseSize(size);
      b.size(wh[0], wh[1]);
    }
    return req.build(b); // without --size the pipeline fills in the package's native size
  }

  static int[] parseSize(String size) {
    String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
    int w;
    int h;
    try {
      if (wh.length != 2) throw new NumberFormatException();
      w = Integer.parseInt(wh[0].trim());
      h = Integer.parseInt(wh[1].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--size '" + size + "': expected WxH, e.g. 512x512");
    }
    if (w == 0 || h == 0) { // 0 would mean "native size" to the request: an explicit --size names a real one
      throw new IllegalArgumentException("--size '" + size + "': width and height must each be a multiple of 64 between 64 and "
          + AnyText2Request.MAX_SIDE + ", found 0");
    }
    return new int[] {w, h};
  }

  @Override
  String[] inputPaths() {
    return new String[] {req.mask == null ? null : req.mask.toAbsolutePath().toString(), null};
  }
}
