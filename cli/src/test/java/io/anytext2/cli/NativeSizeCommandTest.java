package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.io.RequestJson;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate without --size runs at the package's native size. The tiny fixture's config keeps the
 * official latent image_size 64 (512 px); converted here from a copy that says 16, its package declares
 * 128 px, which tells the native size apart from the old fixed 512x512 default.
 */
class NativeSizeCommandTest {
  @TempDir static Path tmp;
  private static Path pkg;

  @BeforeAll
  static void convertWithImageSize16() throws IOException {
    Path tiny = Fixtures.tiny();
    Path conf = Files.createDirectories(tmp.resolve("config"));
    String yaml = Files.readString(tiny.resolve("tiny.yaml"));
    String top = "\n    image_size: 64\n"; // model.params; the unet/controlnet copies are indented deeper
    assertEquals(1, yaml.split(top, -1).length - 1, "one top-level image_size in tiny.yaml");
    Files.writeString(conf.resolve("tiny.yaml"), yaml.replace(top, "\n    image_size: 16\n"));
    copyTree(tiny.resolve("tiny_clip"), conf.resolve("tiny_clip")); // the config names its CLIP folder relative to itself
    pkg = tmp.resolve("pkg");
    CliRun r = CliRun.of("convert", "--checkpoint", tiny.resolve("model.ckpt").toString(), "--config", conf.resolve("tiny.yaml").toString(),
        "--ocr-dict", tiny.resolve("en_dict.txt").toString(), "--no-sampler", "--out", pkg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("native size 128x128"), r.out());
  }

  private static CliRun generate(Path out, String... size) {
    String[] base = {"generate", "--model", pkg.toString(), "--prompt", "a wooden sign", "--text", "HI", "--steps", "2", "--seed", "3",
        "--no-progress", "--out", out.toString()};
    return CliRun.of(GenerateEditCommandTest.concat(base, size));
  }

  @Test
  void thePackageRecordsItsNativeSize() {
    assertEquals(128, ModelPackage.open(pkg).manifest().nativeSize());
    assertEquals(16, ModelPackage.open(pkg).manifest().config().imageSize());
  }

  @Test
  void withoutSizeTheNativeSizeIsUsedAndRecorded() throws IOException {
    Path out = tmp.resolve("native.png");
    CliRun r = generate(out);
    assertEquals(0, r.code(), r.err());
    RgbImage img = ImageFiles.read(out, "out");
    assertEquals(128, img.width());
    assertEquals(128, img.height());
    RequestJson side = RequestJson.read(tmp.resolve("native.json"));
    assertEquals(128, side.width(), "the sidecar names the size used, so a replay needs no package");
    assertEquals(128, side.height());
  }

  @Test
  void anExplicitSizeWins() throws IOException {
    Path out = tmp.resolve("wide.png");
    CliRun r = generate(out, "--size", "192x128");
    assertEquals(0, r.code(), r.err());
    RgbImage img = ImageFiles.read(out, "out");
    assertEquals(192, img.width());
    assertEquals(128, img.height());
    CliRun zero = generate(tmp.resolve("zero.png"), "--size", "0x128");
    assertEquals(2, zero.code());
    assertTrue(zero.err().contains("multiple of 64"), zero.err());
  }

  @Test
  void lowGpuMemoryChangesNothingOnTheCpu() throws IOException {
    Path plain = tmp.resolve("plain.png");
    Path low = tmp.resolve("low.png");
    assertEquals(0, generate(plain).code());
    CliRun r = generate(low, "--low-gpu-memory");
    assertEquals(0, r.code(), r.err());
    assertTrue(java.util.Arrays.equals(ImageFiles.read(plain, "out").pixels(), ImageFiles.read(low, "out").pixels()),
        "the switch only touches GPU arenas");
    Path keep = tmp.resolve("keep.png");
    CliRun k = generate(keep, "--no-low-gpu-memory");
    assertEquals(0, k.code(), k.err());
    assertTrue(java.util.Arrays.equals(ImageFiles.read(plain, "out").pixels(), ImageFiles.read(keep, "out").pixels()),
        "the negated switch only touches GPU arenas too");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(t);
        else Files.copy(f, t);
      }
    }
  }
}
