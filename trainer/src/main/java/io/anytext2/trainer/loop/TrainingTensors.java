package io.anytext2.trainer.loop;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.log.TensorSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model and optimizer as {@link TensorSource}s for the checkpoint manager, and back. Weights
 * keep the official key layout (every tensor of the state dict; the int64 BatchNorm counters and
 * CLIP position ids are stored as float32 values). The optimizer file holds, per trained
 * parameter, {@code exp_avg/KEY}, {@code exp_avg_sq/KEY} and the scalar {@code step/KEY}. Values
 * are copied from the training device to the host one tensor at a time while a file is written;
 * restored ones go back to the device of the store and optimizer.
 */
final class TrainingTensors {
  static final String EXP_AVG = "exp_avg/";
  static final String EXP_AVG_SQ = "exp_avg_sq/";
  static final String STEP = "step/";

  private TrainingTensors() {}

  static TensorSource weights(ParameterStore store) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    Map<String, TensorInfo> infos = new LinkedHashMap<>();
    for (TensorInfo t : store.tensors()) {
      shapes.put(t.key(), t.shape());
      infos.put(t.key(), t);
    }
    return new TensorSource() {
      @Override
      public Map<String, long[]> shapes() {
        return shapes;
      }

      @Override
      public float[] read(String key) {
        if (store.contains(key)) return store.read(key);
        TensorInfo info = infos.get(key);
        try {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          store.data().write(info, out);
          if (info.dtype().isFloatingPoint()) return TensorCodec.decodeFloats(out.toByteArray(), info.dtype());
          long[] v = TensorCodec.decodeLongs(out.toByteArray(), info.dtype());
          float[] f = new float[v.length];
          for (int i = 0; i < v.length; i++) f[i] = v[i];
          return f;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  static TensorSource optimizer(AdamW opt) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    opt.state().forEach((key, s) -> {
      shapes.put(EXP_AVG + key, s.expAvg().getShape().getShape());
      shapes.put(EXP_AVG_SQ + key, s.expAvgSq().getShape().getShape());
      shapes.put(STEP + key, new long[0]);
    });
    return new TensorSource() {
      @Override
      public Map<String, long[]> shapes() {
        return shapes;
      }

      @Override
      public float[] read(String key) {
        if (key.startsWith(EXP_AVG_SQ)) return HostArrays.read(opt.state().get(key.substring(EXP_AVG_SQ.length())).expAvgSq());
        if (key.startsWith(EXP_AVG)) return HostArrays.read(opt.state().get(key.substring(EXP_AVG.length())).expAvg());
        return new float[] {opt.state().get(key.substring(STEP.length())).step()};
      }
    };
  }

  /** Restores the optimizer moments and step counts saved by {@link #optimizer}. */
  static void restore(AdamW opt, Checkpoint saved) {
    for (String k : saved.keys()) {
      if (!k.startsWith(STEP)) continue;
      String key = k.substring(STEP.length());
      long step = (long) saved.readFloats(k)[0];
      opt.restore(key, saved.readFloats(EXP_AVG + key), saved.readFloats(EXP_AVG_SQ + key), step);
    }
  }
}
