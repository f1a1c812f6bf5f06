package io.anytext2.nn.config;

import java.util.Arrays;
import java.util.Map;

/**
 * Shape of the SD1.5 UNet with AttnX ({@code unet_config.params} of the original YAML, MODEL.md §3.7).
 *
 * @param attentionResolutions downsample factors (1, 2, 4, …) whose levels carry a SpatialTransformer
 * @param outputAttnxLevels channel_mult level indices of the decoder whose transformers have AttnX
 */
public record UNetConfig(
    int inChannels,
    int outChannels,
    int modelChannels,
    int[] channelMult,
    int numResBlocks,
    int[] attentionResolutions,
    int numHeads,
    int transformerDepth,
    int contextDim,
    boolean inputAttnx,
    boolean midAttnx,
    boolean outputAttnx,
    int[] outputAttnxLevels) {

  public UNetConfig {
    channelMult = channelMult.clone();
    attentionResolutions = attentionResolutions.clone();
    outputAttnxLevels = outputAttnxLevels.clone();
    if (transformerDepth != 1) {
      throw new IllegalArgumentException("config: transformer_depth " + transformerDepth + " is not supported (1 only)");
    }
  }

  /** Time-embedding width: 4 × model_channels (1280 for SD1.5). */
  public int timeEmbedDim() {
    return modelChannels * 4;
  }

  /** Whether level {@code level} (0-based, factor 2^level) has attention. */
  public boolean hasAttention(int level) {
    int factor = 1 << level;
    return Arrays.stream(attentionResolutions).anyMatch(r -> r == factor);
  }

  public boolean outputAttnxAt(int level) {
    return outputAttnx && Arrays.stream(outputAttnxLevels).anyMatch(l -> l == level);
  }

  static UNetConfig fromParams(Map<String, Object> p) {
    return new UNetConfig(
        ConfigMaps.intOr(p, "in_channels", 4),
        ConfigMaps.intOr(p, "out_channels", 4),
        ConfigMaps.intReq(p, "model_channels"),
        ConfigMaps.intList(p, "channel_mult", null),
        ConfigMaps.intReq(p, "num_res_blocks"),
        ConfigMaps.intList(p, "attention_resolutions", null),
        ConfigMaps.intReq(p, "num_heads"),
        ConfigMaps.intOr(p, "transformer_depth", 1),
        ConfigMaps.intReq(p, "context_dim"),
        ConfigMaps.boolOr(p, "input_attnx", false),
        ConfigMaps.boolOr(p, "mid_attnx", false),
        ConfigMaps.boolOr(p, "output_attnx", false),
        ConfigMaps.intList(p, "output_attnx_level", new int[0]));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetConfig u && toString().equals(u.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "UNetConfig[in=" + inChannels + ", out=" + outChannels + ", ch=" + modelChannels
        + ", mult=" + Arrays.toString(channelMult) + ", res=" + numResBlocks
        + ", attn=" + Arrays.toString(attentionResolutions) + ", heads=" + numHeads
        + ", depth=" + transformerDepth + ", ctx=" + contextDim + ", attnx=" + inputAttnx + "/"
        + midAttnx + "/" + outputAttnx + Arrays.toString(outputAttnxLevels) + "]";
  }
}
