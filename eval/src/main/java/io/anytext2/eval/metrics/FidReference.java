package io.anytext2.eval.metrics;

import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Inception statistics of a reference folder (the benchmark's {@code FID/laion-40k},
 * {@code FID/wukong-40k}), computed once and cached: the folder's images are listed as pytorch-fid
 * does (directly inside the folder, by extension) and the cache is keyed by the folder, its image
 * count and the Inception file.
 */
public final class FidReference {
  /** pytorch-fid's IMAGE_EXTENSIONS. */
  static final Set<String> EXTENSIONS = Set.of("bmp", "jpg", "jpeg", "pgm", "png", "ppm", "tif", "tiff", "webp");
  private static final int CHUNK = 64;

  private FidReference() {}

  /** The images pytorch-fid would read from {@code dir}, sorted. */
  public static List<Path> images(Path dir) {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("FID reference folder " + dir + " does not exist");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>(s.filter(Files::isRegularFile).filter(FidReference::isImage).sorted().toList());
      if (out.size() < 2) throw new IllegalArgumentException("expected at least 2 images in FID reference folder " + dir + ", found " + out.size());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1)); // case-sensitive, as pytorch-fid's glob
  }

  /** Statistics of the folder, from {@code cacheDir} when computed before with the same inputs. */
  public static Gaussian statistics(Path dir, InceptionFeatures model, Path cacheDir) {
    List<Path> files = images(dir);
    String key = dir.toAbsolutePath().normalize() + "|" + files.size() + "|" + model.file().toAbsolutePath().normalize() + "|" + size(model.file());
    Path cache = cacheDir.resolve("fid-ref-" + Integer.toHexString(key.hashCode()) + ".bin");
    try {
      Gaussian cached = Gaussian.read(cache, key);
      if (cached != null) return cached;
      GaussianAccumulator acc = null;
      for (int from = 0; from < files.size(); from += CHUNK) {
        List<RgbImage> part = new ArrayList<>();
        for (Path f : files.subList(from, Math.min(files.size(), from + CHUNK))) part.add(ImageFiles.read(f, "FID reference image"));
        if (acc == null) acc = new GaussianAccumulator(model.featureSize(part.get(0)));
        model.accumulate(part, acc);
      }
      Gaussian g = acc.result();
      g.write(cache, key);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException("FID reference statistics cache " + cache + ": " + e.getMessage(), e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  /** The AnyText-benchmark layout: {@code <root>/FID/laion-40k} next to {@code <root>/benchmark/laion_word/test1k.json}. */
  public static Path autodetect(Path benchmarkJson, String language) {
    String prefix = switch (language) {
      case "en" -> "laion";
      case "zh" -> "wukong";
      default -> null;
    };
    if (prefix == null) return null;
    Path p = benchmarkJson.toAbsolutePath().getParent();
    for (int up = 0; up < 4 && p != null; up++, p = p.getParent()) {
      Path fid = p.resolve("FID");
      if (!Files.isDirectory(fid)) continue;
      try (Stream<Path> s = Files.list(fid)) {
        Path hit = s.filter(Files::isDirectory)
            .filter(d -> d.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix)).sorted().findFirst().orElse(null);
        if (hit != null) return hit;
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }
}
