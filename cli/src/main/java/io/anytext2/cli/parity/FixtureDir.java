package io.anytext2.cli.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.sdk.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A parity fixture folder (layout of shared/parity/README.md): weights ({@code model.ckpt} or
 * {@code model.safetensors}), one YAML config, its CLIP folder, an optional OCR dictionary,
 * {@code fixtures.safetensors} and {@code fixtures.json}.
 */
public final class FixtureDir implements AutoCloseable {
  private final Path dir;
  private final Path weights;
  private final Path yaml;
  private final Path dictionary;
  private final Checkpoint tensors;
  private final JsonNode json;

  private FixtureDir(Path dir, Path weights, Path yaml, Path dictionary, Checkpoint tensors, JsonNode json) {
    this.dir = dir;
    this.weights = weights;
    this.yaml = yaml;
    this.dictionary = dictionary;
    this.tensors = tensors;
    this.json = json;
  }

  public static FixtureDir open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("fixture folder " + dir + " does not exist");
    Path weights = Files.exists(dir.resolve("model.ckpt")) ? dir.resolve("model.ckpt") : dir.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) throw new IllegalArgumentException("fixture " + dir + " has neither model.ckpt nor model.safetensors");
    Path yaml = only(dir, ".yaml", true);
    Path dict = only(dir, "_dict.txt", false);
    Path fx = dir.resolve("fixtures.safetensors");
    Path fj = dir.resolve("fixtures.json");
    if (!Files.isRegularFile(fx) || !Files.isRegularFile(fj)) {
      throw new IllegalArgumentException("fixture " + dir + " needs fixtures.safetensors and fixtures.json");
    }
    JsonNode json = new ObjectMapper().readTree(fj.toFile());
    return new FixtureDir(dir, weights, yaml, dict, Checkpoints.open(fx), json);
  }

  private static Path only(Path dir, String suffix, boolean required) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      if (found.size() > 1) throw new IllegalArgumentException("fixture " + dir + " has several *" + suffix + " files: " + found);
      if (found.isEmpty() && required) throw new IllegalArgumentException("fixture " + dir + " has no *" + suffix + " config");
      return found.isEmpty() ? null : found.get(0);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path weights() {
    return weights;
  }

  public Path yaml() {
    return yaml;
  }

  public Path dictionary() {
    return dictionary;
  }

  public JsonNode json() {
    return json;
  }

  public boolean has(String name) {
    return tensors.contains(name);
  }

  public FloatTensor floats(String name) {
    return new FloatTensor(tensors.readFloats(name), tensors.info(name).shape());
  }

  public long[] longs(String name) {
    return tensors.readLongs(name);
  }

  public byte[] bytes(String name) {
    return tensors.readBytes(name);
  }

  public long[] shape(String name) {
    return tensors.info(name).shape();
  }

  /** Deletes a folder and everything in it. */
  public static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  @Override
  public void close() {
    tensors.close();
  }
}
