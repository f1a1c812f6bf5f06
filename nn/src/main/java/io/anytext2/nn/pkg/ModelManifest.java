package io.anytext2.nn.pkg;

import io.anytext2.nn.config.AnyText2Config;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model package: what the exporter wrote and what the SDK needs to run
 * it. Plain records so that any JSON mapper (Jackson here) reads and writes them.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion {@link #FORMAT_VERSION}; readers refuse newer versions
 * @param precision "fp32" or "fp16" (weights and compute of the graphs)
 * @param fusedAttention true when the attention of the UNet, ControlNet, sampler and VAE graphs is
 *     ONNX Runtime's contrib operator {@code com.microsoft.MultiHeadAttention} (opset import
 *     com.microsoft 1) instead of standard MatMul/Softmax nodes: such a package runs on ONNX Runtime
 *     only (CPU kernel float32, CUDA float32/float16); false (the default, and in manifests written
 *     before the field existed) means standard ONNX operators only
 * @param fusedGroupNorm true when the GroupNorms (with the SiLU after them) of the UNet, ControlNet, sampler and
 *     VAE graphs are ONNX Runtime's channels-last contrib operator {@code com.microsoft.GroupNorm} between two
 *     Transposes: such a package runs on ONNX Runtime's CUDA provider only (the node has no CPU kernel), best
 *     with its {@code prefer_nhwc} option, which the SDK then sets; false (the default, and in manifests
 *     written before the field existed) means InstanceNormalization-based GroupNorm
 * @param fusedGeglu true when the GEGLU feed-forwards of the UNet, ControlNet and sampler graphs are, where their
 *     width is one the kernel takes (2560, 5120 or 10240: SD1.5's), a bias-free MatMul and ONNX Runtime's contrib
 *     operator {@code com.microsoft.BiasSplitGelu}: such a package runs on ONNX Runtime's CUDA provider only (the node
 *     has no CPU kernel); false (the default, and in manifests written before the field existed or without the
 *     option, which leave the field out) means the standard composition
 * @param packedAttention true when the transformer blocks' attention (fused attention, {@link #fusedAttention}) reads
 *     packed inputs: one MatMul for q, k and v of a self-attention ([B, S, heads, 3, d]) and one for k and v of a
 *     cross-attention ([B, L, heads, 2, d]); ONNX Runtime's CPU kernel does not implement those formats, so such a
 *     package runs on the CUDA provider only; false (the default, and in manifests that leave the field out) means
 *     separate q, k, v inputs
 * @param nativeSize the picture side in pixels the model was trained at ({@link AnyText2Config#nativeSize()}:
 *     the YAML's latent {@code image_size} times the VAE's down factor), the output size of a generate
 *     request that names none; 0 (absent: manifests written before the field existed, all of SD1.5
 *     models) reads as {@link #DEFAULT_NATIVE_SIZE}
 * @param config the architecture the graphs were built for
 * @param scheduler diffusion schedule (the checkpoint's stored alphas_cumprod)
 * @param tokenizer tokenizer files relative to the package, and special ids
 * @param ocr recognizer input size and the optional character dictionary
 * @param graphs stage name ({@link GraphNames}) → graph description
 * @param source where the weights came from
 */
public record ModelManifest(
    String format,
    int formatVersion,
    String producer,
    String precision,
    boolean fusedAttention,
    boolean fusedGroupNorm,
    boolean fusedGeglu,
    boolean packedAttention,
    int nativeSize,
    AnyText2Config config,
    Scheduler scheduler,
    Tokenizer tokenizer,
    Ocr ocr,
    Map<String, Graph> graphs,
    Source source) {

  public static final String FORMAT = "anytext2-onnx";
  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "manifest.json";
  /** SD1.5's 512 px: what a manifest without {@code nativeSize} means. */
  public static final int DEFAULT_NATIVE_SIZE = 512;

  /** Whether the graphs have ONNX Runtime contrib nodes without a CPU kernel (see the fused options above). */
  public boolean cudaOnly() {
    return fusedGroupNorm || fusedGeglu || packedAttention;
  }

  public ModelManifest {
    if (nativeSize < 0) throw new IllegalArgumentException("nativeSize must be a positive number of pixels, found " + nativeSize);
    if (nativeSize == 0) nativeSize = DEFAULT_NATIVE_SIZE;
  }

  /** DDIM schedule inputs; {@code alphasCumprod} holds the checkpoint's float32 buffer. */
  public record Scheduler(
      String type, double linearStart, double linearEnd, int timesteps, float scaleFactor, float[] alphasCumprod) {}

  /**
   * @param vocab path of vocab.json inside the package
   * @param merges path of merges.txt inside the package
   * @param placeholderId token id of the placeholder ('*' → 265 with the CLIP vocabulary)
   * @param maxLength text-encoder positions (77)
   */
  public record Tokenizer(String vocab, String merges, String placeholder, int placeholderId, int bosId, int eosId,
      int padId, int maxLength) {}

  /**
   * @param dictionary character list file inside the package (null when the user supplied none)
   * @param numClasses CTC classes of the recognizer head
   */
  public record Ocr(String dictionary, int numClasses, int inputHeight, int inputWidth, int steps, int neckDims) {}

  /** One ONNX graph: its file (relative), inputs and outputs in order. */
  public record Graph(String file, List<Tensor> inputs, List<Tensor> outputs) {}

  /**
   * A graph input or output.
   *
   * @param dtype "float32", "float16" or "int64"
   * @param shape static sizes as numbers, dynamic ones as names ("batch", "height", …)
   */
  public record Tensor(String name, String dtype, List<Object> shape) {}

  /** Provenance: the checkpoint file name, its SHA-256 (when computed) and the config source. */
  public record Source(String checkpoint, String sha256, String config, long tensors) {}
}
