package io.anytext2.exporter.parity;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.OrtHarness;
import io.anytext2.exporter.onnx.Tensor;
import io.anytext2.exporter.onnx.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The tiny parity fixture (shared/parity/tiny): the official-layout checkpoint as a {@link
 * WeightSource}, the reference tensors of {@code fixtures.safetensors}, and a way to build a graph
 * with {@link OnnxOps}; the graphs run with {@link OrtHarness}.
 */
final class TinyParity implements AutoCloseable {
  private final Path dir;
  private final Checkpoint weights;
  private final Checkpoint fixtures;
  private final Path workDir;

  private TinyParity(Path dir, Checkpoint weights, Checkpoint fixtures, Path workDir) {
    this.dir = dir;
    this.weights = weights;
    this.fixtures = fixtures;
    this.workDir = workDir;
  }

  /**
   * Opens the fixture, or skips the calling test when {@code anytext2.parity.dir} is absent; graphs
   * are built into {@code workDir}.
   */
  static TinyParity open(Path workDir) {
    String dir = System.getProperty("anytext2.parity.dir");
    assumeTrue(dir != null, "system property anytext2.parity.dir is not set; parity test skipped");
    Path tiny = Path.of(dir, "tiny");
    Path model = tiny.resolve("model.ckpt");
    if (!Files.isRegularFile(model)) model = tiny.resolve("model.safetensors");
    Path tensors = tiny.resolve("fixtures.safetensors");
    assumeTrue(Files.isRegularFile(model) && Files.isRegularFile(tensors), "tiny parity fixture not found under " + tiny + "; skipped");
    return new TinyParity(tiny, Checkpoints.open(model), Checkpoints.open(tensors), workDir);
  }

  /** The fixture folder (tiny.yaml, tiny_clip/, ...). */
  Path dir() {
    return dir;
  }

  Checkpoint weights() {
    return weights;
  }

  boolean hasFixture(String name) {
    return fixtures.contains(name);
  }

  /** A reference tensor of fixtures.safetensors as float32 (integer tensors converted). */
  Tensor fixture(String name) {
    return Tensor.of(fixtures.readFloats(name), fixtures.info(name).shape());
  }

  /** An integer reference tensor (token ids) as int64. */
  Tensor fixtureIds(String name) {
    return Tensor.ids(fixtures.readLongs(name), fixtures.info(name).shape());
  }

  /** Builds a graph named {@code name}, weights from the checkpoint checked against the requested shapes. */
  Path build(String name, Consumer<OnnxOps> body) throws IOException {
    WeightSource source = (key, shape) -> {
      long[] stored = weights.info(key).shape();
      if (!Arrays.equals(stored, shape)) {
        throw new IllegalArgumentException("weight " + key + ": expected shape " + Arrays.toString(shape) + ", found " + Arrays.toString(stored));
      }
      return weights.readFloats(key);
    };
    Path file = workDir.resolve(name + ".onnx");
    try (OnnxOps op = new OnnxOps(name, source)) {
      body.accept(op);
      op.save(file);
    }
    return file;
  }

  @Override
  public void close() {
    weights.close();
    fixtures.close();
  }
}
