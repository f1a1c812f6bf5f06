package io.anytext2.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkFileTest {

  static String annotation(String text, boolean valid, String polygon) {
    return "{\"polygon\": " + polygon + ", \"text\": \"" + text + "\", \"language\": \"Latin\", \"valid\": " + valid + ", \"pos\": 0}";
  }

  @Test
  void readsTheProtocolLines(@TempDir Path tmp) throws IOException {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 23; i++) many.append(i > 0 ? "," : "").append(annotation("L" + i, true, "[[0,0],[10,0],[10,10],[0,10]]"));
    String json = "{\"data_root\": \"imgs\", \"data_list\": ["
        + "{\"img_name\": \"a/0001.jpg\", \"caption\": \"a sign * with words\", \"annotations\": ["
        + annotation("OPEN", true, "[[1,2],[30,2],[30,20],[1,20]]") + ","
        + annotation("###", false, "[[1,2],[30,2],[30,20],[1,20]]") + ","
        + annotation("EMPTY", true, "[]") + ","
        + annotation("abcdefghijklmnopqrstuvwxyz", true, "[[5,5],[60,5],[60,30],[5,30]]") + "]},"
        + "{\"img_name\": \"0002.png\", \"caption\": \"plain\"},"
        + "{\"img_name\": \"0003.jpg\", \"annotations\": [" + many + "]}]}";
    Path dir = Files.createDirectories(tmp.resolve("laion_word"));
    Path f = dir.resolve("test1k.json");
    Files.writeString(f, json);
    BenchmarkFile b = BenchmarkFile.read(f);
    assertEquals("laion_word", b.name());
    assertEquals("en", b.language());
    assertEquals(dir.resolve("imgs"), b.dataRoot());
    assertEquals(3, b.entries().size());

    BenchmarkEntry e = b.entries().get(0);
    assertEquals(List.of("OPEN", "abcdefghijklmnopqrst"), e.lines().stream().map(BenchmarkLine::text).toList(),
        "invalid and polygon-less lines dropped, texts cut to 20 characters");
    assertEquals("a/0001", e.stem());
    assertEquals("a/0001_3.jpg", e.imageName(3));
    assertEquals("a sign   with words", e.imageCaption());
    assertEquals("a sign * with words", e.caption(), "CLIPScore reads the raw caption");

    BenchmarkEntry plain = b.entries().get(1);
    assertTrue(plain.lines().isEmpty());
    assertEquals(List.of(BenchmarkEntry.DUMMY_LINE), plain.generationLines());
    assertEquals(20, b.entries().get(2).lines().size(), "at most 20 lines");
    assertEquals("L19", b.entries().get(2).lines().get(19).text());
    assertEquals(22, b.lineCount());
    assertEquals(1, b.limit(1).entries().size());
  }

  @Test
  void codePointTruncationAndLanguageFromThePath(@TempDir Path tmp) {
    String s = "\uD840\uDC00".repeat(25);
    assertEquals(20, BenchmarkFile.firstCodePoints(s, 20).codePointCount(0, BenchmarkFile.firstCodePoints(s, 20).length()));
    assertEquals("zh", BenchmarkFile.languageOf(tmp.resolve("wukong_word/test1k.json")));
    assertEquals("", BenchmarkFile.languageOf(tmp.resolve("mine/test.json")));
    assertEquals("mine-test", BenchmarkFile.defaultName(tmp.resolve("mine/test.json")));
  }

  @Test
  void malformedFilesFailWithTheEntryNamed(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("b.json");
    Files.writeString(f, "{\"data_list\": [{\"img_name\": \"x.jpg\", \"annotations\": [{\"polygon\": [[1.5, 2]], \"text\": \"A\"}]}]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchmarkFile.read(f));
    assertEquals(f + ": data_list[0]: expected integer polygon coordinates, found 1.5", e.getMessage());
    Files.writeString(f, "{\"images\": []}");
    assertThrows(IllegalArgumentException.class, () -> BenchmarkFile.read(f));
    Files.writeString(f, "{\"data_list\": [{\"img_name\": \"/etc/passwd\"}]}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchmarkFile.read(f)).getMessage().contains("relative file name"));
  }

  @Test
  void foldersResolveToTheirTest1kFiles(@TempDir Path tmp) throws IOException {
    for (String d : List.of("wukong_word", "laion_word")) {
      Files.createDirectories(tmp.resolve(d));
      Files.writeString(tmp.resolve(d).resolve("test1k.json"), "{\"data_list\": []}");
      Files.writeString(tmp.resolve(d).resolve("test1k_long.json"), "{\"data_list\": []}");
    }
    List<BenchmarkFile> all = Benchmarks.resolve(List.of(tmp));
    assertEquals(List.of("laion_word", "wukong_word"), all.stream().map(BenchmarkFile::name).toList());
    List<BenchmarkFile> twice = Benchmarks.resolve(List.of(tmp.resolve("laion_word/test1k.json"), tmp.resolve("laion_word/test1k.json")));
    assertEquals(List.of("laion_word", "laion_word-2"), twice.stream().map(BenchmarkFile::name).toList());
    assertThrows(IllegalArgumentException.class, () -> Benchmarks.resolve(List.of(tmp.resolve("none"))));
  }
}
