package io.anytext2.nn.config;

import java.util.Arrays;
import java.util.Map;

/** Shape of the ControlNet ("WriteNet", {@code control_stage_config.params}, MODEL.md §3.6). */
public record ControlNetConfig(
    int inChannels,
    int modelChannels,
    int glyphChannels,
    int positionChannels,
    int[] channelMult,
    int numResBlocks,
    int[] attentionResolutions,
    int numHeads,
    int transformerDepth,
    int contextDim,
    boolean fastControl) {

  public ControlNetConfig {
    channelMult = channelMult.clone();
    attentionResolutions = attentionResolutions.clone();
    if (!fastControl) {
      throw new IllegalArgumentException("config: only fast_control: True ControlNets are supported");
    }
    if (transformerDepth != 1) {
      throw new IllegalArgumentException("config: transformer_depth " + transformerDepth + " is not supported (1 only)");
    }
  }

  public int timeEmbedDim() {
    return modelChannels * 4;
  }

  public boolean hasAttention(int level) {
    int factor = 1 << level;
    return Arrays.stream(attentionResolutions).anyMatch(r -> r == factor);
  }

  /** Number of residual maps: one per input block plus the middle block (13 for SD1.5). */
  public int numControls() {
    return 1 + channelMult.length * numResBlocks + (channelMult.length - 1) + 1;
  }

  static ControlNetConfig fromParams(Map<String, Object> p) {
    return new ControlNetConfig(
        ConfigMaps.intOr(p, "in_channels", 4),
        ConfigMaps.intReq(p, "model_channels"),
        ConfigMaps.intOr(p, "glyph_channels", 1),
        ConfigMaps.intOr(p, "position_channels", 1),
        ConfigMaps.intList(p, "channel_mult", null),
        ConfigMaps.intReq(p, "num_res_blocks"),
        ConfigMaps.intList(p, "attention_resolutions", null),
        ConfigMaps.intReq(p, "num_heads"),
        ConfigMaps.intOr(p, "transformer_depth", 1),
        ConfigMaps.intReq(p, "context_dim"),
        ConfigMaps.boolOr(p, "fast_control", false));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlNetConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "ControlNetConfig[in=" + inChannels + ", ch=" + modelChannels + ", glyph=" + glyphChannels
        + ", pos=" + positionChannels + ", mult=" + Arrays.toString(channelMult) + ", res="
        + numResBlocks + ", attn=" + Arrays.toString(attentionResolutions) + ", heads=" + numHeads
        + ", ctx=" + contextDim + ", fast=" + fastControl + "]";
  }
}
