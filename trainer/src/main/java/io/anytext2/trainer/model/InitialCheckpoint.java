package io.anytext2.trainer.model;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorData;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.exporter.ckpt.TorchZipWriter;
import io.anytext2.exporter.pkg.DiffusionSchedule;
import io.anytext2.exporter.pkg.RandomCheckpoint;
import io.anytext2.nn.config.AnyText2Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training initialisation of TRAINING.md §4 ({@code tool_add_anytext.py}): the full AnyText2
 * state dict in the official layout, each tensor taken from an SD1.5-layout base checkpoint where
 * one fits and freshly initialised otherwise:
 * <ul>
 *   <li>{@code control_model.X} ← {@code model.diffusion_model.X} (WriteNet encoder copied from the UNet);
 *   <li>{@code …attn1x…} ← {@code …attn1…}, {@code …attn2x…} ← {@code …attn2…} (AttnX are copies, P-3);
 *   <li>anything else ← the same key (UNet, VAE, CLIP, schedule buffers);
 *   <li>{@code text_predictor.*} and {@code embedding_manager.font_predictor.*} ← the PP-OCRv3
 *       recognizer file (its keys without prefix), when given.
 * </ul>
 * Fresh tensors follow PyTorch's defaults (Linear/Conv weight and bias U(±1/√fan_in), norms 1/0,
 * BatchNorm statistics 0/1, embeddings N(0, 1)); the zero-initialised modules
 * ({@code zero_convs}, {@code middle_block_out}, {@code fuse_block_za} and the embedding manager's
 * {@code proj}, {@code style_proj}, {@code color_proj} Linear layers) are zeros.
 */
public final class InitialCheckpoint implements TensorData {
  /** Where the tensors came from. */
  public record Report(int fromBase, int fromOcr, int zeros, int fresh, List<String> freshKeys) {
    @Override
    public String toString() {
      return fromBase + " tensors from the base checkpoint, " + fromOcr + " from the OCR weights, " + zeros + " zero-initialised, "
          + fresh + " freshly initialised";
    }
  }

  private static final String UNET = "model.diffusion_model.";
  private static final String CONTROL = "control_model.";
  private static final List<String> OCR_PREFIXES = List.of("text_predictor.", "embedding_manager.font_predictor.");
  private static final List<String> ZERO_MODULES = List.of(CONTROL + "zero_convs.", CONTROL + "middle_block_out.",
      CONTROL + "fuse_block_za.", "embedding_manager.proj.0.", "embedding_manager.style_proj.0.", "embedding_manager.color_proj.0.");

  private final List<TensorInfo> tensors;
  private final Checkpoint base;
  private final Checkpoint ocr;
  private final long seed;
  private final Map<String, float[]> schedule;

  /**
   * @param base SD1.5-layout state dict (keys {@code model.diffusion_model.*}, {@code first_stage_model.*},
   *     {@code cond_stage_model.transformer.text_model.*}, schedule buffers); extra keys are ignored
   * @param ocr PP-OCRv3 recognizer state dict (keys {@code backbone.*}, {@code neck.*}, {@code head.*}), or null
   */
  public InitialCheckpoint(AnyText2Config cfg, Checkpoint base, Checkpoint ocr, long seed) {
    this.tensors = new RandomCheckpoint(cfg, seed).tensors(); // the official key layout of this architecture
    this.base = base;
    this.ocr = ocr;
    this.seed = seed;
    this.schedule = DiffusionSchedule.buffers(cfg.linearStart(), cfg.linearEnd(), cfg.timesteps());
    for (TensorInfo t : tensors) {
      String src = sourceKey(t);
      if (src != null && src.startsWith("ocr:")) continue;
      if (src != null && !Arrays.equals(base.info(src).shape(), t.shape())) {
        throw new IllegalArgumentException("base checkpoint: " + src + " has shape " + Arrays.toString(base.info(src).shape())
            + ", " + t.key() + " needs " + Arrays.toString(t.shape()));
      }
    }
  }

  public List<TensorInfo> tensors() {
    return tensors;
  }

  /** Writes the state dict: {@code .ckpt}/{@code .pth} (torch zip) or {@code .safetensors}. */
  public Report save(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) {
      SafetensorsWriter.write(file, tensors, this, Map.of("format", "pt"));
    } else if (name.endsWith(".ckpt") || name.endsWith(".pth") || name.endsWith(".pt")) {
      TorchZipWriter.write(file, tensors, this);
    } else {
      throw new IllegalArgumentException("expected an output file ending in .ckpt, .pth, .pt or .safetensors, found " + file);
    }
    return report();
  }

  /** Counts by origin, without writing anything. */
  public Report report() {
    int fromBase = 0;
    int fromOcr = 0;
    int zeros = 0;
    List<String> fresh = new ArrayList<>();
    for (TensorInfo t : tensors) {
      String src = sourceKey(t);
      if (src == null) {
        if (isZero(t.key())) zeros++;
        else fresh.add(t.key());
      } else if (src.startsWith("ocr:")) {
        fromOcr++;
      } else {
        fromBase++;
      }
    }
    return new Report(fromBase, fromOcr, zeros, fresh.size(), List.copyOf(fresh));
  }

  /** The base key ("ocr:" + key for the OCR file) a tensor is copied from, or null for a fresh one. */
  String sourceKey(TensorInfo t) {
    String key = t.key();
    for (String prefix : OCR_PREFIXES) {
      if (ocr != null && key.startsWith(prefix)) {
        String k = key.substring(prefix.length());
        if (ocr.contains(k) && Arrays.equals(ocr.info(k).shape(), t.shape())) return "ocr:" + k;
        if (ocr.contains(k)) {
          throw new IllegalArgumentException("OCR weights: " + k + " has shape " + Arrays.toString(ocr.info(k).shape()) + ", " + key
              + " needs " + Arrays.toString(t.shape()));
        }
      }
    }
    String src = key;
    if (key.startsWith("control_")) src = UNET + key.substring(CONTROL.length());
    else if (key.contains("attn1x")) src = key.replace("attn1x", "attn1");
    else if (key.contains("attn2x")) src = key.replace("attn2x", "attn2");
    return base.contains(src) ? src : null;
  }

  private static boolean isZero(String key) {
    return ZERO_MODULES.stream().anyMatch(key::startsWith);
  }

  @Override
  public void write(TensorInfo info, java.io.OutputStream out) throws IOException {
    String src = sourceKey(info);
    if (src != null) {
      Checkpoint from = src.startsWith("ocr:") ? ocr : base;
      String k = src.startsWith("ocr:") ? src.substring(4) : src;
      if (info.dtype() == DType.I64) out.write(TensorCodec.encodeLongs(from.readLongs(k), DType.I64));
      else out.write(TensorCodec.encodeFloats(from.readFloats(k), DType.F32));
      return;
    }
    if (info.dtype() == DType.I64) {
      long[] v = new long[(int) info.numel()];
      if (info.key().endsWith("position_ids")) for (int i = 0; i < v.length; i++) v[i] = i;
      out.write(TensorCodec.encodeLongs(v, DType.I64)); // num_batches_tracked = 0
      return;
    }
    out.write(TensorCodec.encodeFloats(fresh(info), DType.F32));
  }

  /** PyTorch's default initialisation of a new module's tensor (zeros for the zero modules). */
  float[] fresh(TensorInfo info) {
    String key = info.key();
    float[] v = new float[Math.toIntExact(info.numel())];
    if (schedule.containsKey(key)) return schedule.get(key).clone();
    if (isZero(key)) return v;
    String leaf = key.substring(key.lastIndexOf('.') + 1);
    SplittableRandom r = new SplittableRandom(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
    switch (leaf) {
      case "running_mean", "bias" -> {
        if (leaf.equals("bias") && !isNormBias(key, info)) fillUniform(r, v, 1 / Math.sqrt(fanIn(key)));
      }
      case "running_var" -> Arrays.fill(v, 1f);
      case "weight" -> {
        if (info.rank() == 1) Arrays.fill(v, 1f); // GroupNorm / LayerNorm / BatchNorm γ
        else if (key.endsWith("embedding.weight")) for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        else fillUniform(r, v, 1 / Math.sqrt(info.numel() / (double) info.dim(0))); // kaiming_uniform(a=√5)
      }
      default -> throw new IllegalArgumentException("no initialisation rule for " + key);
    }
    return v;
  }

  /** Weight shapes by key, to find the fan-in of a bias and to tell norm biases apart. */
  private Map<String, TensorInfo> byKey;

  private TensorInfo infoOf(String key) {
    if (byKey == null) {
      byKey = new java.util.HashMap<>();
      for (TensorInfo t : tensors) byKey.put(t.key(), t);
    }
    return byKey.get(key);
  }

  private boolean isNormBias(String key, TensorInfo bias) {
    TensorInfo w = infoOf(key.substring(0, key.length() - "bias".length()) + "weight");
    return w == null || w.rank() == 1;
  }

  private double fanIn(String biasKey) {
    TensorInfo w = infoOf(biasKey.substring(0, biasKey.length() - "bias".length()) + "weight");
    return w.numel() / (double) w.dim(0);
  }

  private static void fillUniform(SplittableRandom r, float[] v, double bound) {
    for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
  }
}
