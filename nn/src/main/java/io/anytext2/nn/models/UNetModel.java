package io.anytext2.nn.models;

import io.anytext2.nn.blocks.Conditioning;
import io.anytext2.nn.blocks.Layers;
import io.anytext2.nn.blocks.ResBlock;
import io.anytext2.nn.blocks.SpatialTransformer;
import io.anytext2.nn.blocks.UNetBlock;
import io.anytext2.nn.blocks.UNetEncoder;
import io.anytext2.nn.blocks.UNetLayer;
import io.anytext2.nn.blocks.UNetTopology;
import io.anytext2.nn.blocks.Upsample;
import io.anytext2.nn.config.UNetConfig;
import io.anytext2.nn.ops.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * AnyText2's {@code ControlledUnetModel}: the SD1.5 UNet with AttnX in the middle block and the
 * decoder levels of {@code output_attnx_level}, taking ControlNet residuals (MODEL.md §3.7):
 * <pre>
 * emb = time_embed(timestep_embedding(t)); hs = input blocks(x)
 * h = middle_block(h) + c[N]
 * for k: h = output_blocks[k]( concat([h, hs[N-1-k] + c[N-1-k]], channels) )   # current first (MODEL.md §6 item 8)
 * eps = out.2( SiLU( GN(out.0, eps 1e-5)(h) ) )
 * </pre>
 */
public final class UNetModel {
  private static final int GROUPS = 32;
  private static final float OUT_NORM_EPS = 1e-5f;

  private final UNetConfig cfg;
  private final String prefix;
  private final UNetEncoder encoder;
  private final List<UNetBlock> outputBlocks;
  private final int outInChannels;

  /** @param prefix checkpoint prefix ending in a dot, {@code "model.diffusion_model."} */
  public UNetModel(UNetConfig cfg, String prefix) {
    this.cfg = cfg;
    this.prefix = prefix;
    UNetTopology topology = UNetTopology.of(cfg);
    this.encoder = new UNetEncoder(topology, prefix);
    for (int level : cfg.outputAttnxLevels()) {
      if (cfg.outputAttnx() && (level < 0 || level >= topology.levels() || !topology.hasAttention(level))) {
        throw new IllegalArgumentException("expected output_attnx_level entries at levels with attention, found " + level);
      }
    }

    // Decoder: mirror of the encoder; block k consumes the skip of input block N-1-k.
    List<Integer> skips = new ArrayList<>(encoder.outputChannels());
    int ch = skips.remove(skips.size() - 1); // middle block output
    List<UNetBlock> blocks = new ArrayList<>();
    for (int level = topology.levels() - 1; level >= 0; level--) {
      int out = topology.channels(level);
      for (int i = 0; i <= topology.numResBlocks(); i++) {
        String block = prefix + "output_blocks." + blocks.size() + ".";
        int skip = skips.remove(skips.size() - 1);
        List<UNetLayer> layers = new ArrayList<>();
        layers.add(new ResBlock(block + "0.", ch + skip, out, topology.timeEmbedDim()));
        ch = out;
        if (topology.hasAttention(level)) {
          layers.add(new SpatialTransformer(block + layers.size() + ".", ch, topology.numHeads(), topology.contextDim(),
              cfg.outputAttnxAt(level)));
        }
        if (level > 0 && i == topology.numResBlocks()) {
          layers.add(new Upsample(block + layers.size() + ".", ch));
        }
        blocks.add(new UNetBlock(layers));
      }
    }
    this.outputBlocks = List.copyOf(blocks);
    this.outInChannels = ch;
  }

  public UNetConfig config() {
    return cfg;
  }

  /** Number of control maps {@link #forward} accepts (13 for SD1.5). */
  public int numControls() {
    return encoder.topology().numControls();
  }

  /**
   * x [B,4,h,w]; timesteps [B] float32; context [B,L,D]; controls: cfg-many maps (13 for SD1.5)
   * already multiplied by strength, or null for none; attnxScale: rank-0 float tensor. Returns eps
   * [B,4,h,w].
   */
  public <T> T forward(TensorOps<T> op, T x, T timesteps, T context, List<T> controls, T attnxScale) {
    if (controls != null && controls.size() != numControls()) {
      throw new IllegalArgumentException("expected " + numControls() + " control maps, found " + controls.size());
    }
    T emb = encoder.timeEmbed().forward(op, timesteps);
    Conditioning<T> cond = new Conditioning<>(emb, context, attnxScale);
    List<T> hs = new ArrayList<>(encoder.forward(op, encoder.stem().forward(op, x, cond), cond));
    int middle = hs.size() - 1;
    T h = withControl(op, hs.remove(middle), controls, middle);
    for (UNetBlock block : outputBlocks) {
      int k = hs.size() - 1;
      T skip = withControl(op, hs.remove(k), controls, k);
      h = block.forward(op, op.concat(1, List.of(h, skip)), cond);
    }
    h = Layers.groupNormSilu(op, prefix + "out.0", outInChannels, GROUPS, OUT_NORM_EPS, h);
    return Layers.conv(op, prefix + "out.2", outInChannels, cfg.outChannels(), 3, 1, 1, h);
  }

  private static <T> T withControl(TensorOps<T> op, T h, List<T> controls, int index) {
    return controls == null ? h : op.add(h, controls.get(index));
  }
}
