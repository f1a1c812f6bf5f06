package io.anytext2.exporter.pkg;

import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorData;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.exporter.ckpt.TorchZipWriter;
import io.anytext2.nn.config.AnyText2Config;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ObjLongConsumer;
import java.util.stream.IntStream;

/**
 * A checkpoint of seeded random weights in the official key layout (MODEL.md §4.2–4.3), for any
 * configuration: every weight the package graphs read ({@link CheckpointValidator#requiredWeights}),
 * plus what the official file stores besides them — the 13 schedule buffers ({@link
 * DiffusionSchedule}), an int64 {@code num_batches_tracked} scalar per OCR BatchNorm, the unused CTC
 * head of the embedding manager's OCR copy, and CLIP's {@code position_ids} ([1, 77] int64).
 *
 * <p>Values follow the parity fixtures' recipe (parity README, "Weights"), which keeps activations
 * finite through the whole model (z standard normal): linear/conv weights z/√fan_in, norm scales
 * 1 + 0.1z, biases 0.05z, embeddings 0.3z, BatchNorm running means 0.1z, variances U(0.75, 1.25).
 * Each tensor is generated in fixed-size chunks, each from its own {@link SplittableRandom} seeded by
 * (seed, key, chunk), so values do not depend on the order or the threads that generate them, and
 * a tensor is streamed to the writer without ever being one array.
 */
public final class RandomCheckpoint implements TensorData {
  /** Elements per independently seeded chunk. */
  private static final int CHUNK = 1 << 16;
  /** Chunks generated in parallel before being written in order (4 MB of floats). */
  private static final int CHUNKS_PER_BATCH = 16;

  private static final String OCR_HEAD = "text_predictor.head.fc.";
  private static final String FONT_PREDICTOR = "embedding_manager.font_predictor.";
  private static final String CLIP_EMBEDDINGS = GraphBuilders.CLIP + "embeddings.";

  private final long seed;
  private final List<TensorInfo> tensors;
  private final Map<String, float[]> schedule;
  private final int positions;

  public RandomCheckpoint(AnyText2Config cfg, long seed) {
    this.seed = seed;
    this.schedule = DiffusionSchedule.buffers(cfg.linearStart(), cfg.linearEnd(), cfg.timesteps());
    this.positions = cfg.clip().maxPositions();
    this.tensors = Collections.unmodifiableList(layout(CheckpointValidator.requiredWeights(cfg)));
  }

  /** Every tensor, in file order: schedule buffers, then the networks' weights. */
  public List<TensorInfo> tensors() {
    return tensors;
  }

  /** Number of values over all tensors. */
  public long numel() {
    return tensors.stream().mapToLong(TensorInfo::numel).sum();
  }

  /** Size of the tensor data in bytes (the file adds headers). */
  public long byteSize() {
    return tensors.stream().mapToLong(TensorInfo::byteSize).sum();
  }

  /**
   * Writes the checkpoint: a PyTorch zip ({@code .ckpt}, {@code .pth}, {@code .pt}) in the {@code
   * torch.save({'state_dict': ...})} layout, or a {@code .safetensors} file.
   */
  public void save(Path file) throws IOException {
    save(file, (key, bytes) -> {});
  }

  /** As {@link #save(Path)}, reporting each tensor (key, bytes) once it is written. */
  public void save(Path file, ObjLongConsumer<String> written) throws IOException {
    TensorData data = (info, out) -> {
      write(info, out);
      written.accept(info.key(), info.byteSize());
    };
    if (isSafetensors(file)) {
      SafetensorsWriter.write(file, tensors, data, Map.of("format", "pt"));
    } else {
      TorchZipWriter.write(file, tensors, data);
    }
  }

  /**
   * True for a {@code .safetensors} name, false for a PyTorch zip name ({@code .ckpt}, {@code .pth},
   * {@code .pt}); any other name is an {@link IllegalArgumentException}.
   */
  public static boolean isSafetensors(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) return true;
    if (name.endsWith(".ckpt") || name.endsWith(".pth") || name.endsWith(".pt")) return false;
    throw new IllegalArgumentException("expected an output file ending in .ckpt, .pth, .pt or .safetensors, found " + file);
  }

  /** Streams one tensor's little-endian bytes; the same (seed, key) always gives the same bytes. */
  @Override
  public void write(TensorInfo info, OutputStream out) throws IOException {
    String key = info.key();
    if (schedule.containsKey(key)) {
      out.write(TensorCodec.encodeFloats(schedule.get(key), DType.F32));
    } else if (key.endsWith(".num_batches_tracked")) {
      // a plausible training-step count; the graphs never read it
      out.write(TensorCodec.encodeLongs(new long[] {new SplittableRandom(keySeed(key)).nextLong(100_000)}, DType.I64));
    } else if (key.equals(CLIP_EMBEDDINGS + "position_ids")) {
      long[] ids = new long[positions];
      for (int i = 0; i < ids.length; i++) ids[i] = i;
      out.write(TensorCodec.encodeLongs(ids, DType.I64));
    } else {
      writeRandom(info, Fill.of(info), out);
    }
  }

  /** The values of one float tensor (tests, small tensors). */
  public float[] floats(String key) {
    TensorInfo info = tensors.stream().filter(t -> t.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("random checkpoint has no tensor named '" + key + "'"));
    if (info.dtype() != DType.F32) throw new IllegalArgumentException("tensor " + key + ": expected F32, found " + info.dtype());
    if (schedule.containsKey(key)) return schedule.get(key).clone();
    float[] v = new float[Math.toIntExact(info.numel())];
    Fill fill = Fill.of(info);
    long keySeed = keySeed(key);
    int chunks = (int) ((v.length + (long) CHUNK - 1) / CHUNK);
    IntStream.range(0, chunks).parallel()
        .forEach(c -> fill.chunk(keySeed, c, v, c * CHUNK, Math.min(CHUNK, v.length - c * CHUNK)));
    return v;
  }

  // ---------------------------------------------------------------- layout

  private List<TensorInfo> layout(Map<String, long[]> required) {
    List<TensorInfo> out = new ArrayList<>();
    for (String b : DiffusionSchedule.BUFFERS) out.add(new TensorInfo(b, DType.F32, new long[] {schedule.get(b).length}));
    String lastFontPredictorKey = null;
    for (Map.Entry<String, long[]> e : required.entrySet()) {
      if (e.getKey().startsWith(FONT_PREDICTOR)) lastFontPredictorKey = e.getKey();
    }
    for (Map.Entry<String, long[]> e : required.entrySet()) {
      String key = e.getKey();
      if (key.equals(CLIP_EMBEDDINGS + "token_embedding.weight")) {
        // a buffer of CLIPTextEmbeddings itself, so state_dict lists it before the child modules' weights
        out.add(new TensorInfo(CLIP_EMBEDDINGS + "position_ids", DType.I64, new long[] {1, positions}));
      }
      out.add(new TensorInfo(key, DType.F32, e.getValue()));
      if (key.endsWith(".running_var")) {
        out.add(new TensorInfo(key.substring(0, key.length() - "running_var".length()) + "num_batches_tracked", DType.I64, new long[] {}));
      }
      if (key.equals(lastFontPredictorKey)) {
        // the embedding manager's OCR copy keeps its CTC head in the file although only its neck is used
        for (String part : List.of("weight", "bias")) {
          long[] shape = required.get(OCR_HEAD + part);
          String twin = FONT_PREDICTOR + "head.fc." + part;
          if (shape != null && !required.containsKey(twin)) out.add(new TensorInfo(twin, DType.F32, shape));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- values

  /** How a tensor is drawn: {@code a + b·z} for z standard normal, or uniformly from [a, b). */
  private record Fill(boolean uniform, double a, double b) {
    static Fill normal(double mean, double std) {
      return new Fill(false, mean, std);
    }

    static Fill of(TensorInfo info) {
      String key = info.key();
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      String module = key.lastIndexOf('.') > 0 ? key.substring(0, key.lastIndexOf('.')) : "";
      switch (leaf) {
        case "bias":
          return normal(0, 0.05);
        case "running_mean":
          return normal(0, 0.1);
        case "running_var":
          return new Fill(true, 0.75, 1.25);
        case "weight":
          if (info.rank() == 1) return normal(1, 0.1); // GroupNorm / LayerNorm / BatchNorm scale
          if (module.endsWith("embedding")) return normal(0, 0.3); // token and position embeddings
          long fanIn = info.numel() / info.dim(0);
          return normal(0, 1 / Math.sqrt(fanIn));
        default:
          throw new IllegalArgumentException("tensor " + key + ": no initialisation rule for a '" + leaf
              + "' tensor (expected weight, bias, running_mean or running_var)");
      }
    }

    /** Fills {@code v[from, from + n)} with chunk {@code c} of the tensor seeded by {@code keySeed}. */
    void chunk(long keySeed, int c, float[] v, int from, int n) {
      SplittableRandom r = new SplittableRandom(mix(keySeed + 0x9E3779B97F4A7C15L * (c + 1)));
      if (uniform) {
        for (int i = 0; i < n; i++) v[from + i] = (float) (a + (b - a) * r.nextDouble());
        return;
      }
      for (int i = 0; i < n; ) { // Marsaglia's polar method: two normals per accepted pair, no trigonometry
        double u;
        double w;
        double s;
        do {
          u = 2 * r.nextDouble() - 1;
          w = 2 * r.nextDouble() - 1;
          s = u * u + w * w;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        v[from + i++] = (float) (a + b * u * m);
        if (i < n) v[from + i++] = (float) (a + b * w * m);
      }
    }
  }

  private void writeRandom(TensorInfo info, Fill fill, OutputStream out) throws IOException {
    long total = info.numel();
    long keySeed = keySeed(info.key());
    int batch = (int) Math.min(total, (long) CHUNK * CHUNKS_PER_BATCH);
    float[] values = new float[Math.max(batch, 1)];
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long start = 0; start < total; start += batch) {
      int n = (int) Math.min(batch, total - start);
      int firstChunk = (int) (start / CHUNK);
      int chunks = (n + CHUNK - 1) / CHUNK;
      IntStream.range(0, chunks).parallel().forEach(k ->
          fill.chunk(keySeed, firstChunk + k, values, k * CHUNK, Math.min(CHUNK, n - k * CHUNK)));
      bytes.clear();
      bytes.asFloatBuffer().put(values, 0, n);
      out.write(bytes.array(), 0, 4 * n);
    }
  }

  /** A 64-bit seed for one key: FNV-1a of its UTF-8 bytes, mixed with the checkpoint seed. */
  private long keySeed(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h ^ mix(seed));
  }

  /** SplitMix64's finaliser: decorrelates nearby seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
