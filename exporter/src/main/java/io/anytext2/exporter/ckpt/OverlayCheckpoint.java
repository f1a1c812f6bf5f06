package io.anytext2.exporter.ckpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A base checkpoint whose tensors under some key prefixes come from other checkpoints: how the
 * default model's stages that train disjoint parts in parallel (the recognizer's
 * {@code text_predictor.*}, the VAE's {@code first_stage_model.*}) are joined into the next stage's
 * initial weights. Every key of an overlay's prefix must exist in the base with the same shape, so
 * a mistyped prefix or a checkpoint of another architecture fails before training starts. Closing
 * closes all checkpoints.
 */
public final class OverlayCheckpoint implements Checkpoint {
  private final Checkpoint base;
  private final List<Map.Entry<String, Checkpoint>> overlays;

  /** @param overlays prefix → checkpoint; a later entry wins where prefixes overlap */
  public OverlayCheckpoint(Checkpoint base, List<Map.Entry<String, Checkpoint>> overlays) {
    this(base, overlays, "--init-part");
  }

  /**
   * @param overlays prefix → checkpoint; a later entry wins where prefixes overlap
   * @param option the command-line option that named the overlays, for error messages
   */
  public OverlayCheckpoint(Checkpoint base, List<Map.Entry<String, Checkpoint>> overlays, String option) {
    this.base = base;
    this.overlays = List.copyOf(overlays);
    for (Map.Entry<String, Checkpoint> o : this.overlays) {
      int matched = 0;
      for (String key : o.getValue().keys()) {
        if (!key.startsWith(o.getKey())) continue;
        matched++;
        if (!base.contains(key)) {
          throw new IllegalArgumentException(option + " " + o.getKey() + ": key " + key + " is not in the base checkpoint");
        }
        if (!java.util.Arrays.equals(base.info(key).shape(), o.getValue().info(key).shape())) {
          throw new IllegalArgumentException(option + " " + o.getKey() + ": " + key + " has shape " + java.util.Arrays.toString(o.getValue().info(key).shape())
              + ", the base checkpoint " + java.util.Arrays.toString(base.info(key).shape()));
        }
      }
      if (matched == 0) throw new IllegalArgumentException(option + " " + o.getKey() + ": the checkpoint holds no key with that prefix");
    }
  }

  private Checkpoint source(String key) {
    for (int i = overlays.size() - 1; i >= 0; i--) {
      Map.Entry<String, Checkpoint> o = overlays.get(i);
      if (key.startsWith(o.getKey()) && o.getValue().contains(key)) return o.getValue();
    }
    return base;
  }

  @Override
  public List<String> keys() {
    return base.keys();
  }

  @Override
  public TensorInfo info(String key) {
    return source(key).info(key);
  }

  @Override
  public boolean contains(String key) {
    return base.contains(key);
  }

  @Override
  public float[] readFloats(String key) {
    return source(key).readFloats(key);
  }

  @Override
  public double[] readDoubles(String key) {
    return source(key).readDoubles(key);
  }

  @Override
  public long[] readLongs(String key) {
    return source(key).readLongs(key);
  }

  @Override
  public byte[] readBytes(String key) {
    return source(key).readBytes(key);
  }

  @Override
  public void close() {
    List<RuntimeException> errors = new ArrayList<>();
    for (Map.Entry<String, Checkpoint> o : overlays) {
      try {
        o.getValue().close();
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    base.close();
    if (!errors.isEmpty()) throw errors.get(0);
  }
}
