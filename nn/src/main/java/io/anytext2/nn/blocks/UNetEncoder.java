package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder half of the UNet — {@code time_embed}, {@code input_blocks.*}, {@code middle_block} —
 * built once for both the UNet and the ControlNet (MODEL.md §3.6, §3.7). Block layout, as in
 * openaimodel.UNetModel:
 * <pre>
 * input_blocks.0     = InputConv(in → C0)
 * per level l, per r < num_res_blocks:  ResBlock(ch → C_l) [+ SpatialTransformer(C_l) if level l has attention]
 * between levels:    Downsample(C_l) at key input_blocks.i.0.op
 * middle_block       = ResBlock(C), SpatialTransformer(C, AttnX if mid_attnx), ResBlock(C)
 * </pre>
 */
public final class UNetEncoder {
  private final UNetTopology topology;
  private final TimestepEmbedding timeEmbed;
  private final InputConv stem;
  private final List<UNetBlock> inputBlocks;
  private final UNetBlock middleBlock;

  /** @param prefix model prefix ending in a dot, e.g. {@code "model.diffusion_model."} */
  public UNetEncoder(UNetTopology topology, String prefix) {
    this.topology = topology;
    this.timeEmbed = new TimestepEmbedding(prefix + "time_embed.", topology.modelChannels());
    int embed = topology.timeEmbedDim();
    int heads = topology.numHeads();
    int ctx = topology.contextDim();

    List<UNetBlock> blocks = new ArrayList<>();
    this.stem = new InputConv(prefix + "input_blocks.0.0", topology.inChannels(), topology.modelChannels());
    blocks.add(new UNetBlock(List.of(stem)));
    int ch = topology.modelChannels();
    for (int level = 0; level < topology.levels(); level++) {
      int out = topology.channels(level);
      for (int r = 0; r < topology.numResBlocks(); r++) {
        String block = prefix + "input_blocks." + blocks.size() + ".";
        List<UNetLayer> layers = new ArrayList<>();
        layers.add(new ResBlock(block + "0.", ch, out, embed));
        ch = out;
        if (topology.hasAttention(level)) {
          layers.add(new SpatialTransformer(block + "1.", ch, heads, ctx, topology.inputAttnx()));
        }
        blocks.add(new UNetBlock(layers));
      }
      if (level != topology.levels() - 1) {
        blocks.add(new UNetBlock(List.of(new Downsample(prefix + "input_blocks." + blocks.size() + ".0.", ch))));
      }
    }
    this.inputBlocks = List.copyOf(blocks);
    String mid = prefix + "middle_block.";
    this.middleBlock = new UNetBlock(List.of(
        new ResBlock(mid + "0.", ch, ch, embed),
        new SpatialTransformer(mid + "1.", ch, heads, ctx, topology.midAttnx()),
        new ResBlock(mid + "2.", ch, ch, embed)));
  }

  public UNetTopology topology() {
    return topology;
  }

  public TimestepEmbedding timeEmbed() {
    return timeEmbed;
  }

  /** {@code input_blocks.0.0}, run by the caller (the ControlNet replaces it by its zero-input response). */
  public InputConv stem() {
    return stem;
  }

  /** Output channels of input block i, i = 0..numInputBlocks-1, then of the middle block. */
  public List<Integer> outputChannels() {
    List<Integer> channels = new ArrayList<>();
    for (UNetBlock b : inputBlocks) channels.add(b.outChannels());
    channels.add(middleBlock.outChannels());
    return List.copyOf(channels);
  }

  /**
   * Runs input blocks 1.. and the middle block on the output of input block 0.
   *
   * @param stemOut output of {@code input_blocks.0} [B, C0, h, w]
   * @return outputs of input blocks 0..N-1 (index 0 = {@code stemOut}), then the middle block's
   */
  public <T> List<T> forward(TensorOps<T> op, T stemOut, Conditioning<T> cond) {
    List<T> outs = new ArrayList<>();
    T h = stemOut;
    outs.add(h);
    for (UNetBlock block : inputBlocks.subList(1, inputBlocks.size())) {
      h = block.forward(op, h, cond);
      outs.add(h);
    }
    outs.add(middleBlock.forward(op, h, cond));
    return outs;
  }
}
