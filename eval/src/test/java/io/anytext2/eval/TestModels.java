package io.anytext2.eval;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.nn.config.AnyText2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;


/** The tiny parity model as a package, and tiny ONNX encoders / recognizers built with OnnxOps. */
public final class TestModels {
  private TestModels() {}

  /** The tiny parity fixture folder; skips the test when it is absent. */
  public static Path tinyFixture() {
    Path p = Path.of(System.getProperty("anytext2.parity.dir", "../shared/parity"), "tiny");
    assumeTrue(Files.isRegularFile(p.resolve("model.ckpt")),
        "parity fixtures not found at " + p.toAbsolutePath() + " (set -Danytext2.parity.dir); skipping");
    return p;
  }

  /** Converts the tiny checkpoint (random weights, tiny.yaml, en_dict.txt) into a package at {@code out}. */
  public static Path tinyPackage(Path out) throws IOException {
    Path tiny = tinyFixture();
    Path yaml = tiny.resolve("tiny.yaml");
    try (Checkpoint ckpt = Checkpoints.open(tiny.resolve("model.ckpt"))) {
      Path clip = ModelConfigLoader.clipFolder(yaml, ModelConfigLoader.readYaml(yaml));
      AnyText2Config cfg = ModelConfigLoader.load(yaml, clip, ckpt);
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "model.ckpt", cfg, "tiny.yaml", clip, tiny.resolve("en_dict.txt"), out, false),
          (name, index, graphs) -> {});
    }
    return out;
  }

  /** CLIP image tower stand-in: [n,3,224,224] → the per-channel means [n,3] ("image_embeds"). */
  public static Path clipImage(Path file) throws IOException {
    try (OnnxOps op = new OnnxOps("clip_image", (k, s) -> null)) {
      OnnxOps.Value x = op.input("pixel_values", ElemType.FLOAT, "batch", 3L, 224L, 224L);
      op.output("image_embeds", op.reshape(op.meanKeepDims(x, 2, 3), 0, -1));
      op.save(file);
    }
    return file;
  }

  /** The embedding every caption gets from {@link #clipText}. */
  public static final float[] TEXT_EMBEDDING = {1f, 0.5f, -0.25f};

  /** CLIP text tower stand-in: input_ids [n,77] → the mean of token embeddings that are all {@link #TEXT_EMBEDDING}. */
  public static Path clipText(Path file, int vocab) throws IOException {
    float[] table = new float[vocab * 3];
    for (int i = 0; i < vocab; i++) System.arraycopy(TEXT_EMBEDDING, 0, table, 3 * i, 3);
    try (OnnxOps op = new OnnxOps("clip_text", (k, s) -> table)) {
      OnnxOps.Value ids = op.input("input_ids", ElemType.INT64, "batch", 77L);
      OnnxOps.Value emb = op.embedding(op.weight("token_embedding", vocab, 3), ids);
      op.output("text_embeds", op.reshape(op.meanKeepDims(emb, 1), 0, -1));
      op.save(file);
    }
    return file;
  }

  /** Inception stand-in: [n,3,299,299] → per-channel means as [n,3,1,1] (a pool3-like rank-4 output). */
  public static Path inception(Path file) throws IOException {
    try (OnnxOps op = new OnnxOps("inception", (k, s) -> null)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, 299L, 299L);
      op.output("pool3", op.meanKeepDims(x, 2, 3));
      op.save(file);
    }
    return file;
  }

  /**
   * A recognizer whose scores ignore the picture: every crop gets the same [T, K] scores, a one-hot
   * path per time step, so greedy CTC decoding yields a known string.
   */
  public static Path fixedRecognizer(Path file, int classes, int... path) throws IOException {
    float[] scores = new float[path.length * classes];
    for (int t = 0; t < path.length; t++) scores[t * classes + path[t]] = 5f;
    try (OnnxOps op = new OnnxOps("recognizer", (k, s) -> null)) {
      OnnxOps.Value x = op.input("x", ElemType.FLOAT, "batch", 3L, 48L, 320L);
      OnnxOps.Value zero = op.scale(op.reshape(op.meanKeepDims(x, 1, 2, 3), 0, 1, 1), 0f); // [n,1,1] of zeros
      op.output("logits", op.add(zero, op.constant(scores, 1, path.length, classes)));
      op.save(file);
    }
    return file;
  }

}
