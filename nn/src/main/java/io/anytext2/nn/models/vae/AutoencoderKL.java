package io.anytext2.nn.models.vae;

import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.config.VaeConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.Arrays;

/**
 * The SD AutoencoderKL (MODEL.md §3.8): encoder + quant_conv to the posterior moments, and
 * post_quant_conv + decoder back to pixels. Height and width stay dynamic; they must be multiples
 * of the down factor (8) for the decoder to restore the input size.
 */
public final class AutoencoderKL {
  /** Posterior log-variance clamp (DiagonalGaussianDistribution). */
  static final float LOGVAR_MIN = -30f;

  static final float LOGVAR_MAX = 20f;

  private final VaeConfig cfg;
  private final String prefix;

  /** The posterior: mean and log-variance [B, embedDim, h, w]; logvar already clamped to [−30, 20]. */
  public record Posterior<T>(T mean, T logvar) {}

  /** @param prefix checkpoint prefix with its trailing dot, {@code "first_stage_model."} */
  public AutoencoderKL(VaeConfig cfg, String prefix) {
    this.cfg = cfg;
    this.prefix = prefix;
  }

  public VaeConfig config() {
    return cfg;
  }

  /** image [B,3,H,W] in [−1,1] → posterior moments after quant_conv (mean, clamped logvar). */
  public <T> Posterior<T> encode(TensorOps<T> op, T image) {
    requireChannels(op.shape(image), cfg.inChannels(), "VAE encoder input");
    String key = prefix + "encoder.";
    int[] mult = cfg.chMult();
    int levels = mult.length;
    T h = Layers.conv(op, key + "conv_in", cfg.inChannels(), cfg.ch(), 3, 1, 1, image);
    int c = cfg.ch();
    for (int i = 0; i < levels; i++) {
      int out = cfg.ch() * mult[i];
      for (int b = 0; b < cfg.numResBlocks(); b++) {
        h = VaeBlocks.resnet(op, key + "down." + i + ".block." + b + ".", c, out, h);
        c = out;
      }
      if (i != levels - 1) {
        h = VaeBlocks.downsample(op, key + "down." + i + ".downsample.", c, h);
      }
    }
    h = middle(op, key + "mid.", c, h);
    int moments = 2 * cfg.zChannels(); // double_z: mean and log-variance
    h = Layers.conv(op, key + "conv_out", c, moments, 3, 1, 1, VaeBlocks.normSwish(op, key + "norm_out", c, h));
    h = Layers.conv(op, prefix + "quant_conv", moments, 2 * cfg.embedDim(), 1, 1, 0, h);
    T mean = op.slice(h, 1, 0, cfg.embedDim());
    T logvar = op.clip(op.slice(h, 1, cfg.embedDim(), 2L * cfg.embedDim()), LOGVAR_MIN, LOGVAR_MAX);
    return new Posterior<>(mean, logvar);
  }

  /** z = latent / scale_factor [B, embedDim, h, w] → image [B, outCh, 8h, 8w]; no clamp, no tanh. */
  public <T> T decode(TensorOps<T> op, T z) {
    requireChannels(op.shape(z), cfg.embedDim(), "VAE decoder input");
    String key = prefix + "decoder.";
    int[] mult = cfg.chMult();
    int levels = mult.length;
    T h = Layers.conv(op, prefix + "post_quant_conv", cfg.embedDim(), cfg.zChannels(), 1, 1, 0, z);
    int c = cfg.ch() * mult[levels - 1];
    h = Layers.conv(op, key + "conv_in", cfg.zChannels(), c, 3, 1, 1, h);
    h = middle(op, key + "mid.", c, h);
    // Executed from the deepest level up; the key index is the level, not the execution order.
    for (int i = levels - 1; i >= 0; i--) {
      int out = cfg.ch() * mult[i];
      for (int b = 0; b <= cfg.numResBlocks(); b++) {
        h = VaeBlocks.resnet(op, key + "up." + i + ".block." + b + ".", c, out, h);
        c = out;
      }
      if (i != 0) {
        h = VaeBlocks.upsample(op, key + "up." + i + ".upsample.", c, h);
      }
    }
    return Layers.conv(op, key + "conv_out", c, cfg.outCh(), 3, 1, 1, VaeBlocks.normSwish(op, key + "norm_out", c, h));
  }

  private static <T> T middle(TensorOps<T> op, String key, int c, T h) {
    h = VaeBlocks.resnet(op, key + "block_1.", c, c, h);
    h = VaeBlocks.attention(op, key + "attn_1.", c, h);
    return VaeBlocks.resnet(op, key + "block_2.", c, c, h);
  }

  private static void requireChannels(long[] s, int channels, String what) {
    if (s.length != 4 || s[1] != channels) {
      throw new IllegalArgumentException(what + ": expected [B," + channels + ",H,W], found " + Arrays.toString(s));
    }
  }
}
