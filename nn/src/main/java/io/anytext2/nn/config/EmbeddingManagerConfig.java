package io.anytext2.nn.config;

import java.util.Map;

/**
 * The embedding manager ({@code embedding_manager_config.params}, MODEL.md §3.5). Only the
 * configuration the released model uses is supported (emb_type ocr, add_pos, add_style_ocr,
 * add_color, no big linears, no flag, no Fourier colour); anything else is rejected at load.
 *
 * @param tokenDim width of one line embedding (= the text encoder's width)
 */
public record EmbeddingManagerConfig(int tokenDim, String placeholder) {

  static EmbeddingManagerConfig fromParams(Map<String, Object> p, int tokenDim) {
    require(ConfigMaps.boolOr(p, "valid", true), "valid: true");
    require(ConfigMaps.stringOr(p, "emb_type", "ocr").equals("ocr"), "emb_type: ocr");
    require(ConfigMaps.boolOr(p, "add_pos", false), "add_pos: true");
    require(ConfigMaps.boolOr(p, "add_style_ocr", false), "add_style_ocr: true");
    require(!ConfigMaps.boolOr(p, "add_style_conv", false), "add_style_conv: false");
    require(ConfigMaps.boolOr(p, "add_color", false), "add_color: true");
    require(!ConfigMaps.boolOr(p, "big_linear", false), "big_linear: false");
    require(!ConfigMaps.boolOr(p, "color_big_linear", false), "color_big_linear: false");
    require(!ConfigMaps.boolOr(p, "enable_flag", false), "enable_flag: false");
    require(!ConfigMaps.boolOr(p, "color_fourier_encode", false), "color_fourier_encode: false");
    require(ConfigMaps.intOr(p, "glyph_channels", 1) == 1, "glyph_channels: 1");
    require(ConfigMaps.intOr(p, "position_channels", 1) == 1, "position_channels: 1");
    return new EmbeddingManagerConfig(tokenDim, ConfigMaps.stringOr(p, "placeholder_string", "*"));
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("config: embedding manager must have " + what);
    }
  }
}
