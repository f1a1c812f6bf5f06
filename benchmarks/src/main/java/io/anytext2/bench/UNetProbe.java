package io.anytext2.bench;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Single graph calls on synthetic inputs of a request's shapes: the time of one UNet call at a
 * batch size (with every input converted per call, as a plain {@link GraphStage#run} does, and
 * with the fixed inputs pinned), and the agreement of two packages' graphs on identical inputs.
 */
final class UNetProbe {
  private UNetProbe() {}

  /** Inputs of graph {@code spec} for batch {@code batch} and latent side {@code latent}; seeded normal values. */
  static Map<String, Object> inputs(ModelManifest.Graph spec, int batch, int latent, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Object> in = new HashMap<>();
    for (ModelManifest.Tensor t : spec.inputs()) {
      long[] shape = new long[t.shape().size()];
      for (int i = 0; i < shape.length; i++) shape[i] = dim(t.shape().get(i), batch, latent);
      float[] v = new float[(int) FloatTensor.numel(shape)];
      if (t.name().equals(GraphNames.UNET_IN_T)) Arrays.fill(v, 501f);
      else if (t.name().equals(GraphNames.UNET_IN_ATTNX)) Arrays.fill(v, 1f);
      else for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
      in.put(t.name(), new FloatTensor(v, shape));
    }
    return in;
  }

  private static long dim(Object d, int batch, int latent) {
    if (d instanceof Number n) return n.longValue();
    String s = d.toString();
    if (s.equals("batch")) return batch;
    if (s.equals("tokens")) return 77;
    if (s.startsWith("latent_")) {
      int level = s.matches(".*_\\d+$") ? Integer.parseInt(s.substring(s.lastIndexOf('_') + 1)) : 0;
      return latent >> level;
    }
    if (s.equals("height") || s.equals("width")) return latent * 8L;
    throw new IllegalArgumentException("no benchmark size for dim '" + s + "'");
  }

  /** Bytes of the float32 inputs (what crosses to the device per call). */
  static long bytes(Map<String, Object> in) {
    return in.values().stream().mapToLong(v -> 4 * ((FloatTensor) v).numel()).sum();
  }

  /** Median milliseconds of {@code n} calls after {@code warmup}; fixed inputs pinned when {@code pin}. */
  static double medianMs(GraphStage stage, Map<String, Object> in, int warmup, int n, boolean pin) {
    Map<String, Object> perCall = new HashMap<>();
    Map<String, Object> fixed = new HashMap<>();
    for (Map.Entry<String, Object> e : in.entrySet()) {
      boolean stepInput = e.getKey().equals(GraphNames.UNET_IN_X) || e.getKey().equals(GraphNames.UNET_IN_T);
      (pin && !stepInput ? fixed : perCall).put(e.getKey(), e.getValue());
    }
    try (GraphStage.Pinned pinned = pin ? stage.pin(fixed) : null) {
      for (int i = 0; i < warmup; i++) stage.run(perCall, pinned);
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        stage.run(perCall, pinned);
        ms.add((System.nanoTime() - t0) / 1e6);
      }
      return Stats.median(ms);
    }
  }

  /** ‖a − b‖ / ‖b‖ over the first output of two graphs run on the same inputs. */
  static double relativeError(GraphStage a, GraphStage b, Map<String, Object> in, String output) {
    float[] x = a.run(in).get(output).data();
    float[] y = b.run(in).get(output).data();
    return Stats.relativeL2(x, y);
  }
}
