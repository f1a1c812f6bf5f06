package io.anytext2.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.prep.Polygon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnyWordDatasetTest {

  @TempDir Path dir;

  /** The hand-made example of TRAINING.md §1.7. */
  private static final String EXAMPLE = """
      {
        "data_root": "/datasets/AnyWord-3M/laion/imgs",
        "data_list": [
          {
            "img_name": "000123/000123456.jpg",
            "caption": "A red storefront sign above a bakery entrance on a sunny street. The sign has bold white letters.",
            "wm_score": 0.08,
            "annotations": [
              {"polygon": [[102, 40], [398, 44], [397, 96], [101, 92]], "text": "BAKERY",
               "language": "Latin", "valid": true, "pos": 1, "color": [246, 244, 240]},
              {"polygon": [[150, 300], [260, 300], [260, 330], [150, 330]], "text": "面包",
               "language": "Chinese", "valid": true, "pos": 4, "color": [30, 28, 35]},
              {"polygon": [[400, 420], [470, 420], [470, 440], [400, 440]], "text": "###",
               "language": "Latin", "valid": false, "pos": 8}
            ]
          },
          {"img_name": "000123/000123999.jpg", "caption": "A plain blue sky.", "wm_score": 0.7}
        ]
      }
      """;

  private Path write(String name, String json) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, json);
    return p;
  }

  @Test
  void readsTheSpecExample() throws IOException {
    AnyWordDataset ds = AnyWordDataset.load(List.of(AnyWordSource.of(write("ex.json", EXAMPLE))));
    assertEquals(2, ds.size());
    AnyWordEntry first = ds.get(0);
    assertEquals(Path.of("/datasets/AnyWord-3M/laion/imgs/000123/000123456.jpg"), first.imagePath());
    assertTrue(first.caption().endsWith("bold white letters. no watermarks "), first.caption());
    assertEquals(2, first.lines().size());
    TextAnnotation bakery = first.lines().get(0);
    assertEquals("BAKERY", bakery.text());
    assertEquals(Languages.LATIN, bakery.language());
    assertArrayEquals(new int[] {246, 244, 240}, bakery.color());
    assertEquals(Polygon.of(102, 40, 398, 44, 397, 96, 101, 92), bakery.polygon());
    assertEquals(Languages.CHINESE_SIM, first.lines().get(1).language());
    assertEquals(List.of(Polygon.of(400, 420, 470, 420, 470, 440, 400, 440)), first.invalidPolygons());
    AnyWordEntry second = ds.get(1);
    assertEquals("A plain blue sky. with watermarks ", second.caption());
    assertTrue(second.lines().isEmpty());
    AnyWordDataset.SourceReport r = ds.reports().get(0);
    assertEquals(2, r.listed());
    assertEquals(2, r.kept());
    assertEquals(1, r.invalidLines());
    assertEquals(0, ds.malformedCount());
  }

  @Test
  void appliesTheLoadTimeRules() throws IOException {
    Path json = write("rules.json", """
        {"data_list": [
          {"img_name": "a.png", "caption": "a * b**c", "annotations": [
             {"polygon": [], "text": "gone", "language": "Latin"},
             {"polygon": [[0,0],[10,0],[10,10]], "text": "這裡", "language": "Chinese"},
             {"polygon": [[1.9,2.7],[10,0],[10,10]], "text": "x", "language": "Korean", "color": null}]},
          {"img_name": "b.png", "wm_score": 1.5},
          {"img_name": "c.png", "annotations": null}
        ], "other": {"ignored": [1, 2]}, "data_root": "imgs"}
        """);
    AnyWordDataset ds = AnyWordDataset.load(List.of(AnyWordSource.of(json)));
    assertEquals(2, ds.size(), "the watermarked image (wm_score 1.5 > 1.0) is skipped");
    AnyWordEntry a = ds.get(0);
    assertEquals("a   b  c", a.caption(), "every * becomes a space; no wm_score, no suffix");
    assertEquals(dir.resolve("imgs/a.png").toAbsolutePath(), a.imagePath(), "data_root after data_list, relative to the file");
    assertEquals(2, a.lines().size(), "the empty polygon is dropped");
    assertEquals(Languages.CHINESE_TRA, a.lines().get(0).language());
    assertEquals(Polygon.of(1, 2, 10, 0, 10, 10), a.lines().get(1).polygon(), "coordinates truncate like int32");
    assertArrayEquals(new int[] {500, 500, 500}, a.lines().get(1).color());
    assertEquals("", ds.get(1).caption());
    AnyWordDataset.SourceReport r = ds.reports().get(0);
    assertEquals(1, r.watermarked());
    assertEquals(1, r.emptyPolygons());
    AnyWordDataset loose = AnyWordDataset.load(List.of(AnyWordSource.of(json)), 2.0, false);
    assertEquals(3, loose.size());
    assertEquals("", loose.get(1).caption(), "no watermark suffix when cap_watermark is off");
  }

  @Test
  void skipsAndCountsMalformedEntries() throws IOException {
    String good = "{\"img_name\": \"ok.png\", \"annotations\": [{\"polygon\": [[0,0],[5,0],[5,5]], \"text\": \"ok\", \"language\": \"Latin\"}]}";
    String[] bad = {
      "\"just a string\"",
      "{\"caption\": \"no image name\"}",
      "{\"img_name\": 7}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": \"0,0,1,1\", \"text\": \"t\", \"language\": \"Latin\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0],[1,1]], \"text\": \"t\", \"language\": \"Latin\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0,3],[1,1],[2,2]], \"text\": \"t\", \"language\": \"Latin\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0],[1,1],[2,2]], \"language\": \"Latin\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0],[1,1],[2,2]], \"text\": \"t\", \"language\": \"Klingon\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0],[1,1],[2,2]], \"text\": \"t\", \"language\": \"Latin\", \"color\": [1,2]}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"polygon\": [[0,0],[1,1],[2,2]], \"text\": \"t\", \"language\": \"Latin\", \"valid\": \"yes\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": [{\"text\": \"t\", \"language\": \"Latin\"}]}",
      "{\"img_name\": \"p.png\", \"annotations\": {\"polygon\": []}}",
      "{\"img_name\": \"p.png\", \"wm_score\": \"low\"}",
    };
    String list = good + "," + String.join(",", bad) + "," + good;
    Path json = write("bad.json", "{\"data_root\": \".\", \"data_list\": [" + list + "]}");
    AnyWordDataset ds = AnyWordDataset.load(List.of(AnyWordSource.of(json)));
    assertEquals(2, ds.size());
    assertEquals(bad.length, ds.malformedCount());
    assertEquals(bad.length, ds.reports().get(0).malformed());
    assertEquals(IntStream.rangeClosed(1, bad.length).boxed().toList(),
        ds.issues().stream().map(DataIssue::index).toList());
    String all = ds.issues().stream().map(DataIssue::message).collect(Collectors.joining("\n"));
    for (String expected : List.of("expected an entry object, found the string", "entry has no img_name",
        "at least 3 points", "[x, y] numbers", "annotation 0 has no text", "\"Klingon\"", "color to be [r, g, b]",
        "valid to be true or false", "annotation 0 has no polygon", "annotations to be an array",
        "wm_score to be a number")) {
      assertTrue(all.contains(expected), "missing message '" + expected + "' in:\n" + all);
    }
  }

  @Test
  void unreadableFilesAreOneFatalError() throws IOException {
    Path missing = dir.resolve("none.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AnyWordDataset.load(List.of(AnyWordSource.of(missing))));
    assertTrue(e.getMessage().contains("none.json"), e.getMessage());

    Path syntax = write("syntax.json", "{\"data_root\": \".\",\n \"data_list\": [ {\"img_name\": \"a\" ]}");
    e = assertThrows(IllegalArgumentException.class, () -> AnyWordDataset.load(List.of(AnyWordSource.of(syntax))));
    assertTrue(e.getMessage().contains("syntax.json") && e.getMessage().contains("line 2"), e.getMessage());

    Path array = write("array.json", "[1, 2]");
    e = assertThrows(IllegalArgumentException.class, () -> AnyWordDataset.load(List.of(AnyWordSource.of(array))));
    assertTrue(e.getMessage().contains("JSON object"), e.getMessage());

    Path noRoot = write("noroot.json", "{\"data_list\": []}");
    e = assertThrows(IllegalArgumentException.class, () -> AnyWordDataset.load(List.of(AnyWordSource.of(noRoot))));
    assertTrue(e.getMessage().contains("data_root"), e.getMessage());

    Path noList = write("nolist.json", "{\"data_root\": \".\"}");
    e = assertThrows(IllegalArgumentException.class, () -> AnyWordDataset.load(List.of(AnyWordSource.of(noList))));
    assertTrue(e.getMessage().contains("data_list"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> AnyWordDataset.load(List.of()));
  }

  private Path numbered(String name, int n, int... watermarked) throws IOException {
    StringBuilder sb = new StringBuilder("{\"data_root\": \"" + name + "\", \"data_list\": [");
    for (int i = 0; i < n; i++) {
      final int k = i;
      boolean wm = IntStream.of(watermarked).anyMatch(w -> w == k);
      sb.append(i > 0 ? "," : "").append("{\"img_name\": \"").append(i).append(".png\"")
          .append(wm ? ", \"wm_score\": 2.0" : "").append("}");
    }
    return write(name + ".json", sb.append("]}").toString());
  }

  private static List<String> names(AnyWordDataset ds) {
    return ds.entries().stream()
        .map(e -> e.imagePath().getParent().getFileName() + "/" + e.imagePath().getFileName()).toList();
  }

  @Test
  void percentKeepsAPrefixOfEachFileInOrder() throws IOException {
    Path a = numbered("a", 10);
    Path b = numbered("b", 4, 1);
    AnyWordDataset ds = AnyWordDataset.load(List.of(new AnyWordSource(a, 0.3), AnyWordSource.of(b)));
    // a: 10·0.3 = 3.0000000000000004 → the first ⌊3⌋+1 = 4 entries (TRAINING.md §1.5, P-24)
    assertEquals(List.of("a/0.png", "a/1.png", "a/2.png", "a/3.png", "b/0.png", "b/2.png", "b/3.png"), names(ds));
    // watermark-skipped entries do not count towards the limit: 6·0.5 = 3 → 4 kept, skipping 1 and 2
    Path c = numbered("c", 6, 1, 2);
    AnyWordDataset half = AnyWordDataset.load(List.of(new AnyWordSource(c, 0.5)));
    assertEquals(List.of("c/0.png", "c/3.png", "c/4.png", "c/5.png"), names(half));
    AnyWordDataset tiny = AnyWordDataset.load(List.of(new AnyWordSource(c, 0.01)));
    assertEquals(List.of("c/0.png"), names(tiny));
  }

  @Test
  void malformedEntriesAfterThePercentCutAreNotLookedAt() throws IOException {
    Path p = write("cut.json", "{\"data_root\": \".\", \"data_list\": [{\"img_name\": \"0\"}, {\"img_name\": \"1\"},"
        + " {\"img_name\": \"2\"}, {\"img_name\": \"3\"}, 5]}");
    AnyWordDataset ds = AnyWordDataset.load(List.of(new AnyWordSource(p, 0.2)));
    assertEquals(2, ds.size());
    assertEquals(0, ds.malformedCount());
  }

  @Test
  void parsesSourceSpecs() {
    assertEquals(new AnyWordSource(Path.of("a.json"), 0.25), AnyWordSource.parse("a.json:0.25"));
    assertEquals(AnyWordSource.of(Path.of("C:dir")), AnyWordSource.parse("C:dir"));
    assertThrows(IllegalArgumentException.class, () -> AnyWordSource.parse("a.json:1.5"));
    assertThrows(IllegalArgumentException.class, () -> new AnyWordSource(Path.of("a.json"), 0));
  }
}
