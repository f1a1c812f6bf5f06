package io.anytext2.exporter.pkg;

import io.anytext2.exporter.onnx.ElemType;
import io.anytext2.exporter.onnx.OnnxLoops;
import io.anytext2.exporter.onnx.OnnxOps;
import io.anytext2.exporter.onnx.OnnxOps.Value;
import io.anytext2.nn.config.AnyText2Config;
import io.anytext2.nn.models.ControlNetModel;
import io.anytext2.nn.models.UNetModel;
import io.anytext2.nn.ops.TensorOps;
import io.anytext2.nn.pkg.GraphNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link GraphNames#SAMPLER} graph: a chunk of guided DDIM steps (η = 0) as one ONNX Loop, so
 * that the inputs fixed for a request reach the device once per call instead of once per UNet call. The
 * control maps are computed inside, before the loop, by the package's ControlNet on both branches (one row each,
 * widened to the batch on the device, MODEL.md §3.6), from the glyph mask, position sum and masked latent of one
 * image and the two ControlNet contexts: what crosses to the device per call is a few small tensors instead of 13
 * maps of each branch (≈ 29 ms per call at 512² on an H100), and a run that uses this graph needs no ControlNet
 * session of its own. Recomputing the maps in each call of a chunked run costs one ControlNet pass per call. The body
 * is the package's {@link UNetModel} on cond + uncond as one batch, then guidance and the DDIM update in float32 with the operations and order of the SDK's
 * {@code DdimScheduler} (MODEL.md §3.10: {@code e = u + s·(c − u)}, {@code pred_x0 = (x −
 * sqrt(1−a_t)·e) / sqrt(a_t)}, {@code x_prev = sqrt(a_prev)·pred_x0 + sqrt(1 − a_prev − σ²)·e}).
 */
final class SamplerGraph {
  private SamplerGraph() {}

  /** Fixed input positions: x, timesteps, 4 coefficients, cfg, context, AttnX, then the ControlNet's inputs. */
  private static final int X = 0, TIMESTEPS = 1, SQRT_A = 2, SQRT_1MA = 3, SQRT_A_PREV = 4, DIRECTION = 5, CFG = 6,
      CONTEXT = 7, ATTNX = 8, GLYPH = 9, POSITION = 10, MASKED_X = 11, CONTROL_CONTEXT = 12, STRENGTH = 13;

  static GraphBuilders.Def def(AnyText2Config cfg) {
    long lat = cfg.unet().inChannels();
    long d = cfg.clip().hiddenSize();
    List<GraphBuilders.In> in = new ArrayList<>(List.of(
        new GraphBuilders.In(GraphNames.SMP_IN_X, ElemType.FLOAT, "batch", lat, "latent_height", "latent_width"),
        new GraphBuilders.In(GraphNames.SMP_IN_TIMESTEPS, ElemType.FLOAT, "steps", "guided_batch"),
        new GraphBuilders.In(GraphNames.SMP_IN_SQRT_ALPHA, ElemType.FLOAT, "steps"),
        new GraphBuilders.In(GraphNames.SMP_IN_SQRT_ONE_MINUS_ALPHA, ElemType.FLOAT, "steps"),
        new GraphBuilders.In(GraphNames.SMP_IN_SQRT_ALPHA_PREV, ElemType.FLOAT, "steps"),
        new GraphBuilders.In(GraphNames.SMP_IN_DIRECTION, ElemType.FLOAT, "steps"),
        new GraphBuilders.In(GraphNames.SMP_IN_CFG, ElemType.FLOAT),
        new GraphBuilders.In(GraphNames.UNET_IN_CONTEXT, ElemType.FLOAT, "guided_batch", "tokens", d),
        new GraphBuilders.In(GraphNames.UNET_IN_ATTNX, ElemType.FLOAT),
        new GraphBuilders.In(GraphNames.CN_IN_GLYPH, ElemType.FLOAT, 1L, 1L, "height", "width"),
        new GraphBuilders.In(GraphNames.CN_IN_POSITION, ElemType.FLOAT, 1L, 1L, "height", "width"),
        new GraphBuilders.In(GraphNames.CN_IN_MASKED_X, ElemType.FLOAT, 1L, lat, "latent_height", "latent_width"),
        new GraphBuilders.In(GraphNames.SMP_IN_CONTROL_CONTEXT, ElemType.FLOAT, 2L, (long) cfg.clip().maxPositions(), d),
        new GraphBuilders.In(GraphNames.CN_IN_STRENGTH, ElemType.FLOAT)));
    return new GraphBuilders.Def(GraphNames.SAMPLER, in, List.of(GraphNames.SMP_OUT_X, GraphNames.SMP_OUT_PRED_X0),
        b -> body(b, cfg));
  }

  /** The ControlNet maps of both branches (rows cond, uncond), × strength, as the ControlNet graph computes them. */
  private static <T> List<T> branchControls(TensorOps<T> op, List<T> in, AnyText2Config cfg) {
    List<T> twoRows = new ArrayList<>();
    for (int k : new int[] {GLYPH, POSITION, MASKED_X}) twoRows.add(op.concat(0, List.of(in.get(k), in.get(k))));
    List<T> maps = new ControlNetModel(cfg.controlNet(), GraphBuilders.CONTROL)
        .forward(op, twoRows.get(0), twoRows.get(1), twoRows.get(2), in.get(CONTROL_CONTEXT));
    List<T> scaled = new ArrayList<>();
    for (T m : maps) scaled.add(op.mul(m, in.get(STRENGTH))); // control_scales = [strength] * 13
    return scaled;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<?> body(GraphBuilders.Built<T> b, AnyText2Config cfg) {
    UNetModel unet = new UNetModel(cfg.unet(), GraphBuilders.UNET);
    if (b.op() instanceof OnnxOps onnx) return loop(onnx, (List<Value>) b.in(), unet, cfg);
    // Other backends (ShapeOps, which lists the weights a graph reads) see the ControlNet and one UNet call of a step:
    // the graph reads their weights and nothing else.
    TensorOps<T> op = b.op();
    List<T> in = b.in();
    List<T> controls = new ArrayList<>();
    for (T m : branchControls(op, in, cfg)) controls.add(op.slice(m, 0, 0, 1)); // the cond row: one UNet row, as x here
    T t = op.reshape(op.slice(in.get(TIMESTEPS), 0, 0, 1), -1);
    T eps = unet.forward(op, in.get(X), t, in.get(CONTEXT), controls, in.get(ATTNX));
    return List.of(eps, eps);
  }

  private static List<Value> loop(OnnxOps op, List<Value> in, UNetModel unet, AnyText2Config cfg) {
    Value cfgScale = in.get(CFG);
    Value context = in.get(CONTEXT);
    Value attnx = in.get(ATTNX);
    Value x0 = in.get(X);
    List<Value> controls = new ArrayList<>();
    for (Value c : branchControls(op, in, cfg)) controls.add(OnnxLoops.repeatBranchRows(op, c, x0));
    List<Value> perStep = List.of(in.get(TIMESTEPS), in.get(SQRT_A), in.get(SQRT_1MA), in.get(SQRT_A_PREV), in.get(DIRECTION));
    // carried: the latent and pred_x0 of the last step (started at x; every iteration overwrites it)
    return OnnxLoops.loopOverRows(op, perStep, List.of(x0, x0), (rows, carried) -> {
      Value x = carried.get(0);
      Value eps = unet.forward(op, op.concat(0, List.of(x, x)), rows.get(0), context, controls, attnx);
      List<Value> condUncond = OnnxLoops.halves(op, OnnxLoops.float32(op, eps));
      Value c = condUncond.get(0), u = condUncond.get(1);
      Value e = op.add(u, op.mul(cfgScale, op.sub(c, u)));
      Value predX0 = op.div(op.sub(x, op.mul(rows.get(2), e)), rows.get(1));
      Value next = op.add(op.mul(rows.get(3), predX0), op.mul(rows.get(4), e));
      return List.of(next, predX0);
    });
  }
}
