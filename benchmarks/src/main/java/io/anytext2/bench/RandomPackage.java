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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a full-size package of seeded random weights (what {@code anytext2 convert --random-init}
 * does), for machines that have the benchmark jars but not the command line.
 *
 * <pre>{@code java -cp anytext2-benchmarks.jar io.anytext2.bench.RandomPackage OUT [fp32|fp16|fp16-fp32-norms][+fused][+gn][+geglu][+packed] [SEED]}</pre>
 *
 * <p>A {@code +fused} suffix (e.g. {@code fp16+fused}) writes the attention as ONNX Runtime's
 * {@code com.microsoft.MultiHeadAttention} ({@code convert --fused-attention}); a further {@code +gn} (e.g.
 * {@code fp16+fused+gn}) the GroupNorms as {@code com.microsoft.GroupNorm} ({@code convert --fused-group-norm}),
 * {@code +geglu} the GEGLU feed-forwards with {@code com.microsoft.BiasSplitGelu} ({@code convert --fused-geglu}) and
 * {@code +packed} one MatMul for q, k, v of the attention ({@code convert --packed-attention}, needs {@code +fused}).
 */
public final class RandomPackage {
  private RandomPackage() {}

  static final String USAGE = "usage: RandomPackage OUT [fp32|fp16|fp16-fp32-norms][+fused][+gn][+geglu][+packed] [SEED]";

  /** A spec such as {@code fp16+fused+gn}: the precision, then options in any order. */
  record Spec(Precision precision, boolean fused, boolean groupNorm, boolean geglu, boolean packed) {
    static Spec parse(String kind) {
      String[] parts = kind.split("\\+", -1);
      Precision precision = switch (parts[0]) {
        case "fp32" -> Precision.FP32;
        case "fp16" -> Precision.FP16;
        case "fp16-fp32-norms" -> Precision.FP16_FP32_NORMS;
        default -> throw new IllegalArgumentException("precision: expected fp32, fp16 or fp16-fp32-norms, optionally with "
            + "+fused, +gn, +geglu, +packed, found " + kind);
      };
      Set<String> options = new HashSet<>();
      for (int i = 1; i < parts.length; i++) {
        if (!List.of("fused", "gn", "geglu", "packed").contains(parts[i]) || !options.add(parts[i])) {
          throw new IllegalArgumentException("expected the options +fused, +gn, +geglu, +packed at most once each, found '+"
              + parts[i] + "' in " + kind);
        }
      }
      return new Spec(precision, options.contains("fused"), options.contains("gn"), options.contains("geglu"),
          options.contains("packed"));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) throw new IllegalArgumentException(USAGE);
    Path out = Path.of(args[0]);
    Spec spec = Spec.parse(args.length > 1 ? args[1] : "fp32");
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    long t0 = System.nanoTime();
    AnyText2Config cfg = ModelConfigLoader.loadWithOcr(null, null, OcrConfig.official());
    try (GeneratedCheckpoint ckpt = new GeneratedCheckpoint(new RandomCheckpoint(cfg, seed))) {
      ModelManifest m = ModelPackageWriter.write(new ModelPackageWriter.Request(ckpt, "random-init(seed=" + seed + ")", cfg,
          ModelConfigLoader.BUNDLED_SD15, null, null, out, true, spec.precision(), spec.fused(), true, spec.groupNorm())
          .withFusions(spec.geglu(), spec.packed()), (name, i, n) -> System.out.printf("  %s (%d/%d)%n", name, i + 1, n));
      System.out.printf("wrote %s (%s%s, %d graphs) in %.1f s%n", out, m.precision(), (m.fusedAttention() ? ", fused attention" : "")
          + (m.fusedGroupNorm() ? ", fused GroupNorm" : "") + (m.fusedGeglu() ? ", fused GEGLU" : "")
          + (m.packedAttention() ? ", packed attention" : ""), m.graphs().size(), (System.nanoTime() - t0) / 1e9);
    }
  }
}
