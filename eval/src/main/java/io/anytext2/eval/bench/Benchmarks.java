package io.anytext2.eval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the benchmark files named on the command line. */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * A JSON file, or a folder: its sub-folders' {@code test1k.json} (the AnyText-benchmark layout,
   * {@code benchmark/laion_word/test1k.json} and {@code benchmark/wukong_word/test1k.json}), or when
   * there is none, every {@code *.json} directly inside it. Names are made unique.
   */
  public static List<BenchmarkFile> resolve(List<Path> paths) {
    List<BenchmarkFile> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path p : paths) {
      for (Path json : files(p)) {
        BenchmarkFile b = BenchmarkFile.read(json);
        String name = b.name();
        for (int i = 2; !names.add(name); i++) name = b.name() + "-" + i;
        out.add(b.withName(name));
      }
    }
    return out;
  }

  static List<Path> files(Path p) {
    if (Files.isRegularFile(p)) return List.of(p);
    if (!Files.isDirectory(p)) throw new IllegalArgumentException("benchmark " + p + " does not exist");
    List<Path> found = new ArrayList<>();
    try (Stream<Path> s = Files.list(p)) {
      s.filter(Files::isDirectory).sorted().map(d -> d.resolve("test1k.json")).filter(Files::isRegularFile).forEach(found::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p, e);
    }
    if (found.isEmpty()) {
      try (Stream<Path> s = Files.list(p)) {
        s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json")).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + p, e);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException("expected benchmark JSON files (e.g. laion_word/test1k.json) in " + p + ", found none");
    }
    return found;
  }
}
