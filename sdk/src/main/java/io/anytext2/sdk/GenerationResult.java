package io.anytext2.sdk;

import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request produced.
 *
 * @param images one picture per requested image (edit: at the input picture's size)
 * @param seed the seed actually used (a random one when the request said -1)
 * @param lines the text lines in model order
 * @param positions where each line went (polygons in model pixels), in line order
 * @param steps DDIM steps actually run (can exceed the requested number, MODEL.md §3.10)
 * @param millis wall time of the request
 * @param provider where the graphs ran ("CPU", "CUDA device 0", …)
 * @param phaseMillis wall time per phase in order: prepare (CPU preprocessing), condition (line
 *     embeddings, text encoders, masked-image latent, ControlNet), denoise (the DDIM loop), decode (VAE
 *     decoder, conversion, edit blending); empty when not measured
 */
public record GenerationResult(List<RgbImage> images, long seed, List<String> lines, List<Polygon> positions, int steps, long millis,
    String provider, Map<String, Double> phaseMillis) {
  public GenerationResult {
    images = List.copyOf(images);
    lines = List.copyOf(lines);
    positions = List.copyOf(positions);
    phaseMillis = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
  }

  public GenerationResult(
      List<RgbImage> images, long seed, List<String> lines, List<Polygon> positions, int steps, long millis, String provider) {
    this(images, seed, lines, positions, steps, millis, provider, Map.of());
  }
}
