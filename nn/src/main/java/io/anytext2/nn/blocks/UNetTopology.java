package io.anytext2.nn.blocks;

import io.anytext2.nn.config.ControlNetConfig;
import io.anytext2.nn.config.UNetConfig;
import java.util.Arrays;

/**
 * The numbers that shape a UNet encoder (input blocks + middle block), shared by the UNet and the
 * ControlNet, which must agree on them (MODEL.md §5.2).
 *
 * @param attentionResolutions downsample factors (1, 2, 4, …) whose levels carry a SpatialTransformer
 * @param inputAttnx whether the encoder's transformers have AttnX branches
 * @param midAttnx whether the middle block's transformer has AttnX branches
 */
public record UNetTopology(
    int inChannels,
    int modelChannels,
    int[] channelMult,
    int numResBlocks,
    int[] attentionResolutions,
    int numHeads,
    int contextDim,
    boolean inputAttnx,
    boolean midAttnx) {

  public UNetTopology {
    channelMult = channelMult.clone();
    attentionResolutions = attentionResolutions.clone();
    if (channelMult.length == 0 || numResBlocks <= 0 || numHeads <= 0 || inChannels <= 0 || contextDim <= 0) {
      throw new IllegalArgumentException("expected non-empty channel_mult and positive num_res_blocks/num_heads/in_channels/"
          + "context_dim, found " + Arrays.toString(channelMult) + "/" + numResBlocks + "/" + numHeads + "/" + inChannels + "/" + contextDim);
    }
    for (int level = 0; level < channelMult.length; level++) {
      int c = modelChannels * channelMult[level];
      if (c <= 0 || c % ResBlock.GROUPS != 0) {
        throw new IllegalArgumentException("expected channels divisible by " + ResBlock.GROUPS + " (GroupNorm groups) at level "
            + level + ", found " + c);
      }
      if (c % numHeads != 0) {
        throw new IllegalArgumentException("expected channels divisible by num_heads " + numHeads + " at level " + level + ", found " + c);
      }
    }
  }

  /** The UNet's encoder (AttnX as configured). */
  public static UNetTopology of(UNetConfig c) {
    return new UNetTopology(c.inChannels(), c.modelChannels(), c.channelMult(), c.numResBlocks(), c.attentionResolutions(),
        c.numHeads(), c.contextDim(), c.inputAttnx(), c.midAttnx());
  }

  /** The ControlNet's encoder: same topology, never AttnX (MODEL.md §3.6). */
  public static UNetTopology of(ControlNetConfig c) {
    return new UNetTopology(c.inChannels(), c.modelChannels(), c.channelMult(), c.numResBlocks(), c.attentionResolutions(),
        c.numHeads(), c.contextDim(), false, false);
  }

  public int levels() {
    return channelMult.length;
  }

  /** Feature channels at {@code level}: model_channels × channel_mult[level]. */
  public int channels(int level) {
    return modelChannels * channelMult[level];
  }

  /** Whether {@code level} (downsample factor 2^level) has a SpatialTransformer after each ResBlock. */
  public boolean hasAttention(int level) {
    int factor = 1 << level;
    return Arrays.stream(attentionResolutions).anyMatch(r -> r == factor);
  }

  public int timeEmbedDim() {
    return 4 * modelChannels;
  }

  /** Input blocks: stem + num_res_blocks per level + one downsample between levels (12 for SD1.5). */
  public int numInputBlocks() {
    return 1 + levels() * numResBlocks + (levels() - 1);
  }

  /** Residual maps a ControlNet of this topology yields: one per input block plus the middle (13 for SD1.5). */
  public int numControls() {
    return numInputBlocks() + 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetTopology t && toString().equals(t.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "UNetTopology[in=" + inChannels + ", ch=" + modelChannels + ", mult=" + Arrays.toString(channelMult) + ", res="
        + numResBlocks + ", attn=" + Arrays.toString(attentionResolutions) + ", heads=" + numHeads + ", ctx=" + contextDim
        + ", attnx=" + inputAttnx + "/" + midAttnx + "]";
  }
}
