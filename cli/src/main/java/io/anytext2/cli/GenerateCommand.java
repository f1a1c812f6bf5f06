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
  @Option(names = "--size", description = "WxH, multiples of 64 up to 1024 (default ${DEFAULT-VALUE})", defaultValue = "512x512")
  String size;

  @Override
  AnyText2Request fromFlags() {
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
    return req.build(AnyText2Request.generate(req.prompt).size(w, h));
  }

  @Override
  String[] inputPaths() {
    return new String[] {req.mask == null ? null : req.mask.toAbsolutePath().toString(), null};
  }
}
