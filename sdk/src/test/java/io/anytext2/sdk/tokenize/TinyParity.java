package io.anytext2.sdk.tokenize;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny parity fixture set ({@code <anytext2.parity.dir>/tiny}, parity README); tests using it
 * are skipped with a message when it is absent. Shared by the sdk's tokenize, prompt and sched tests.
 */
public final class TinyParity {

  private TinyParity() {}

  /** The fixture folder, or a skipped test when it is not there. */
  public static Path dir() {
    String root = System.getProperty("anytext2.parity.dir");
    assumeTrue(root != null, "system property anytext2.parity.dir is not set; parity fixtures skipped");
    Path tiny = Path.of(root, "tiny");
    assumeTrue(Files.isRegularFile(tiny.resolve("fixtures.safetensors")) && Files.isRegularFile(tiny.resolve("fixtures.json")),
        "parity fixtures not found under " + tiny + "; skipped");
    return tiny;
  }

  /** {@code fixtures.json}: requests, prompts, token strings, timesteps. */
  public static JsonNode json() {
    try {
      return new ObjectMapper().readTree(dir().resolve("fixtures.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code fixtures.safetensors} (close it). */
  public static SafetensorsFile tensors() {
    return SafetensorsFile.open(dir().resolve("fixtures.safetensors"));
  }

  /** The tiny model's weights ({@code model.ckpt} or {@code model.safetensors}; close it). */
  public static Checkpoint weights() {
    Path tiny = dir();
    Path ckpt = tiny.resolve("model.ckpt");
    return Checkpoints.open(Files.isRegularFile(ckpt) ? ckpt : tiny.resolve("model.safetensors"));
  }

  /** The fixture's CLIP tokenizer ({@code tiny_clip/vocab.json} + {@code merges.txt}). */
  public static ClipTokenizer tokenizer() {
    try {
      return ClipTokenizer.load(dir().resolve("tiny_clip"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row-major concatenation of {@code rows}. */
  public static long[] flatten(long[][] rows) {
    int n = 0;
    for (long[] r : rows) {
      n += r.length;
    }
    long[] out = new long[n];
    int pos = 0;
    for (long[] r : rows) {
      System.arraycopy(r, 0, out, pos, r.length);
      pos += r.length;
    }
    return out;
  }
}
