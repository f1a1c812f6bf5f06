package io.anytext2.exporter.pkg;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.CheckpointException;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.ops.ShapeOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a checkpoint against a configuration before anything is written: every weight the graphs
 * need must exist with exactly the expected shape. Keys the graphs do not use are counted (the
 * schedule buffers, BatchNorm counters and CLIP's position_ids are expected among them).
 */
public final class CheckpointValidator {
  private CheckpointValidator() {}

  /** Every weight the package's graphs read: key → shape (first-use order). */
  public static Map<String, long[]> requiredWeights(AnyText2Config cfg) {
    Map<String, long[]> all = new LinkedHashMap<>();
    for (GraphBuilders.Def def : GraphBuilders.all(cfg)) all.putAll(weightsOf(def));
    return all;
  }

  /** The weights one graph reads, found by running it through {@link ShapeOps} at a nominal size. */
  public static Map<String, long[]> weightsOf(GraphBuilders.Def def) {
    ShapeOps s = new ShapeOps();
    List<ShapeOps.Shape> in = new ArrayList<>();
    for (GraphBuilders.In i : def.inputs()) in.add(s.input(nominal(i.dims())));
    def.body().apply(new GraphBuilders.Built<>(s, in));
    return s.weights();
  }

  /**
   * Returns the keys the checkpoint has but the graphs do not read; throws a
   * {@link CheckpointException} listing missing or mis-shaped weights.
   */
  public static List<String> validate(Checkpoint ckpt, AnyText2Config cfg) {
    Map<String, long[]> need = requiredWeights(cfg);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : need.entrySet()) {
      if (!ckpt.contains(e.getKey())) {
        problems.add("missing " + e.getKey());
      } else {
        long[] found = ckpt.info(e.getKey()).shape();
        if (!Arrays.equals(found, e.getValue())) {
          problems.add(e.getKey() + " has shape " + Arrays.toString(found) + ", the config needs " + Arrays.toString(e.getValue()));
        }
      }
    }
    if (!problems.isEmpty()) {
      String head = String.join("; ", problems.subList(0, Math.min(3, problems.size())));
      throw new CheckpointException("checkpoint does not fit the config (" + problems.size() + " problems): " + head
          + (problems.size() > 3 ? "; …" : ""));
    }
    List<String> unused = new ArrayList<>();
    for (String k : ckpt.keys()) if (!need.containsKey(k)) unused.add(k);
    return unused;
  }

  /** A concrete size for each symbolic dim: 128-pixel images (latent 16), 1 line/batch, 77 tokens. */
  private static long[] nominal(Object[] dims) {
    long[] out = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] instanceof Long l) {
        out[i] = l;
      } else {
        String n = dims[i].toString();
        if (n.startsWith("latent_")) {
          int level = n.matches(".*_\\d+$") ? Integer.parseInt(n.substring(n.lastIndexOf('_') + 1)) : 0;
          out[i] = 16 >> level;
        } else {
          out[i] = switch (n) {
            case "height", "width" -> 128;
            case "tokens" -> 77;
            default -> 1;
          };
        }
      }
    }
    return out;
  }
}
