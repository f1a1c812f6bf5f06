package io.anytext2.exporter.pkg;

import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.Precision;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import io.anytext2.nn.models.clip.ClipTextModel;
import io.anytext2.nn.models.em.EmbeddingManager;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.nn.models.vae.AutoencoderKL;
import io.anytext2.nn.ops.ShapeOps;
import io.anytext2.nn.ops.TensorOps;
import io.anytext2.nn.pkg.GraphNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The graphs of a model package, each as a function that declares its inputs on a backend and
 * returns its outputs. The same definitions serve the ONNX export ({@link OnnxOps}) and the weight
 * listing that validates a checkpoint before anything is written ({@link ShapeOps}).
 */
public final class GraphBuilders {
  private GraphBuilders() {}

  /** Checkpoint prefixes of the networks (MODEL.md §4.2). */
  public static final String UNET = "model.diffusion_model.";
  public static final String CONTROL = "control_model.";
  public static final String VAE = "first_stage_model.";
  public static final String CLIP = "cond_stage_model.transformer.text_model.";
  public static final String OCR = "text_predictor.";

  /** A graph input: name, element type and dims (Long static, String symbolic). */
  public record In(String name, ElemType type, Object... dims) {}

  /** One graph: its name, inputs, and how its outputs are computed from them. */
  public record Def(String name, List<In> inputs, List<String> outputs, Function<Built<?>, List<?>> body) {}

  /** What a body sees: the backend and its input values in declaration order. */
  public record Built<T>(TensorOps<T> op, List<T> in) {}

  /** Every graph of the package for {@code cfg}, in the order they are written. */
  public static List<Def> all(AnyText2Config cfg) {
    int d = cfg.clip().hiddenSize();
    int lat = cfg.unet().inChannels();
    List<Def> defs = new ArrayList<>();

    defs.add(new Def(GraphNames.EMBEDDING,
        List.of(new In(GraphNames.EMB_IN_RECOG, ElemType.FLOAT, "lines", 3L, (long) OcrConfig.INPUT_HEIGHT, (long) OcrConfig.INPUT_WIDTH),
            new In(GraphNames.EMB_IN_STYLE, ElemType.FLOAT, "lines", 3L, (long) OcrConfig.INPUT_HEIGHT, (long) OcrConfig.INPUT_WIDTH),
            new In(GraphNames.EMB_IN_POSITIONS, ElemType.FLOAT, "lines", 1L, "height", "width"),
            new In(GraphNames.EMB_IN_COLORS, ElemType.FLOAT, "lines", 3L)),
        List.of(GraphNames.EMB_OUT),
        b -> embedding(b, cfg)));

    defs.add(new Def(GraphNames.OCR,
        List.of(new In(GraphNames.OCR_IN, ElemType.FLOAT, "lines", 3L, (long) OcrConfig.INPUT_HEIGHT, (long) OcrConfig.INPUT_WIDTH)),
        List.of(GraphNames.OCR_OUT_NECK, GraphNames.OCR_OUT_LOGITS),
        b -> ocr(b, cfg)));

    long positions = cfg.clip().maxPositions();
    defs.add(new Def(GraphNames.TEXT_ENCODER,
        List.of(new In(GraphNames.TXT_IN_IDS, ElemType.INT64, "batch", positions),
            new In(GraphNames.TXT_IN_INJECTED, ElemType.FLOAT, "batch", positions, (long) d),
            new In(GraphNames.TXT_IN_MASK, ElemType.FLOAT, "batch", positions, 1L)),
        List.of(GraphNames.TXT_OUT),
        b -> textEncoder(b, cfg)));

    List<long[]> controls = controlShapes(cfg);
    List<String> cnOut = new ArrayList<>();
    List<In> unetIn = new ArrayList<>(List.of(
        new In(GraphNames.UNET_IN_X, ElemType.FLOAT, "batch", (long) lat, "latent_height", "latent_width"),
        new In(GraphNames.UNET_IN_T, ElemType.FLOAT, "batch"),
        new In(GraphNames.UNET_IN_CONTEXT, ElemType.FLOAT, "batch", "tokens", (long) d),
        new In(GraphNames.UNET_IN_ATTNX, ElemType.FLOAT)));
    for (int k = 0; k < controls.size(); k++) {
      cnOut.add(GraphNames.controlName(k));
      int level = Integer.numberOfTrailingZeros((int) (controls.get(0)[2] / controls.get(k)[2]));
      unetIn.add(new In(GraphNames.controlName(k), ElemType.FLOAT, "batch", controls.get(k)[1], "latent_height_" + level,
          "latent_width_" + level));
    }
    defs.add(new Def(GraphNames.CONTROLNET,
        List.of(new In(GraphNames.CN_IN_GLYPH, ElemType.FLOAT, "batch", 1L, "height", "width"),
            new In(GraphNames.CN_IN_POSITION, ElemType.FLOAT, "batch", 1L, "height", "width"),
            new In(GraphNames.CN_IN_MASKED_X, ElemType.FLOAT, "batch", (long) lat, "latent_height", "latent_width"),
            new In(GraphNames.CN_IN_CONTEXT, ElemType.FLOAT, "batch", positions, (long) d),
            new In(GraphNames.CN_IN_STRENGTH, ElemType.FLOAT)),
        cnOut,
        b -> controlNet(b, cfg)));
    defs.add(new Def(GraphNames.UNET, unetIn, List.of(GraphNames.UNET_OUT), b -> unet(b, cfg, controls.size())));
    defs.add(SamplerGraph.def(cfg));

    defs.add(new Def(GraphNames.VAE_ENCODER,
        List.of(new In(GraphNames.VAE_ENC_IN, ElemType.FLOAT, "batch", (long) cfg.vae().inChannels(), "height", "width")),
        List.of(GraphNames.VAE_ENC_OUT_MEAN, GraphNames.VAE_ENC_OUT_LOGVAR),
        b -> vaeEncoder(b, cfg)));
    defs.add(new Def(GraphNames.VAE_DECODER,
        List.of(new In(GraphNames.VAE_DEC_IN, ElemType.FLOAT, "batch", (long) cfg.vae().embedDim(), "latent_height", "latent_width")),
        List.of(GraphNames.VAE_DEC_OUT),
        b -> vaeDecoder(b, cfg)));
    return defs;
  }

  /** The definition named {@code name} among {@code defs}. */
  public static Def find(List<Def> defs, String name) {
    return defs.stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("expected a graph named " + name + ", found none"));
  }

  /** The same graph under another name (e.g. the float32 fallback decoder of an fp16 package). */
  public static Def renamed(Def def, String name) {
    return new Def(name, def.inputs(), def.outputs(), def.body());
  }

  /**
   * The precision graph {@code name} is built in when the package asks for {@code requested}. In a
   * half-precision package, the embedding graph and the OCR recognizer stay float32: they run once
   * per request on a few small lines (no speed to gain), and they pool masks and features with
   * BatchNorm statistics that suit float32. {@link GraphNames#VAE_DECODER_FP32} is float32 by
   * definition. Everything else (text encoder, ControlNet, UNet, VAE) follows the request.
   */
  public static Precision precisionOf(String name, Precision requested) {
    if (name.equals(GraphNames.EMBEDDING) || name.equals(GraphNames.OCR) || name.equals(GraphNames.VAE_DECODER_FP32)) {
      return Precision.FP32;
    }
    return requested;
  }

  /** Shapes [1, C, h, w] of the ControlNet maps for a 512-pixel-equivalent latent (channels and level matter). */
  public static List<long[]> controlShapes(AnyText2Config cfg) {
    ShapeOps s = new ShapeOps();
    int down = cfg.vae().downFactor();
    long hw = 8L << cfg.controlNet().channelMult().length; // large enough for every level
    List<ShapeOps.Shape> out = new ControlNetModel(cfg.controlNet(), CONTROL).forward(s,
        s.input(1, 1, hw * down, hw * down), s.input(1, 1, hw * down, hw * down),
        s.input(1, cfg.controlNet().inChannels(), hw, hw), s.input(1, cfg.clip().maxPositions(), cfg.clip().hiddenSize()));
    List<long[]> shapes = new ArrayList<>();
    for (ShapeOps.Shape sh : out) shapes.add(sh.dims());
    return shapes;
  }

  private static <T> List<?> embedding(Built<T> b, AnyText2Config cfg) {
    EmbeddingManager em = new EmbeddingManager(cfg.embeddingManager(), cfg.ocr());
    return List.of(em.forward(b.op(), b.in().get(0), b.in().get(1), b.in().get(2), b.in().get(3)));
  }

  private static <T> List<?> ocr(Built<T> b, AnyText2Config cfg) {
    OcrRecognizer r = new OcrRecognizer(cfg.ocr(), OCR);
    T neck = r.neck(b.op(), b.in().get(0));
    return List.of(neck, r.logits(b.op(), neck));
  }

  private static <T> List<?> textEncoder(Built<T> b, AnyText2Config cfg) {
    return List.of(new ClipTextModel(cfg.clip(), CLIP).forward(b.op(), b.in().get(0), b.in().get(1), b.in().get(2)));
  }

  private static <T> List<?> controlNet(Built<T> b, AnyText2Config cfg) {
    TensorOps<T> op = b.op();
    List<T> maps = new ControlNetModel(cfg.controlNet(), CONTROL).forward(op, b.in().get(0), b.in().get(1), b.in().get(2), b.in().get(3));
    List<T> scaled = new ArrayList<>();
    for (T m : maps) scaled.add(op.mul(m, b.in().get(4))); // control_scales = [strength] * 13
    return scaled;
  }

  private static <T> List<?> unet(Built<T> b, AnyText2Config cfg, int numControls) {
    List<T> in = b.in();
    return List.of(new UNetModel(cfg.unet(), UNET).forward(b.op(), in.get(0), in.get(1), in.get(2), in.subList(4, 4 + numControls), in.get(3)));
  }

  private static <T> List<?> vaeEncoder(Built<T> b, AnyText2Config cfg) {
    AutoencoderKL.Posterior<T> p = new AutoencoderKL(cfg.vae(), VAE).encode(b.op(), b.in().get(0));
    return List.of(p.mean(), p.logvar());
  }

  private static <T> List<?> vaeDecoder(Built<T> b, AnyText2Config cfg) {
    // the original computes 1/scale_factor * z with a float32 kernel (MODEL.md §3.12)
    T z = b.op().scale(b.in().get(0), (float) (1.0 / cfg.scaleFactor()));
    return List.of(new AutoencoderKL(cfg.vae(), VAE).decode(b.op(), z));
  }
}
