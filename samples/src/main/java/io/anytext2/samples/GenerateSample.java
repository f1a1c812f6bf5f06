package io.anytext2.samples;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Path;

/**
 * Generates a picture with two text lines, each at a given box in a given colour (the default model in onnx/ unless
 * MODEL_DIR names another package).
 * Usage: GenerateSample MODEL_DIR OUT.png
 */
public final class GenerateSample {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "onnx");
    Path out = Path.of(args.length > 1 ? args[1] : "sample.png");
    try (AnyText2Pipeline pipeline = AnyText2Pipeline.open(model, RuntimeOptions.cpu())) {
      // a request the small default model in onnx/ knows (plain pages, one-word lines, each with its colour: README "The
      // default model"); with converted official weights any prompt and 512 x 512 suit better
      AnyText2Request request = AnyText2Request.generate("A plain white background, showing two lines of red and black text in English.")
          .line(TextLine.of("FRESH").at(Polygon.of(14, 18, 114, 18, 114, 50, 14, 50)).withColor(new Rgb(200, 30, 30)))
          .line(TextLine.of("BREAD").at(Polygon.of(16, 72, 112, 72, 112, 104, 16, 104)).withColor(new Rgb(0, 0, 0)))
          .size(128, 128)
          .steps(20)
          .seed(42)
          .build();
      GenerationResult result = pipeline.run(request, (step, total, x0) -> {
        System.out.printf("step %d/%d%n", step, total);
        return true; // return false to cancel
      });
      ImageFiles.write(result.images().get(0), out);
      System.out.println("wrote " + out + " (seed " + result.seed() + ", " + result.millis() + " ms on " + result.provider() + ")");
    }
  }
}
