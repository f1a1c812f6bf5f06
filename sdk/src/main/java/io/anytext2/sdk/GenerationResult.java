package io.anytext2.sdk;

import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.util.List;

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
 */
public record GenerationResult(
    List<RgbImage> images, long seed, List<String> lines, List<Polygon> positions, int steps, long millis, String provider) {
  public GenerationResult {
    images = List.copyOf(images);
    lines = List.copyOf(lines);
    positions = List.copyOf(positions);
  }
}
