package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.runtime.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

  @Test
  void maliciousPickleIsRefusedWithOneLineAndNothingRunsOrIsWritten(@TempDir Path tmp) throws IOException {
    Path marker = tmp.resolve("pwned");
    Path ckpt = evilCheckpoint(tmp.resolve("evil.ckpt"), "touch " + marker);
    Path out = tmp.resolve("pkg");
    CliRun r = CliRun.of("convert", "--checkpoint", ckpt.toString(), "--out", out.toString());
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("os.system"), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertFalse(Files.exists(marker), "the pickle's command must never run");
    assertFalse(Files.exists(out), "nothing may be written");
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "only the checkpoint: no partial output folder left behind");
    }
  }

  @Test
  void convertsTheTinyFixtureAndNeverOverwritesSilently(@TempDir Path tmp) throws IOException {
    Path tiny = Fixtures.tiny();
    Path out = tmp.resolve("pkg");
    String[] args = {"convert", "--checkpoint", tiny.resolve("model.ckpt").toString(), "--config", tiny.resolve("tiny.yaml").toString(),
        "--ocr-dict", tiny.resolve("en_dict.txt").toString(), "--out", out.toString()};
    CliRun first = CliRun.of(args);
    assertEquals(0, first.code(), first.err());
    ModelPackage pkg = ModelPackage.open(out);
    assertEquals(8, pkg.manifest().graphs().size()); // 6 stages, OCR recognizer, sampler
    assertEquals(265, pkg.manifest().tokenizer().placeholderId());
    assertEquals(1000, pkg.manifest().scheduler().alphasCumprod().length);
    assertTrue(Files.size(out.resolve(pkg.graph(GraphNames.UNET).file())) > 1_000_000);

    Path unet = out.resolve("unet.onnx");
    long before = Files.getLastModifiedTime(unet).toMillis();
    CliRun again = CliRun.of(args);
    assertEquals(2, again.code());
    assertTrue(again.err().startsWith("error: output") && again.err().contains("--overwrite"), again.err());
    assertEquals(before, Files.getLastModifiedTime(unet).toMillis(), "existing package untouched");

    String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
    overwrite[args.length] = "--overwrite";
    assertEquals(0, CliRun.of(overwrite).code());
    ModelPackage.open(out);

    // --no-sampler: the CPU package without the Loop graph (and its second copy of the UNet weights)
    Path small = tmp.resolve("no-sampler");
    String[] noSampler = java.util.Arrays.copyOf(args, args.length + 1);
    noSampler[args.length] = "--no-sampler";
    noSampler[java.util.Arrays.asList(args).indexOf("--out") + 1] = small.toString();
    assertEquals(0, CliRun.of(noSampler).code());
    ModelPackage lean = ModelPackage.open(small);
    assertEquals(7, lean.manifest().graphs().size());
    assertFalse(lean.manifest().graphs().containsKey(GraphNames.SAMPLER));
    assertFalse(Files.exists(small.resolve("sampler.onnx")));
  }

  /**
   * --fused-attention: the manifest says so, the UNet holds com.microsoft.MultiHeadAttention nodes,
   * and generate (5 steps: one sampler-graph call, VAE) draws the standard package's picture to within 1/255.
   */
  @Test
  void fusedAttentionPackageDrawsTheSamePicture(@TempDir Path tmp) throws Exception {
    Path tiny = Fixtures.tiny();
    Path out = tmp.resolve("fused");
    CliRun r = CliRun.of("convert", "--checkpoint", tiny.resolve("model.ckpt").toString(), "--config",
        tiny.resolve("tiny.yaml").toString(), "--ocr-dict", tiny.resolve("en_dict.txt").toString(), "--fused-attention",
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("fused attention"), r.out());
    assertTrue(ModelPackage.open(out).manifest().fusedAttention());
    assertFalse(ModelPackage.open(TinyPackage.get()).manifest().fusedAttention());
    ModelProto unet = ModelProto.parseFrom(Files.readAllBytes(out.resolve("unet.onnx")));
    assertTrue(unet.getGraph().getNodeList().stream()
        .anyMatch(n -> n.getOpType().equals("MultiHeadAttention") && n.getDomain().equals("com.microsoft")));

    byte[][] pictures = new byte[2][];
    Path[] models = {TinyPackage.get(), out};
    for (int i = 0; i < 2; i++) {
      Path png = tmp.resolve("p" + i + ".png");
      CliRun g = CliRun.of("generate", "--model", models[i].toString(), "--size", "128x128", "--steps", "5", "--no-progress",
          "--prompt", "a shop sign", "--text", "OPEN", "--seed", "3", "--out", png.toString());
      assertEquals(0, g.code(), g.err());
      pictures[i] = ImageFiles.read(png, "p" + i).pixels();
    }
    int worst = 0;
    for (int i = 0; i < pictures[0].length; i++) worst = Math.max(worst, Math.abs((pictures[0][i] & 0xff) - (pictures[1][i] & 0xff)));
    System.out.printf("fused vs standard picture (128x128, 5 steps): max |Δ| %d/255%n", worst);
    assertTrue(worst <= 1, "fused vs standard picture: max |Δ| " + worst + "/255");
  }

  /** --cuda: the five options at once (manifest), and a CPU run of that package is one line and a non-zero exit. */
  @Test
  void cudaPresetWritesTheFastestPackageWhichTheCpuRefuses(@TempDir Path tmp) throws Exception {
    Path tiny = Fixtures.tiny();
    Path out = tmp.resolve("cuda");
    CliRun r = CliRun.of("convert", "--checkpoint", tiny.resolve("model.ckpt").toString(), "--config",
        tiny.resolve("tiny.yaml").toString(), "--cuda", "--no-sampler", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    var m = ModelPackage.open(out).manifest();
    assertEquals("fp16", m.precision());
    assertTrue(m.fusedAttention() && m.fusedGroupNorm() && m.fusedGeglu() && m.packedAttention(), m.toString());
    Path png = tmp.resolve("x.png");
    CliRun g = CliRun.of("generate", "--model", out.toString(), "--size", "128x128", "--steps", "2", "--no-progress",
        "--prompt", "a shop sign", "--text", "OPEN", "--out", png.toString());
    assertNotEquals(0, g.code());
    assertEquals(1, g.err().strip().lines().count(), g.err());
    assertTrue(g.err().contains("CUDA provider only"), g.err());
    assertFalse(Files.exists(png));
  }

  @Test
  void missingCheckpointIsAOneLineError(@TempDir Path tmp) {
    CliRun r = CliRun.of("convert", "--checkpoint", tmp.resolve("none.ckpt").toString(), "--out", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertEquals("error: checkpoint " + tmp.resolve("none.ckpt") + " does not exist", r.err().strip());
  }

  /** A torch.save-layout zip whose pickle calls os.system(cmd) when loaded by a naive unpickler. */
  static Path evilCheckpoint(Path file, String cmd) throws IOException {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(new byte[] {(byte) 0x80, 2});
    p.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL os.system
    byte[] c = cmd.getBytes(StandardCharsets.UTF_8);
    p.write('X'); // BINUNICODE
    p.write(new byte[] {(byte) c.length, (byte) (c.length >> 8), 0, 0});
    p.write(c);
    p.write(0x85); // TUPLE1
    p.write('R'); // REDUCE
    p.write('.'); // STOP
    try (OutputStream fo = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(fo)) {
      for (String[] e : new String[][] {{"archive/data.pkl", null}, {"archive/byteorder", "little"}, {"archive/version", "3"}}) {
        zip.putNextEntry(new ZipEntry(e[0]));
        zip.write(e[1] == null ? p.toByteArray() : e[1].getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
      }
    }
    return file;
  }
}
