package io.anytext2.bench;

import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.pkg.GeneratedCheckpoint;
import io.anytext2.exporter.pkg.ModelConfigLoader;
import io.anytext2.exporter.pkg.ModelPackageWriter;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.pkg.ModelManifest;
import java.nio.file.Path;

/**
 * Writes a full-size package of seeded random weights (what {@code anytext2 convert --random-init}
 * does), for machines that have the benchmark jars but not the command line.
 *
 * <pre>{@code java -cp anytext2-benchmarks.jar io.anytext2.bench.RandomPackage OUT [fp32|fp16|fp16-fp32-norms][+fused][+gn] [SEED]}</pre>
 *
 * <p>A {@code +fused} suffix (e.g. {@code fp16+fused}) writes the attention as ONNX Runtime's
 * {@code com.microsoft.MultiHeadAttention} ({@code convert --fused-attention}); a further {@code +gn} (e.g.
 * {@code fp16+fused+gn}) the GroupNorms as {@code com.microsoft.GroupNorm} ({@code convert --fused-group-norm}).
 */
public final class RandomPackage {
  private RandomPackage() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) throw new IllegalArgumentException("usage: RandomPackage OUT [fp32|fp16|fp16-fp32-norms][+fused][+gn] [SEED]");
    Path out = Path.of(args[0]);
    String kind = args.length > 1 ? args[1] : "fp32";
    boolean groupNorm = kind.endsWith("+gn"); // convert --fused-group-norm
    if (groupNorm) kind = kind.substring(0, kind.length() - "+gn".length());
    boolean fused = kind.endsWith("+fused");
    Precision precision = switch (fused ? kind.substring(0, kind.length() - "+fused".length()) : kind) {
      case "fp32" -> Precision.FP32;
      case "fp16" -> Precision.FP16;
      case "fp16-fp32-norms" -> Precision.FP16_FP32_NORMS;
      default -> throw new IllegalArgumentException("precision: expected fp32, fp16 or fp16-fp32-norms, optionally with +fused, "
          + "found " + kind);
    };
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    long t0 = System.nanoTime();
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(null, null, OcrConfig.official());
    try (GeneratedCheckpoint ckpt = new GeneratedCheckpoint(new RandomCheckpoint(cfg, seed))) {
      ModelManifest m = ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "random-init(seed=" + seed + ")", cfg,
          ModelConfigLoader.BUNDLED_SD15, null, null, out, true, precision, fused, true, groupNorm), (name, i, n) -> System.out.printf("  %s (%d/%d)%n", name, i + 1, n));
      System.out.printf("wrote %s (%s%s, %d graphs) in %.1f s%n", out, m.precision(), (m.fusedAttention() ? ", fused attention" : "") + (m.fusedGroupNorm() ? ", fused GroupNorm" : ""),
          m.graphs().size(), (System.nanoTime() - t0) / 1e9);
    }
  }
}
