package io.anytext2.trainer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.nn.config.AnyText2Config;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny parity fixture (shared/parity/tiny, README there): official-layout weights, the model
 * config and the reference tensors of the original implementation. Skips the calling test when the
 * system property {@code anytext2.parity.dir} does not point at it.
 */
public final class TinyFixture implements AutoCloseable {
  public final Path dir;
  public final Checkpoint weights;
  public final Checkpoint tensors;
  public final AnyText2Config config;

  private TinyFixture(Path dir) {
    this.dir = dir;
    this.weights = Checkpoints.open(dir.resolve("model.ckpt"));
    this.tensors = Checkpoints.open(dir.resolve("fixtures.safetensors"));
    this.config = ModelConfigLoader.load(dir.resolve("tiny.yaml"), dir.resolve("tiny_clip"), weights);
  }

  /** The fixture folder, or skips the calling test. */
  public static Path locate() {
    String p = System.getProperty("anytext2.parity.dir");
    assumeTrue(p != null, "system property anytext2.parity.dir is not set; test skipped");
    Path dir = Path.of(p, "tiny");
    assumeTrue(Files.isRegularFile(dir.resolve("model.ckpt")) && Files.isRegularFile(dir.resolve("fixtures.safetensors")),
        "tiny parity fixture not found under " + dir + "; test skipped");
    return dir;
  }

  public static TinyFixture open() {
    return new TinyFixture(locate());
  }

  public float[] floats(String name) {
    return tensors.readFloats(name);
  }

  public long[] longs(String name) {
    return tensors.readLongs(name);
  }

  public long[] shape(String name) {
    return tensors.info(name).shape();
  }

  public boolean has(String name) {
    return tensors.contains(name);
  }

  @Override
  public void close() {
    weights.close();
    tensors.close();
  }
}
