package io.anytext2.cli;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.model.OcrHeadExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anytext2 extend-dict}: a checkpoint whose OCR heads read a larger dictionary (README "The default model"). */
@Command(
    name = "extend-dict",
    mixinStandardHelpOptions = true,
    description = {
      "Widen a checkpoint's OCR recognizer heads to a larger dictionary that contains the old one, e.g. to",
      "train a Latin model on Chinese lines too: known characters keep their trained rows, new ones get fresh",
      "rows, every other tensor is copied. Then train and convert with --ocr-dict the new dictionary."
    },
    footer = {
      "",
      "Example:",
      "  anytext2 extend-dict --checkpoint last.safetensors --old-dict latin_dict.txt \\",
      "      --new-dict latin_cjk_dict.txt --out last-cjk.safetensors"
    })
final class ExtendDictCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, description = "AnyText2 checkpoint (.safetensors, .ckpt, .pth)")
  Path checkpoint;

  @Option(names = "--old-dict", required = true, description = "the dictionary its OCR heads were trained with")
  Path oldDict;

  @Option(names = "--new-dict", required = true, description = "the larger dictionary (every old character included)")
  Path newDict;

  @Option(names = "--seed", defaultValue = "0", description = "random seed of the new rows (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output .safetensors file")
  Path out;

  @Option(names = "--overwrite", description = "replace an existing output file")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    ConvertCommand.requireFile(checkpoint, "checkpoint");
    ConvertCommand.requireFile(oldDict, "old dictionary");
    ConvertCommand.requireFile(newDict, "new dictionary");
    if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
      throw new IllegalArgumentException("expected an output file ending in .safetensors, found " + out);
    }
    ConvertCommand.refuseExisting(out, overwrite);
    if (Files.exists(out) && Files.isSameFile(out, checkpoint)) {
      throw new IllegalArgumentException("output " + out + " is the input checkpoint: write to another file");
    }
    try (Checkpoint in = Checkpoints.open(checkpoint)) {
      OcrHeadExtension.Result r = OcrHeadExtension.write(in, OcrDictionary.characters(oldDict), OcrDictionary.characters(newDict),
          seed, out);
      System.out.printf(Locale.ROOT, "wrote %s: %d OCR head(s) widened from %d to %d classes (%d rows kept, %d new)%n", out,
          r.heads().size(), r.oldClasses(), r.newClasses(), r.copied(), r.fresh());
    }
    return 0;
  }
}
