package io.anytext2.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.pipeline.StepListener;
import io.anytext2.sdk.prep.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The API on the tiny model (128×128, 2 steps) over loopback: what a client sends and gets back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTinyModelTest {
  private AnyText2Server server;
  private Engine engine;
  private Http http;

  @BeforeAll
  void start() throws Exception {
    TinyModel.packageDir(); // skips without the fixtures
    engine = TinyModel.engine();
    server = AnyText2Server.start(ServerConfig.defaults().withPort(0).withWorkers(2, 16), () -> engine);
    assertTrue(server.awaitReady(Duration.ofMinutes(2)), "server ready: " + server.loadError());
    http = new Http(server.uri());
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  private static Map<String, Object> generateBody(long seed) {
    return Map.of("prompt", "a wooden sign", "width", 128, "height", 128, "steps", 2, "seed", seed, "lines",
        List.of(Map.of("text", "HELLO", "color", "200,30,40"), Map.of("text", "Java2", "font", "DejaVu Sans")));
  }

  private static RgbImage png(String base64) {
    return ImageCodec.decode(Base64.getDecoder().decode(base64), "result", 1 << 24);
  }

  @Test
  void generateMatchesThePipelineAndTheReturnedRequestReplaysIt() throws Exception {
    Http.Reply r = http.postJson("/api/generate", generateBody(5));
    assertEquals(200, r.status(), r.text());
    JsonNode j = r.json();
    assertEquals(5, j.get("seed").asLong());
    assertEquals(1, j.get("images").size());
    assertEquals(2, j.get("positions").size());
    assertTrue(j.get("timings").get("total_ms").asLong() >= j.get("timings").get("run_ms").asLong());
    assertEquals("CPU", j.get("provider").asText());
    RgbImage got = png(j.get("images").get(0).asText());
    assertEquals(128, got.width());

    AnyText2Request same = AnyText2Request.generate("a wooden sign").size(128, 128).steps(2).seed(5)
        .line(TextLine.of("HELLO").withColor(new Rgb(200, 30, 40))).line(TextLine.of("Java2").withFont(FontChoice.parse("DejaVu Sans")))
        .build();
    GenerationResult direct = engine.run(same, StepListener.NONE);
    assertArrayEquals(direct.images().get(0).pixels(), got.pixels(), "the API runs exactly the request the JSON describes");

    Http.Reply replay = http.postJson("/api/generate", Http.JSON.writeValueAsString(j.get("request")));
    assertEquals(200, replay.status(), replay.text());
    assertEquals(j.get("images").get(0).asText(), replay.json().get("images").get(0).asText(), "the returned request reproduces the picture");

    Http.Reply other = http.postJson("/api/generate", generateBody(6));
    assertFalse(j.get("images").get(0).asText().equals(other.json().get("images").get(0).asText()), "another seed, another picture");
  }

  @Test
  void acceptImagePngReturnsTheFirstPicture() throws Exception {
    byte[] body = Http.JSON.writeValueAsBytes(generateBody(9));
    Http.Reply r = http.post("/api/generate", "application/json", body, "image/png");
    assertEquals(200, r.status(), r.text());
    assertEquals("image/png", r.header("Content-Type"));
    assertEquals("9", r.header("X-Seed"));
    assertEquals(128, ImageCodec.decode(r.body(), "png", 1 << 20).height());
  }

  @Test
  void editByJsonAndByMultipartKeepsPixelsOutsideTheMask() throws Exception {
    Path tiny = TinyModel.fixture();
    byte[] image = Files.readAllBytes(tiny.resolve("edit_ori_image.png"));
    byte[] mask = Files.readAllBytes(tiny.resolve("edit_draw_pos.png"));
    Map<String, Object> req = Map.of("prompt", "A letter picture", "steps", 2, "seed", 4, "lines", List.of(Map.of("text", "NEW")));
    ObjectNode json = Http.JSON.valueToTree(req);
    json.put("image", "data:image/png;base64," + Base64.getEncoder().encodeToString(image));
    json.put("mask", Base64.getMimeEncoder().encodeToString(mask)); // MIME base64 (line breaks) is accepted too
    Http.Reply byJson = http.postJson("/api/edit", json);
    assertEquals(200, byJson.status(), byJson.text());

    byte[] multipart = Http.multipart("b0undary", "request", null, Http.JSON.writeValueAsBytes(req), "image", "photo.png", image,
        "mask", "mask.png", mask);
    Http.Reply byParts = http.post("/api/edit", "multipart/form-data; boundary=b0undary", multipart, null);
    assertEquals(200, byParts.status(), byParts.text());
    assertEquals(byJson.json().get("images").get(0).asText(), byParts.json().get("images").get(0).asText());

    RgbImage in = ImageCodec.decode(image, "in", 1 << 20);
    RgbImage m = ImageCodec.decode(mask, "mask", 1 << 20);
    RgbImage out = png(byJson.json().get("images").get(0).asText());
    int outside = 0;
    int differentOutside = 0;
    int changedInside = 0;
    for (int i = 0; i < in.width() * in.height(); i++) {
      boolean inMask = (m.pixels()[3 * i] & 0xff) > 254;
      boolean same = in.pixels()[3 * i] == out.pixels()[3 * i] && in.pixels()[3 * i + 1] == out.pixels()[3 * i + 1]
          && in.pixels()[3 * i + 2] == out.pixels()[3 * i + 2];
      if (!inMask) {
        outside++;
        if (!same) differentOutside++;
      } else if (!same) {
        changedInside++;
      }
    }
    assertTrue(outside > 1000, "mask leaves most of the picture");
    assertEquals(0, differentOutside, "pixels outside the mask are the input's");
    assertTrue(changedInside > 0, "the masked area was regenerated");
    assertEquals("edit", byJson.json().get("request").get("mode").asText());
  }

  @Test
  void asyncJobReportsProgressAndServesItsPictures() throws Exception {
    Map<String, Object> body = Map.of("prompt", "a \"SALE\" poster", "width", 128, "height", 128, "steps", 6, "seed", 1, "count", 2);
    Http.Reply accepted = http.postJson("/api/generate?async=1", body);
    assertEquals(202, accepted.status(), accepted.text());
    String id = accepted.json().get("id").asText();
    assertEquals("/api/jobs/" + id, accepted.header("Location"));
    JsonNode job;
    int lastStep = 0;
    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    do {
      job = http.get("/api/jobs/" + id).json();
      assertTrue(job.get("step").asInt() >= lastStep, "progress only grows");
      lastStep = job.get("step").asInt();
      Thread.sleep(20);
    } while (!job.get("status").asText().equals("done") && System.nanoTime() < until);
    assertEquals("done", job.get("status").asText(), job.toString());
    assertEquals(job.get("total").asInt(), job.get("step").asInt());
    assertEquals(2, job.get("result").get("images").size());
    Http.Reply second = http.get("/api/jobs/" + id + "/images/2");
    assertEquals(200, second.status());
    assertEquals("image/png", second.header("Content-Type"));
    assertEquals(job.get("result").get("images").get(1).asText(), Base64.getEncoder().encodeToString(second.body()));
    assertEquals(404, http.get("/api/jobs/" + id + "/images/3").status());
    assertEquals(409, http.delete("/api/jobs/" + id).status(), "a finished job cannot be cancelled");
    assertEquals(404, http.get("/api/jobs/0123456789abcdef").status());
  }

  @Test
  void concurrentClientsAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Http.Reply>> replies = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = t;
        replies.add(pool.submit(() -> http.postJson("/api/generate", generateBody(seed))));
      }
      for (int t = 0; t < 8; t++) {
        Http.Reply r = replies.get(t).get();
        assertEquals(200, r.status(), r.text()); // 2 workers + 16 waiting: nobody is turned away
        assertEquals(t, r.json().get("seed").asLong());
        assertEquals(128, png(r.json().get("images").get(0).asText()).width());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void healthMetricsFontsAndPage() throws Exception {
    JsonNode h = http.get("/health").json();
    assertEquals("ready", h.get("status").asText());
    assertTrue(h.get("model_loaded").asBoolean());
    assertEquals("CPU", h.get("provider").asText());
    http.postJson("/api/generate", generateBody(2));
    String metrics = http.get("/metrics").text();
    for (String want : List.of("anytext2_http_requests_total{route=\"generate\",code=\"200\"}", "anytext2_jobs_total{outcome=\"done\"}",
        "anytext2_job_duration_seconds_bucket{le=\"+Inf\"}", "anytext2_queue_depth 0", "anytext2_model_loaded 1",
        "process_resident_memory_bytes", "jvm_memory_heap_used_bytes", "anytext2_info{model=\"tiny\",provider=\"CPU\"} 1")) {
      assertTrue(metrics.contains(want), want + " in\n" + metrics);
    }
    JsonNode fonts = http.get("/api/fonts").json().get("fonts");
    assertTrue(fonts.toString().contains("DejaVu Sans"), fonts.toString());
    Http.Reply page = http.get("/");
    assertEquals(200, page.status());
    assertTrue(page.text().contains("<canvas id=\"canvas\""));
    assertTrue(http.get("/app.js").header("Content-Type").startsWith("text/javascript"));
  }
}
