package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.eval.report.EvalReport;
import io.anytext2.eval.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

  @Test
  void genRunsTheBenchmarkOnTheTinyPackageAndResumes(@TempDir Path tmp) throws IOException {
    Path tiny = Fixtures.tiny();
    Path pkg = tmp.resolve("pkg");
    CliRun conv = CliRun.of("convert", "--checkpoint", tiny.resolve("model.ckpt").toString(), "--config", tiny.resolve("tiny.yaml").toString(),
        "--ocr-dict", tiny.resolve("en_dict.txt").toString(), "--out", pkg.toString());
    assertEquals(0, conv.code(), conv.err());
    Path bench = Files.createDirectories(tmp.resolve("bench/laion_word")).resolve("test1k.json");
    Files.writeString(bench, "{\"data_list\": [{\"img_name\": \"0001.jpg\", \"caption\": \"a sign\", \"annotations\": ["
        + "{\"polygon\": [[8,8],[120,8],[120,40],[8,40]], \"text\": \"OPEN\", \"language\": \"Latin\", \"valid\": true, \"pos\": 0}]}]}");
    Path out = tmp.resolve("out");
    String[] args = {"eval", "gen", "--benchmark", tmp.resolve("bench").toString(), "--model", pkg.toString(), "--out", out.toString(),
        "--images-per-prompt", "2", "--steps", "1", "--size", "128", "--threads", "2", "--no-progress"};
    CliRun first = CliRun.of(args);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("laion_word: 2 generated, 0 kept, Sen.Acc "), first.out());
    EvalReport r = ReportWriter.readJson(out.resolve("report.json"));
    assertEquals(2, r.benchmarks().get(0).ocr().lines());
    assertTrue(Files.isRegularFile(out.resolve("laion_word/images/0001_1.jpg")));

    CliRun again = CliRun.of(args);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("laion_word: 0 generated, 2 kept"), again.out());
  }

  @Test
  void badInputIsAOneLineError(@TempDir Path tmp) {
    CliRun r = CliRun.of("eval", "gen", "--benchmark", tmp.resolve("none.json").toString(), "--model", tmp.toString(), "--out",
        tmp.resolve("o").toString(), "--no-progress");
    assertEquals(2, r.code());
    assertEquals("error: benchmark " + tmp.resolve("none.json") + " does not exist", r.err().strip());
    CliRun clip = CliRun.of("eval", "gen", "--benchmark", tmp.toString(), "--model", tmp.toString(), "--out", tmp.resolve("o").toString(),
        "--clip-image", "a.onnx", "--no-progress");
    assertEquals(2, clip.code());
    assertEquals("error: CLIPScore needs both --clip-image and --clip-text, found only one", clip.err().strip());
  }
}
