package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The parity fixtures of /work/shared/parity/tiny (README sections (b), (c)), read-only. */
final class Fixtures implements AutoCloseable {

  private final Path dir;
  private final SafetensorsFile tensors;
  private final JsonNode json;

  private Fixtures(Path dir) throws IOException {
    this.dir = dir;
    this.tensors = SafetensorsFile.open(dir.resolve("fixtures.safetensors"));
    this.json = new ObjectMapper().readTree(dir.resolve("fixtures.json").toFile());
  }

  /** Opens the fixtures or skips the calling test when they are absent. */
  static Fixtures openOrSkip() {
    String prop = System.getProperty("anytext2.parity.dir");
    Path dir = prop == null ? null : Path.of(prop).resolve("tiny");
    assumeTrue(
        dir != null && Files.isRegularFile(dir.resolve("fixtures.safetensors")),
        "parity fixtures not found (set -Danytext2.parity.dir=<dir holding tiny/>); skipping");
    try {
      return new Fixtures(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  JsonNode json() {
    return json;
  }

  float[] floats(String key) {
    return tensors.readFloats(key);
  }

  double[] doubles(String key) {
    return tensors.readDoubles(key);
  }

  long[] shape(String key) {
    return tensors.info(key).shape();
  }

  byte[] bytes(String key) {
    return tensors.readBytes(key);
  }

  /** An [H, W, 3] uint8 tensor as an image. */
  RgbImage rgb(String key) {
    long[] s = shape(key);
    return new RgbImage((int) s[1], (int) s[0], bytes(key));
  }

  /** An [N, 1, H, W] (or [H, W]) 0/1 tensor as a mask. */
  Mask mask(String key) {
    long[] s = shape(key);
    return Mask.fromThreshold((int) s[s.length - 1], (int) s[s.length - 2], floats(key), 0.5f);
  }

  /** A [.., C, H, W] float tensor (batch 1) as an image. */
  FloatImage image(String key) {
    long[] s = shape(key);
    int n = s.length;
    return new FloatImage((int) s[n - 3], (int) s[n - 2], (int) s[n - 1], floats(key));
  }

  @Override
  public void close() {
    tensors.close();
  }
}
