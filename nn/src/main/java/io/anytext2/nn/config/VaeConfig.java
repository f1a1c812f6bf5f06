package io.anytext2.nn.config;

import java.util.Arrays;
import java.util.Map;

/** Shape of the AutoencoderKL ({@code first_stage_config.params}, MODEL.md §3.8). */
public record VaeConfig(
    int embedDim, int zChannels, int ch, int[] chMult, int numResBlocks, int inChannels, int outCh) {

  public VaeConfig {
    chMult = chMult.clone();
  }

  /** Pixel-to-latent factor: 2^(levels − 1) (8 for SD). */
  public int downFactor() {
    return 1 << (chMult.length - 1);
  }

  static VaeConfig fromParams(Map<String, Object> p) {
    Map<String, Object> dd = ConfigMaps.map(p, "ddconfig");
    if (!ConfigMaps.boolOr(dd, "double_z", true)) {
      throw new IllegalArgumentException("config: only double_z: true VAEs are supported");
    }
    int[] attn = ConfigMaps.intList(dd, "attn_resolutions", new int[0]);
    if (attn.length != 0) {
      throw new IllegalArgumentException("config: VAE attn_resolutions must be empty (only the middle block has attention)");
    }
    return new VaeConfig(
        ConfigMaps.intOr(p, "embed_dim", 4),
        ConfigMaps.intOr(dd, "z_channels", 4),
        ConfigMaps.intReq(dd, "ch"),
        ConfigMaps.intList(dd, "ch_mult", null),
        ConfigMaps.intReq(dd, "num_res_blocks"),
        ConfigMaps.intOr(dd, "in_channels", 3),
        ConfigMaps.intOr(dd, "out_ch", 3));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VaeConfig v && toString().equals(v.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "VaeConfig[embed=" + embedDim + ", z=" + zChannels + ", ch=" + ch + ", mult="
        + Arrays.toString(chMult) + ", res=" + numResBlocks + ", in=" + inChannels + ", out=" + outCh + "]";
  }
}
