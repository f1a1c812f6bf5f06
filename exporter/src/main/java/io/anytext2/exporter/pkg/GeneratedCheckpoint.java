package io.anytext2.exporter.pkg;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RandomCheckpoint} read as a {@link Checkpoint}: the same seeded tensors, generated on
 * demand, so a package can be converted straight from a configuration and a seed (no file). The
 * values are identical to those of the checkpoint file {@link RandomCheckpoint#save} writes.
 */
public final class GeneratedCheckpoint implements Checkpoint {
  private final RandomCheckpoint random;
  private final Map<String, TensorInfo> infos = new LinkedHashMap<>();

  public GeneratedCheckpoint(RandomCheckpoint random) {
    this.random = random;
    for (TensorInfo t : random.tensors()) infos.put(t.key(), t);
  }

  @Override
  public List<String> keys() {
    return List.copyOf(infos.keySet());
  }

  @Override
  public TensorInfo info(String key) {
    TensorInfo t = infos.get(key);
    if (t == null) throw new IllegalArgumentException("random checkpoint has no tensor named '" + key + "'");
    return t;
  }

  @Override
  public boolean contains(String key) {
    return infos.containsKey(key);
  }

  @Override
  public float[] readFloats(String key) {
    TensorInfo t = info(key);
    if (t.dtype() == DType.F32) return random.floats(key);
    long[] v = readLongs(key);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  @Override
  public double[] readDoubles(String key) {
    TensorInfo t = info(key);
    if (t.dtype() != DType.F32) {
      long[] v = readLongs(key);
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) out[i] = v[i];
      return out;
    }
    float[] f = random.floats(key);
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) out[i] = f[i];
    return out;
  }

  @Override
  public long[] readLongs(String key) {
    TensorInfo t = info(key);
    if (t.dtype() == DType.F32) {
      throw new IllegalArgumentException("tensor " + key + " is F32; expected an integer tensor");
    }
    return TensorCodec.decodeLongs(readBytes(key), t.dtype());
  }

  @Override
  public byte[] readBytes(String key) {
    TensorInfo t = info(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, t.byteSize()));
    try {
      random.write(t, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {}
}
