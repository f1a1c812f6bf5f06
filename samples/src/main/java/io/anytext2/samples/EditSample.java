package io.anytext2.samples;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Path;

/**
 * Replaces the text inside the white areas of a mask, copying the font style of the old text.
 * Pixels outside the mask stay exactly as they were. Usage: EditSample MODEL_DIR IMAGE MASK OUT.png
 */
public final class EditSample {
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: EditSample MODEL_DIR IMAGE MASK OUT.png");
      System.exit(2);
    }
    RgbImage picture = ImageFiles.read(Path.of(args[1]), "image");
    RgbImage mask = ImageFiles.read(Path.of(args[2]), "mask");
    try (AnyText2Pipeline pipeline = AnyText2Pipeline.open(Path.of(args[0]), RuntimeOptions.cpu())) {
      AnyText2Request request = AnyText2Request.edit(picture, "a shop front")
          .line(TextLine.of("NEW").withFont(FontChoice.parse("DejaVu Sans")).withColor(new Rgb(20, 20, 20)))
          .positionImage(mask)
          .seed(7)
          .build();
      GenerationResult result = pipeline.run(request);
      ImageFiles.write(result.images().get(0), Path.of(args[3]));
    }
  }
}
