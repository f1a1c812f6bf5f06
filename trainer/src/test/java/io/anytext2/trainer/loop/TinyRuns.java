package io.anytext2.trainer.loop;

import io.anytext2.trainer.SyntheticSamples;
import io.anytext2.trainer.data.TrainingSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tiny training runs for the loop tests: configs/tiny.yaml with overrides, synthetic samples in memory. */
final class TinyRuns {
  private TinyRuns() {}

  /**
   * configs/tiny.yaml with {@code overrides} (YAML lines replacing the defaults of the same keys),
   * written next to it (paths stay relative to configs/).
   */
  static TrainingConfig config(Path dir, String train, String loss, String log) throws IOException {
    String text = Files.readString(Path.of("configs/tiny.yaml"));
    String abs = Path.of("configs").toAbsolutePath().toString();
    text = text.replace("config: tiny/model.yaml", "config: " + abs + "/tiny/model.yaml")
        .replace("ocr_dictionary: tiny/en_dict.txt", "ocr_dictionary: " + abs + "/tiny/en_dict.txt");
    text = replaceSection(text, "train", train);
    text = replaceSection(text, "loss", loss);
    text = replaceSection(text, "log", log);
    Path file = dir.resolve("tiny-test.yaml");
    Files.writeString(file, text);
    return TrainingConfig.read(file);
  }

  private static String replaceSection(String text, String name, String body) {
    if (body == null) return text;
    int start = text.indexOf("\n" + name + ":\n");
    int end = text.indexOf("\n", start + 1);
    int next = start + 1;
    while (true) {
      int nl = text.indexOf('\n', end + 1);
      String line = text.substring(end + 1, nl < 0 ? text.length() : nl);
      if (!line.startsWith(" ")) break;
      end = nl < 0 ? text.length() : nl;
      if (nl < 0) break;
    }
    return text.substring(0, next) + name + ":\n" + body.stripTrailing() + "\n" + text.substring(Math.min(end + 1, text.length()));
  }

  static List<TrainingSample> samples(int n) {
    return SyntheticSamples.make(42, n, 128);
  }

  static Trainer.Result train(TrainingConfig cfg, BatchSource data, Path runDir, long maxSteps, boolean resume, Path init) throws IOException {
    PrintStream console = new PrintStream(new ByteArrayOutputStream());
    return new Trainer(cfg, data, new Trainer.Options(runDir, maxSteps, resume, init, console, false)).run();
  }
}
