package io.anytext2.sdk.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.exporter.onnx.GraphNodes;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.pkg.GeneratedCheckpoint;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.pkg.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The fixture the fusion package tests share: fp16 packages with fused attention and the sampler graph, of the
 * default model's configuration with seeded random weights, written with chosen CUDA-only fusions; and readers of
 * what they wrote (manifest, graphs, node counts).
 */
final class RandomFp16Packages {
  static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final Path YAML = Path.of("../trainer/configs/default/model.yaml");
  private static final Path CLIP = YAML.resolveSibling("clip");

  private RandomFp16Packages() {}

  /** Writes the package into {@code out} with the fusions asked for and returns {@code out}. */
  static Path write(Path out, boolean fusedGroupNorm, boolean fusedGeglu, boolean packedAttention) throws Exception {
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(YAML, CLIP, OcrConfig.fromShapes(4, 97));
    try (GeneratedCheckpoint ckpt = new GeneratedCheckpoint(new RandomCheckpoint(cfg, 3))) {
      ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "random", cfg, "model.yaml", CLIP, null, out, false,
          Precision.FP16, true, true, fusedGroupNorm).withFusions(fusedGeglu, packedAttention), (name, index, graphs) -> {});
    }
    return out;
  }

  static ModelManifest manifest(Path pkg) throws Exception {
    return JSON.readValue(pkg.resolve(ModelManifest.FILE_NAME).toFile(), ModelManifest.class);
  }

  static ModelProto model(Path pkg, String name) throws Exception {
    return ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(name + ".onnx")));
  }

  static long count(ModelProto m, Predicate<NodeProto> p) {
    return GraphNodes.count(m, p);
  }
}
