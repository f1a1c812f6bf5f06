package io.anytext2.nn.models.ocr;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.List;

/**
 * The recognizer backbone {@code MobileNetV1Enhance(last_conv_stride=(1,2), last_pool_type='avg')}
 * (MODEL.md §3.4.1): [N,3,48,320] → [N, int(1024·scale), 1, 40]. Channel counts are the scale-1
 * widths below times the backbone scale, truncated ({@link OcrConfig#scaled}).
 */
final class MobileNetV1Enhance {
  private MobileNetV1Enhance() {}

  /** One DepthwiseSeparable block at scale 1: depthwise width, pointwise output, kernel, strides, SE. */
  private record Stage(int in, int out, int kernel, int strideH, int strideW, boolean se) {}

  /** {@code block_list.0..12} in the original's order (conv2_1 … conv6). */
  private static final List<Stage> STAGES = List.of(
      new Stage(32, 64, 3, 1, 1, false),
      new Stage(64, 128, 3, 1, 1, false),
      new Stage(128, 128, 3, 1, 1, false),
      new Stage(128, 256, 3, 2, 1, false),
      new Stage(256, 256, 3, 1, 1, false),
      new Stage(256, 512, 3, 2, 1, false),
      new Stage(512, 512, 5, 1, 1, false),
      new Stage(512, 512, 5, 1, 1, false),
      new Stage(512, 512, 5, 1, 1, false),
      new Stage(512, 512, 5, 1, 1, false),
      new Stage(512, 512, 5, 1, 1, false),
      new Stage(512, 1024, 5, 2, 1, true),
      new Stage(1024, 1024, 5, 1, 2, true)); // last_conv_stride = (1, 2)

  /** SE squeeze ratio (SEModule reduction = 4). */
  private static final int SE_REDUCTION = 4;

  static <T> T forward(TensorOps<T> op, OcrConfig cfg, String key, T x) {
    int c = cfg.scaled(32);
    T h = op.hardSwish(OcrRecognizer.convBn(op, key + "conv1._conv", key + "conv1._batch_norm", 3, c, 3, 2, 2, 1, x));
    for (int i = 0; i < STAGES.size(); i++) {
      Stage s = STAGES.get(i);
      h = depthwiseSeparable(op, key + "block_list." + i + ".", c, cfg.scaled(s.out()), s, h);
      c = cfg.scaled(s.out());
    }
    return op.avgPool2d(h, 2); // last_pool_type 'avg': AvgPool2d(2, 2), floor → [N, C, 1, 40]
  }

  private static <T> T depthwiseSeparable(TensorOps<T> op, String key, int cIn, int cOut, Stage s, T x) {
    T h = op.hardSwish(OcrRecognizer.convBn(
        op, key + "_depthwise_conv._conv", key + "_depthwise_conv._batch_norm", cIn, cIn, s.kernel(), s.strideH(), s.strideW(), cIn, x));
    if (s.se()) {
      h = squeezeExcite(op, key + "_se.", cIn, h);
    }
    return op.hardSwish(OcrRecognizer.convBn(
        op, key + "_pointwise_conv._conv", key + "_pointwise_conv._batch_norm", cIn, cOut, 1, 1, 1, 1, h));
  }

  /** SEModule: global mean → 1×1 conv → ReLU → 1×1 conv → hardsigmoid relu6(x+3)/6 → scale the input. */
  private static <T> T squeezeExcite(TensorOps<T> op, String key, int c, T x) {
    T s = op.meanKeepDims(x, 2, 3);
    s = op.relu(Layers.conv(op, key + "conv1", c, c / SE_REDUCTION, 1, 1, 0, s));
    s = op.hardSigmoid(Layers.conv(op, key + "conv2", c / SE_REDUCTION, c, 1, 1, 0, s));
    return op.mul(x, s);
  }
}
