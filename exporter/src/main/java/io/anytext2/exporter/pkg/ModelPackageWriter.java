package io.anytext2.exporter.pkg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.CheckpointException;
import io.anytext2.exporter.onnx.Fusions;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.exporter.onnx.WeightSource;
import io.anytext2.exporter.onnx.WeightStorage;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.nn.pkg.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a model package from a checkpoint: one ONNX graph per stage, the tokenizer files, the
 * optional OCR dictionary and {@code manifest.json}. Everything is written into a fresh folder
 * next to the destination and renamed into place at the end, so a failed or interrupted
 * conversion leaves nothing behind and an existing package is only replaced when asked to.
 */
public final class ModelPackageWriter {
  /** Tokenizer value meaning "the SDK's bundled openai/clip-vit-large-patch14 vocabulary". */
  public static final String BUNDLED_CLIP = "bundled:clip-vit-large-patch14";

  /** Progress of a conversion: graph index (0-based) of {@code graphs}, weights written so far. */
  public interface Progress {
    void graph(String name, int index, int graphs);

    default void weight(String key, long bytes) {}
  }

  /**
   * @param tokenizerDir folder with vocab.json + merges.txt, or null for the bundled CLIP vocabulary
   * @param ocrDictionary character list of the recognizer (optional; needed only for OCR decoding)
   * @param precision FP32, or a half precision for an "fp16" package (see {@link GraphBuilders#precisionOf})
   * @param fusedAttention attention as ONNX Runtime's {@code com.microsoft.MultiHeadAttention} (for GPU packages;
   *     recorded in the manifest), else standard MatMul → Softmax → MatMul
   * @param samplerGraph whether to write the optional {@code sampler} Loop graph (a second copy of the UNet
   *     weights; it pays off on GPUs, where it saves the per-step transfers, and is only weight on CPUs)
   * @param fusedGroupNorm GroupNorm (+ SiLU) as ONNX Runtime's channels-last {@code com.microsoft.GroupNorm}
   *     (CUDA-only packages; recorded in the manifest)
   * @param fusedGeglu GEGLU feed-forwards of SD1.5's widths as a bias-free MatMul and ONNX Runtime's {@code
   *     com.microsoft.BiasSplitGelu} (CUDA-only packages; {@link io.anytext2.exporter.onnx.Fusions#geglu}; recorded
   *     in the manifest)
   * @param packedAttention one packed MatMul for q, k, v (k, v) of the transformer blocks' attention
   *     (CUDA-only packages; needs {@code fusedAttention}; recorded in the manifest)
   * @param judge null, or a checkpoint whose {@code text_predictor.*} weights make the {@code ocr_recognizer}
   *     graph (the OCR judge of evaluations) instead of {@code checkpoint}'s; the embedding graph, which reads
   *     glyph lines with the same recognizer, keeps {@code checkpoint}'s weights, the ones the model was trained with
   */
  public record Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
      Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite, Precision precision, boolean fusedAttention,
      boolean samplerGraph, boolean fusedGroupNorm, boolean fusedGeglu, boolean packedAttention, Checkpoint judge) {
    public Request {
      if (precision == null) throw new IllegalArgumentException("expected a precision, found null");
      new Fusions(fusedAttention, fusedGroupNorm, fusedGeglu, packedAttention); // throws for packed without fused attention
    }

    public Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
        Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite, Precision precision, boolean fusedAttention,
        boolean samplerGraph, boolean fusedGroupNorm) {
      this(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision, fusedAttention,
          samplerGraph, fusedGroupNorm, false, false, null);
    }

    /** This request with the OCR judge's weights from {@code judge} (see the record's parameters). */
    public Request withJudge(Checkpoint judge) {
      return new Request(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision,
          fusedAttention, samplerGraph, fusedGroupNorm, fusedGeglu, packedAttention, judge);
    }

    /** This request with the CUDA-only GEGLU and packed-attention fusions as given (see the record's parameters). */
    public Request withFusions(boolean fusedGeglu, boolean packedAttention) {
      return new Request(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision,
          fusedAttention, samplerGraph, fusedGroupNorm, fusedGeglu, packedAttention, judge);
    }

    /** The contrib nodes the UNet, ControlNet, sampler and VAE graphs get. */
    public Fusions fusions() {
      return new Fusions(fusedAttention, fusedGroupNorm, fusedGeglu, packedAttention);
    }

    /** A package with InstanceNormalization-based GroupNorm (runs on every provider). */
    public Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
        Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite, Precision precision, boolean fusedAttention,
        boolean samplerGraph) {
      this(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision, fusedAttention,
          samplerGraph, false);
    }

    /** A package with the sampler graph. */
    public Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
        Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite, Precision precision, boolean fusedAttention) {
      this(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision, fusedAttention, true);
    }

    /** A package with standard ONNX attention. */
    public Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
        Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite, Precision precision) {
      this(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, precision, false);
    }

    /** A float32 package. */
    public Request(Checkpoint checkpoint, String checkpointName, AnyText2Config config, String configName,
        Path tokenizerDir, Path ocrDictionary, Path out, boolean overwrite) {
      this(checkpoint, checkpointName, config, configName, tokenizerDir, ocrDictionary, out, overwrite, Precision.FP32);
    }
  }

  /** The OCR recognizer's key prefix in the official layout. */
  static final String JUDGE_PREFIX = "text_predictor.";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelPackageWriter() {}

  /** Converts; returns the manifest written. */
  public static ModelManifest write(Request r, Progress progress) throws IOException {
    Path out = r.out().toAbsolutePath().normalize();
    if (Files.exists(out) && !r.overwrite()) {
      throw new IllegalArgumentException("output " + out + " already exists (pass --overwrite to replace it)");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("output " + out + " exists and is not a folder");
    }
    List<String> unused = CheckpointValidator.validate(r.checkpoint(), r.config());
    if (r.judge() != null && r.judge().keys().stream().noneMatch(k -> k.startsWith(JUDGE_PREFIX))) {
      throw new CheckpointException("the judge checkpoint holds no " + JUDGE_PREFIX + "* weights");
    }
    ModelManifest.Tokenizer tok = TokenizerFiles.describe(r.tokenizerDir(), r.config());
    Path parent = out.getParent();
    Files.createDirectories(parent);
    // createDirectory, not createTempDirectory: the package keeps default permissions, not owner-only ones
    Path tmp = Files.createDirectory(
        parent.resolve("." + out.getFileName() + ".partial-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)));
    boolean done = false;
    try {
      PackageFiles.readableByAll(tmp);
      Map<String, ModelManifest.Graph> graphs = new LinkedHashMap<>();
      List<GraphBuilders.Def> defs = new ArrayList<>(GraphBuilders.all(r.config()));
      if (!r.samplerGraph()) defs.removeIf(d -> d.name().equals(GraphNames.SAMPLER));
      WeightSource weights = (key, shape) -> load(r.checkpoint(), key, shape, progress);
      WeightSource judgeWeights = r.judge() == null ? weights : (key, shape) -> load(r.judge(), key, shape, progress);
      if (r.precision().isHalf()) defs.add(GraphBuilders.renamed(GraphBuilders.find(defs, GraphNames.VAE_DECODER),
          GraphNames.VAE_DECODER_FP32));
      for (int i = 0; i < defs.size(); i++) {
        GraphBuilders.Def def = defs.get(i);
        progress.graph(def.name(), i, defs.size());
        graphs.put(def.name(), writeGraph(def, def.name().equals(GraphNames.OCR) ? judgeWeights : weights, tmp, GraphBuilders.precisionOf(def.name(), r.precision()),
            r.fusions()));
      }
      TokenizerFiles.copy(r.tokenizerDir(), tmp);
      String dict = null;
      if (r.ocrDictionary() != null) {
        Files.createDirectories(tmp.resolve("ocr"));
        Files.copy(r.ocrDictionary(), tmp.resolve("ocr/dictionary.txt"));
        dict = "ocr/dictionary.txt";
      }
      OcrConfig ocr = r.config().ocr();
      ModelManifest m = new ModelManifest(ModelManifest.FORMAT, ModelManifest.FORMAT_VERSION, "anytext2-java",
          r.precision().manifestName(), r.fusedAttention(), r.fusedGroupNorm(), r.fusedGeglu(), r.packedAttention(), r.config().nativeSize(),
          r.config(), scheduler(r.checkpoint(), r.config()), tok,
          new ModelManifest.Ocr(dict, ocr.numClasses(), OcrConfig.INPUT_HEIGHT, OcrConfig.INPUT_WIDTH, OcrConfig.STEPS, ocr.neckDims()),
          graphs, new ModelManifest.Source(r.checkpointName(), null, r.configName(), r.checkpoint().keys().size() - unused.size()));
      JSON.writeValue(tmp.resolve(ModelManifest.FILE_NAME).toFile(), manifestJson(m));
      PackageFiles.replace(tmp, out);
      done = true;
      return m;
    } finally {
      if (!done) PackageFiles.deleteTree(tmp); // also after an Error such as OutOfMemoryError: gigabytes of partial data
    }
  }

  /**
   * The manifest as written: the fields of the CUDA-only options added after fusedGroupNorm appear only when they
   * are on, so that a package without them is byte for byte what earlier versions wrote (readers take a missing
   * field as false).
   */
  static ObjectNode manifestJson(ModelManifest m) {
    ObjectNode json = JSON.valueToTree(m);
    for (String optional : List.of("fusedGeglu", "packedAttention")) {
      if (!json.path(optional).asBoolean()) json.remove(optional);
    }
    return json;
  }

  private static ModelManifest.Graph writeGraph(GraphBuilders.Def def, WeightSource weights, Path dir, Precision precision,
      Fusions fusions) throws IOException {
    // A graph whose weights will pass the AUTO threshold goes external from the first weight; AUTO would
    // first keep up to the threshold (100 MB) inline on the heap and then move it out, for the same file.
    long weightBytes = 0;
    for (long[] shape : CheckpointValidator.weightsOf(def).values()) weightBytes += 4 * Arrays.stream(shape).reduce(1, Math::multiplyExact);
    WeightStorage storage = weightBytes > WeightStorage.DEFAULT_AUTO_THRESHOLD ? WeightStorage.externalData(true) : WeightStorage.auto();
    // Only the networks that call TensorOps.attention (UNet, ControlNet, sampler, VAE) change with fusedAttention;
    // the text encoder's masked attention and the OCR neck's are written out by hand and stay standard. The same
    // networks are the only ones with GroupNorms (fusedGroupNorm); the UNet, ControlNet and sampler the only ones with
    // transformer blocks (GEGLU, packed attention).
    OnnxOps op = new OnnxOps(def.name(), weights, storage.withScratchDir(dir), precision, fusions);
    List<OnnxOps.Value> in = new ArrayList<>();
    List<ModelManifest.Tensor> inSpec = new ArrayList<>();
    for (GraphBuilders.In i : def.inputs()) {
      in.add(op.input(i.name(), i.type(), i.dims()));
      inSpec.add(new ModelManifest.Tensor(i.name(), dtype(i.type()), Arrays.asList(i.dims())));
    }
    List<?> outs = def.body().apply(new GraphBuilders.Built<>(op, in));
    List<ModelManifest.Tensor> outSpec = new ArrayList<>();
    for (int k = 0; k < outs.size(); k++) {
      OnnxOps.Value v = (OnnxOps.Value) outs.get(k);
      String name = def.outputs().get(k);
      op.output(name, v);
      List<Object> dims = new ArrayList<>();
      for (long d : op.shape(v)) dims.add(d < 0 ? "dynamic" : (Object) d);
      outSpec.add(new ModelManifest.Tensor(name, "float32", dims));
    }
    String file = def.name() + ".onnx";
    op.save(dir.resolve(file));
    return new ModelManifest.Graph(file, inSpec, outSpec);
  }

  private static float[] load(Checkpoint ckpt, String key, long[] shape, Progress progress) {
    long[] found = ckpt.info(key).shape();
    if (!Arrays.equals(found, shape)) {
      throw new CheckpointException(key + " has shape " + Arrays.toString(found) + ", expected " + Arrays.toString(shape));
    }
    float[] v = ckpt.readFloats(key);
    progress.weight(key, 4L * v.length);
    return v;
  }

  /** The checkpoint's stored alphas_cumprod (MODEL.md §4.4 prefers it to recomputing). */
  private static ModelManifest.Scheduler scheduler(Checkpoint ckpt, AnyText2Config cfg) {
    float[] ac = ckpt.contains("alphas_cumprod") ? ckpt.readFloats("alphas_cumprod") : null;
    if (ac != null && ac.length != cfg.timesteps()) {
      throw new CheckpointException("alphas_cumprod has " + ac.length + " entries, the config says " + cfg.timesteps() + " timesteps");
    }
    return new ModelManifest.Scheduler("ddim", cfg.linearStart(), cfg.linearEnd(), cfg.timesteps(), cfg.scaleFactor(), ac);
  }

  private static String dtype(io.anytext2.exporter.onnx.ElemType t) {
    return switch (t) {
      case FLOAT -> "float32";
      case FLOAT16 -> "float16";
      case INT64 -> "int64";
      case INT32 -> "int32";
      case BOOL -> "bool";
    };
  }
}
