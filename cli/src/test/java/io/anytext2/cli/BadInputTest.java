package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input: one line on stderr starting with "error:", a non-zero exit, no stack trace, nothing written. */
class BadInputTest {
  @TempDir static Path tmp;

  static Stream<Arguments> badGenerateFlags() {
    return Stream.of(
        Arguments.of("empty prompt and no text", List.of("--prompt", ""), "nothing to do"),
        Arguments.of("six lines", List.of("--prompt", "x", "--text", "a", "--text", "b", "--text", "c", "--text", "d", "--text", "e",
            "--text", "f"), "at most 5"),
        Arguments.of("empty line", List.of("--prompt", "x", "--text", " "), "empty"),
        Arguments.of("line too long", List.of("--prompt", "x", "--text", "abcdefghijklmnopqrstuvwxyz"), "at most 20"),
        Arguments.of("uncovered character", List.of("--prompt", "x", "--text", "hi \uD80C\uDC00"), "no bundled font"),
        Arguments.of("colour out of range", List.of("--prompt", "x", "--text", "a", "--color", "300,0,0"), "0-255"),
        Arguments.of("malformed colour", List.of("--prompt", "x", "--text", "a", "--color", "red"), "R,G,B"),
        Arguments.of("size not a multiple of 64", List.of("--prompt", "x", "--size", "100x100"), "multiple of 64"),
        Arguments.of("size too large", List.of("--prompt", "x", "--size", "4096x512"), "multiple of 64"),
        Arguments.of("malformed size", List.of("--prompt", "x", "--size", "big"), "WxH"),
        Arguments.of("polygon outside", List.of("--prompt", "x", "--text", "a", "--position", "0,0,500,0,500,50"), "outside"),
        Arguments.of("polygon malformed", List.of("--prompt", "x", "--text", "a", "--position", "1,2,3"), "at least 3 points"),
        Arguments.of("more positions than lines", List.of("--prompt", "x", "--text", "a", "--position", "1,1,9,1,9,9", "--position",
            "1,1,9,1,9,9"), "one per line"),
        Arguments.of("zero steps", List.of("--prompt", "x", "--steps", "0"), "steps"),
        Arguments.of("bad output extension", List.of("--prompt", "x", "--out-ext", ".gif"), "png"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGenerateFlags")
  void generateRejects(String what, List<String> flags, String expected) throws Exception {
    List<String> args = new ArrayList<>(List.of("generate", "--model", TinyPackage.get().toString(), "--no-progress"));
    if (!flags.contains("--size")) args.addAll(List.of("--size", "128x128"));
    String out = tmp.resolve(what.replace(' ', '_') + ".png").toString();
    for (int i = 0; i < flags.size(); i++) {
      if (flags.get(i).equals("--out-ext")) {
        out = out.replace(".png", flags.get(++i));
      } else {
        args.add(flags.get(i));
      }
    }
    args.add("--out");
    args.add(out);
    assertOneLineError(CliRun.of(args.toArray(String[]::new)), expected);
    assertFalse(Files.exists(Path.of(out)), "nothing written");
  }

  @Test
  void existingOutputIsNotOverwritten() throws Exception {
    Path out = tmp.resolve("keep.png");
    Files.writeString(out, "precious");
    assertOneLineError(CliRun.of("generate", "--model", TinyPackage.get().toString(), "--size", "128x128", "--prompt", "x", "--out",
        out.toString()), "--overwrite");
    assertEquals("precious", Files.readString(out));
  }

  @Test
  void editInputProblems() throws Exception {
    Path tiny = Fixtures.tiny();
    String pkg = TinyPackage.get().toString();
    String img = tiny.resolve("edit_ori_image.png").toString();
    Path corrupt = tmp.resolve("corrupt.png");
    Files.writeString(corrupt, "not a png");
    assertOneLineError(edit(pkg, corrupt.toString(), tiny.resolve("edit_draw_pos.png").toString()), "not a readable image");
    assertOneLineError(edit(pkg, tmp.resolve("missing.png").toString(), tiny.resolve("edit_draw_pos.png").toString()), "does not exist");
    Path small = tmp.resolve("small-mask.png");
    ImageFiles.write(RgbImage.black(64, 64), small);
    assertOneLineError(edit(pkg, img, small.toString()), "mask is 64x64");
    Path black = tmp.resolve("black-mask.png");
    ImageFiles.write(RgbImage.black(128, 128), black);
    assertOneLineError(edit(pkg, img, black.toString()), "no white region");
    assertOneLineError(CliRun.of("edit", "--model", pkg, "--image", img, "--text", "NEW", "--out", tmp.resolve("x.png").toString()),
        "needs a mask");
  }

  @Test
  void packageProblems() throws Exception {
    assertOneLineError(CliRun.of("generate", "--model", tmp.resolve("nope").toString(), "--prompt", "x", "--out",
        tmp.resolve("y.png").toString()), "does not exist");
    Path broken = tmp.resolve("broken");
    copyTree(TinyPackage.get(), broken);
    Files.writeString(broken.resolve("manifest.json"), "{ this is not json");
    assertOneLineError(CliRun.of("generate", "--model", broken.toString(), "--prompt", "x", "--out", tmp.resolve("y.png").toString()),
        "corrupt");
    Path shapes = tmp.resolve("shapes");
    copyTree(TinyPackage.get(), shapes);
    String m = Files.readString(shapes.resolve("manifest.json"));
    // claim a different latent channel count for the UNet's and the sampler's input than the graphs have
    String changed = m.replaceAll("(\"name\" : \"x\",\\s*\"dtype\" : \"float32\",\\s*\"shape\" : \\[ \"batch\", )4", "$18");
    assertNotEquals(m, changed, "test setup: manifest edit");
    Files.writeString(shapes.resolve("manifest.json"), changed);
    assertOneLineError(CliRun.of("generate", "--model", shapes.toString(), "--prompt", "x", "--out", tmp.resolve("y.png").toString()),
        "does not match the manifest");
    Path missing = tmp.resolve("missing-graph");
    copyTree(TinyPackage.get(), missing);
    Files.delete(missing.resolve("unet.onnx"));
    assertOneLineError(CliRun.of("generate", "--model", missing.toString(), "--prompt", "x", "--out", tmp.resolve("y.png").toString()),
        "unet.onnx is missing");
  }

  private static CliRun edit(String pkg, String image, String mask) {
    return CliRun.of("edit", "--model", pkg, "--image", image, "--mask", mask, "--text", "NEW", "--steps", "1", "--no-progress",
        "--out", tmp.resolve("edit-" + System.nanoTime() + ".png").toString());
  }

  static void assertOneLineError(CliRun r, String expected) {
    assertNotEquals(0, r.code(), "exit code; stdout: " + r.out());
    String err = r.err().strip();
    assertTrue(err.startsWith("error: ") || err.startsWith("Missing") || err.startsWith("Invalid") || err.startsWith("Unknown"),
        "stderr: " + err);
    assertEquals(1, err.lines().filter(l -> !l.isBlank() && !l.startsWith("Usage") && !l.startsWith(" ")).count() <= 1 ? 1 : 0,
        1, "one line: " + err);
    assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
    assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
  }
}
