package io.anytext2.cli;

import io.anytext2.sdk.AnyText2Request;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 edit}. */
@Command(
    name = "edit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replace the text in marked areas of a picture. By default every pixel outside the marked areas stays",
      "exactly as in the input (the seam is feathered over 4 px inside them); --regenerate-all reproduces the",
      "original, which redraws the whole picture."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 edit --image shop.jpg --mask shop-mask.png --prompt 'a shop front' --text 'BAKERY' --out shop-edited.png",
      "  anytext2 edit --image card.png --position 16,40,112,40,112,88,16,88 --text NEW --out card-new.png"
    })
final class EditCommand extends ImageCommand {
  @Option(names = "--image", description = "the picture to edit")
  Path image;

  @Option(names = "--regenerate-all", description = "return the whole regenerated picture (the original's behaviour)")
  boolean regenerateAll;

  @Override
  AnyText2Request fromFlags() {
    if (image == null) throw new IllegalArgumentException("edit needs --image");
    AnyText2Request.Builder b = AnyText2Request.edit(RequestOptions.readImage(image, "image"), req.prompt).blend(!regenerateAll);
    return req.build(b);
  }

  @Override
  String[] inputPaths() {
    return new String[] {req.mask == null ? null : req.mask.toAbsolutePath().toString(),
        image == null ? null : image.toAbsolutePath().toString()};
  }
}
