package io.anytext2.nn.models;

import io.anytext2.nn.blocks.Conditioning;
import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.blocks.UNetEncoder;
import io.anytext2.nn.blocks.UNetTopology;
import io.anytext2.nn.config.ControlNetConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * AnyText2's ControlNet ("WriteNet") with {@code fast_control = True}, {@code glyph_scale = 1}
 * (MODEL.md §3.6). Neither the noisy latent nor the timestep enters: the encoder starts from zeros
 * with the time embedding of t = 0, so
 * <pre>
 * guided = fuse_block_za( concat(glyph_block(G) 256, position_block(P) 64, masked_x) )   # [B, C0, H/8, W/8]
 * h0     = input_blocks.0(zeros) + guided = bias + guided
 * outs   = zero_convs.k(h_k) for every input block k, middle_block_out(middle)
 * </pre>
 * The glyph and position blocks are 3×3 convs (padding 1, bias) each followed by SiLU; odd
 * indices in their keys are the SiLUs.
 */
public final class ControlNetModel {

  /** (out channels, stride) of glyph_block.{0,2,…,12} (MODEL.md §3.6, §4.3). */
  private static final int[][] GLYPH_CONVS = {{16, 1}, {16, 1}, {32, 2}, {32, 1}, {96, 2}, {96, 1}, {256, 2}};

  /** (out channels, stride) of position_block.{0,2,…,12}. */
  private static final int[][] POSITION_CONVS = {{8, 1}, {8, 1}, {16, 2}, {16, 1}, {32, 2}, {32, 1}, {64, 2}};

  private final ControlNetConfig cfg;
  private final String prefix;
  private final UNetEncoder encoder;

  /** @param prefix checkpoint prefix ending in a dot, {@code "control_model."} */
  public ControlNetModel(ControlNetConfig cfg, String prefix) {
    this.cfg = cfg;
    this.prefix = prefix;
    this.encoder = new UNetEncoder(UNetTopology.of(cfg), prefix);
  }

  public ControlNetConfig config() {
    return cfg;
  }

  /** Number of residual maps {@link #forward} returns (13 for SD1.5). */
  public int numControls() {
    return encoder.topology().numControls();
  }

  /**
   * glyphMask [B,1,H,W] (the 0/1 union of the glyph images, computed by the caller), positionSum
   * [B,1,H,W] (sum of position masks, not clipped), maskedX [B,4,H/8,W/8], context [B,L,D] (the
   * text-caption encoding). Returns the residual maps before strength scaling, in order input
   * blocks 0..N-1 then middle.
   */
  public <T> List<T> forward(TensorOps<T> op, T glyphMask, T positionSum, T maskedX, T context) {
    T glyph = convStack(op, prefix + "glyph_block.", cfg.glyphChannels(), GLYPH_CONVS, glyphMask);
    T position = convStack(op, prefix + "position_block.", cfg.positionChannels(), POSITION_CONVS, positionSum);
    int fuseIn = last(GLYPH_CONVS) + last(POSITION_CONVS) + cfg.inChannels();
    T guided = Layers.conv(op, prefix + "fuse_block_za", fuseIn, cfg.modelChannels(), 3, 1, 1,
        op.concat(1, List.of(glyph, position, maskedX)));

    // fast_control: t = 0 for every sample; a [1] timestep broadcasts over the batch.
    T emb = encoder.timeEmbed().forward(op, op.constant(new float[] {0f}, 1));
    Conditioning<T> cond = new Conditioning<>(emb, context, null);
    List<T> hs = encoder.forward(op, op.add(encoder.stem().zeroInputResponse(op), guided), cond);

    List<Integer> channels = encoder.outputChannels();
    List<T> outs = new ArrayList<>();
    for (int k = 0; k < hs.size() - 1; k++) {
      int c = channels.get(k);
      outs.add(Layers.conv(op, prefix + "zero_convs." + k + ".0", c, c, 1, 1, 0, hs.get(k)));
    }
    int mid = channels.get(channels.size() - 1);
    outs.add(Layers.conv(op, prefix + "middle_block_out.0", mid, mid, 1, 1, 0, hs.get(hs.size() - 1)));
    return outs;
  }

  private static <T> T convStack(TensorOps<T> op, String prefix, int inChannels, int[][] convs, T x) {
    int c = inChannels;
    T h = x;
    for (int i = 0; i < convs.length; i++) {
      h = op.silu(Layers.conv(op, prefix + (2 * i), c, convs[i][0], 3, convs[i][1], 1, h));
      c = convs[i][0];
    }
    return h;
  }

  private static int last(int[][] convs) {
    return convs[convs.length - 1][0];
  }
}
