package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate and edit as a user runs them, on the tiny converted fixture (128×128, 2 steps). */
class GenerateEditCommandTest {
  @TempDir Path tmp;

  private String[] gen(String... extra) throws Exception {
    List<String> a = new ArrayList<>(List.of("generate", "--model", TinyPackage.get().toString(), "--size", "128x128", "--steps", "2",
        "--no-progress"));
    a.addAll(Arrays.asList(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void generateIsDeterministicWritesASidecarAndReplaysIt() throws Exception {
    Path a = tmp.resolve("a.png");
    Path b = tmp.resolve("b.png");
    String[] common = {"--prompt", "a wooden sign", "--text", "HELLO", "--text", "Java2", "--color", "200,30,40", "--seed", "5"};
    CliRun r1 = CliRun.of(concat(gen(common), "--out", a.toString()));
    assertEquals(0, r1.code(), r1.err());
    assertEquals(0, CliRun.of(concat(gen(common), "--out", b.toString())).code());
    RgbImage ia = ImageFiles.read(a, "a");
    assertEquals(128, ia.width());
    assertArrayEquals(ia.pixels(), ImageFiles.read(b, "b").pixels(), "same seed, same picture");
    String side = Files.readString(tmp.resolve("a.json"));
    assertTrue(side.contains("\"seed\" : 5") && side.contains("\"HELLO\"") && side.contains("200,30,40"), side);

    Path c = tmp.resolve("c.png");
    CliRun replay = CliRun.of("generate", "--model", TinyPackage.get().toString(), "--request", tmp.resolve("a.json").toString(),
        "--out", c.toString(), "--no-progress");
    assertEquals(0, replay.code(), replay.err());
    assertArrayEquals(ia.pixels(), ImageFiles.read(c, "c").pixels(), "the sidecar reproduces the picture");

    CliRun other = CliRun.of(concat(gen("--prompt", "a wooden sign", "--text", "HELLO", "--seed", "6"), "--out", tmp.resolve("d.png").toString()));
    assertEquals(0, other.code());
    assertFalse(Arrays.equals(ia.pixels(), ImageFiles.read(tmp.resolve("d.png"), "d").pixels()), "another seed, another picture");
  }

  /** The shipped default model needs each line's colour (README "The default model"): without one the command says so. */
  @Test
  void theDefaultModelAsksForTheLineColours(@TempDir Path tmp) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of("../onnx/manifest.json")), "no default model in ../onnx");
    String old = System.getProperty("anytext2.home");
    System.setProperty("anytext2.home", "..");
    try {
      String[] base = {"generate", "--prompt", "A plain white background, showing one line of black text in English.", "--text", "OPEN",
          "--position", "12,44,116,44,116,84,12,84", "--steps", "2", "--no-progress"};
      CliRun without = CliRun.of(concat(base, "--out", tmp.resolve("a.png").toString()));
      assertEquals(0, without.code(), without.err());
      assertTrue(without.err().contains("note: the default model needs each line's colour"), without.err());
      CliRun with = CliRun.of(concat(base, "--color", "0,0,0", "--out", tmp.resolve("b.png").toString()));
      assertEquals(0, with.code(), with.err());
      assertFalse(with.err().contains("note:"), with.err());
    } finally {
      if (old == null) System.clearProperty("anytext2.home");
      else System.setProperty("anytext2.home", old);
    }
  }

  @Test
  void countWritesNumberedFiles() throws Exception {
    CliRun r = CliRun.of(concat(gen("--prompt", "a poster with \"SALE\" on it", "--count", "2", "--seed", "1"), "--out", tmp.resolve("p.jpg").toString()));
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.size(tmp.resolve("p-1.jpg")) > 0 && Files.size(tmp.resolve("p-2.jpg")) > 0);
    assertTrue(Files.exists(tmp.resolve("p.json")));
  }

  @Test
  void editKeepsEveryPixelOutsideTheMask() throws Exception {
    Path tiny = Fixtures.tiny();
    Path out = tmp.resolve("e.png");
    CliRun r = CliRun.of("edit", "--model", TinyPackage.get().toString(), "--image", tiny.resolve("edit_ori_image.png").toString(),
        "--mask", tiny.resolve("edit_draw_pos.png").toString(), "--prompt", "A letter picture", "--text", "NEW", "--steps", "2",
        "--seed", "4", "--out", out.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    RgbImage in = ImageFiles.read(tiny.resolve("edit_ori_image.png"), "in");
    RgbImage mask = ImageFiles.read(tiny.resolve("edit_draw_pos.png"), "mask");
    RgbImage res = ImageFiles.read(out, "out");
    byte[] inPx = in.pixels();
    byte[] maskPx = mask.pixels();
    byte[] resPx = res.pixels();
    int outside = 0;
    int changedInside = 0;
    for (int i = 0; i < in.width() * in.height(); i++) {
      boolean inMask = (maskPx[3 * i] & 0xff) > 254;
      int d = 0;
      for (int c = 0; c < 3; c++) d = Math.max(d, Math.abs((inPx[3 * i + c] & 0xff) - (resPx[3 * i + c] & 0xff)));
      if (!inMask) outside = Math.max(outside, d);
      else if (d > 0) changedInside++;
    }
    assertEquals(0, outside, "max difference outside the mask");
    assertTrue(changedInside > 100, "the masked area was regenerated");

    CliRun all = CliRun.of("edit", "--model", TinyPackage.get().toString(), "--image", tiny.resolve("edit_ori_image.png").toString(),
        "--mask", tiny.resolve("edit_draw_pos.png").toString(), "--text", "NEW", "--steps", "2", "--regenerate-all",
        "--out", tmp.resolve("all.png").toString(), "--no-progress");
    assertEquals(0, all.code(), all.err());
  }

  static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
