package io.anytext2.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.sdk.prep.RgbImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queueing, refusal, timeouts, cancellation, loading and limits, on a stub engine with a known pace. */
class QueueAndLimitsTest {
  private AnyText2Server server;

  @AfterEach
  void stop() {
    if (server != null) server.close(Duration.ofSeconds(5));
  }

  private Http start(ServerConfig config, Supplier<Engine> engine) throws Exception {
    server = AnyText2Server.start(config.withPort(0), engine);
    server.awaitReady(Duration.ofSeconds(10));
    return new Http(server.uri());
  }

  private static Map<String, Object> body(int steps) {
    return Map.of("prompt", "a sign", "width", 64, "height", 64, "steps", steps, "lines", List.of(Map.of("text", "OK")));
  }

  private static JsonNode waitFor(Http http, String id, String status) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode j;
    do {
      j = http.get("/api/jobs/" + id).json();
      if (j.get("status").asText().equals(status)) return j;
      Thread.sleep(10);
    } while (System.nanoTime() < until);
    throw new AssertionError("job " + id + " never became " + status + ": " + j);
  }

  @Test
  void aFullQueueIsRefusedWith429AndCancelledJobsStop() throws Exception {
    StubEngine stub = new StubEngine(50);
    Http http = start(ServerConfig.defaults().withWorkers(1, 1), () -> stub);
    String running = http.postJson("/api/generate?async=1", body(100)).json().get("id").asText();
    waitFor(http, running, "running");
    Http.Reply queued = http.postJson("/api/generate?async=1", body(100));
    assertEquals(202, queued.status());
    assertEquals("queued", queued.json().get("status").asText());
    Http.Reply refused = http.postJson("/api/generate", body(1));
    assertEquals(429, refused.status(), refused.text());
    assertEquals("1", refused.header("Retry-After"));
    assertTrue(refused.json().get("error").asText().startsWith("busy"));
    JsonNode health = http.get("/health").json();
    assertEquals(1, health.get("running").asInt());
    assertEquals(1, health.get("queued").asInt());
    assertTrue(http.get("/metrics").text().contains("anytext2_queue_depth 1\n"));

    String waiting = queued.json().get("id").asText();
    assertEquals(202, http.delete("/api/jobs/" + waiting).status()); // first, so that it is still waiting when asked
    assertEquals(202, http.delete("/api/jobs/" + running).status());
    JsonNode stopped = waitFor(http, running, "cancelled");
    assertTrue(stopped.get("step").asInt() < 100, "stopped early: " + stopped);
    assertTrue(waitFor(http, waiting, "cancelled").get("error").asText().contains("in the queue"));
    assertEquals(1, stub.cancelled.get(), "only the running job needed the listener to stop");
    assertTrue(http.get("/metrics").text().contains("anytext2_jobs_total{outcome=\"rejected\"} 1\n"));
  }

  @Test
  void aSynchronousRequestPastItsTimeoutIsCancelledAnd504() throws Exception {
    StubEngine stub = new StubEngine(50);
    Http http = start(ServerConfig.defaults().withWorkers(1, 1).withTimeout(Duration.ofMillis(600)), () -> stub);
    long t0 = System.nanoTime();
    Http.Reply r = http.postJson("/api/generate", body(100)); // 5 s of work
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(504, r.status(), r.text());
    assertTrue(r.json().get("error").asText().startsWith("timed out after"), r.text());
    assertTrue(ms < 3000, "answered after " + ms + " ms");
    assertEquals(1, stub.cancelled.get());
    JsonNode job = http.get("/api/jobs/" + r.header("X-Job-Id")).json();
    assertEquals("timed_out", job.get("status").asText());
    assertTrue(job.get("step").asInt() < 100);
  }

  @Test
  void aJobThatTimesOutWhileQueuedNeverRuns() throws Exception {
    StubEngine stub = new StubEngine(400); // the first job stops at its step boundary at 800 ms, after the second's deadline
    Http http = start(ServerConfig.defaults().withWorkers(1, 1).withTimeout(Duration.ofMillis(500)), () -> stub);
    String first = http.postJson("/api/generate?async=1", body(100)).json().get("id").asText();
    String second = http.postJson("/api/generate?async=1", body(100)).json().get("id").asText();
    assertEquals("timed_out", waitFor(http, first, "timed_out").get("status").asText());
    JsonNode q = waitFor(http, second, "timed_out");
    assertTrue(q.get("error").asText().contains("in the queue"), q.toString());
    assertEquals(0, q.get("step").asInt());
    assertEquals(1, stub.cancelled.get(), "only the first ever ran");
  }

  @Test
  void concurrentClientsGetAResultOr429AndNoMoreThanTheWorkersRun() throws Exception {
    StubEngine stub = new StubEngine(20);
    Http http = start(ServerConfig.defaults().withWorkers(2, 2), () -> stub);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      replies.add(pool.submit(() -> {
        go.await();
        return http.postJson("/api/generate", body(10));
      }));
    }
    go.countDown();
    int ok = 0;
    int refused = 0;
    for (Future<Http.Reply> f : replies) {
      Http.Reply r = f.get();
      assertTrue(r.status() == 200 || r.status() == 429, r.status() + " " + r.text());
      if (r.status() == 200) {
        ok++;
        assertEquals(64, ImageCodec.decode(Base64.getDecoder().decode(r.json().get("images").get(0).asText()), "r", 1 << 20).width());
      } else {
        refused++;
      }
    }
    pool.shutdownNow();
    assertEquals(8, ok + refused);
    assertTrue(ok >= 2, "the first two always find room in the line, found " + ok);
    assertTrue(stub.maxRunning.get() <= 2, "at most 2 workers ran at once, found " + stub.maxRunning.get());
    String metrics = http.get("/metrics").text();
    assertTrue(metrics.contains("anytext2_jobs_total{outcome=\"done\"} " + ok + "\n"), metrics);
    if (refused > 0) assertTrue(metrics.contains("anytext2_http_requests_total{route=\"generate\",code=\"429\"} " + refused + "\n"));
  }

  @Test
  void whileLoadingTheApiAnswers503ThenServes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server = AnyText2Server.start(ServerConfig.defaults().withPort(0), () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new StubEngine(1);
    });
    Http http = new Http(server.uri());
    Http.Reply h = http.get("/health");
    assertEquals(503, h.status());
    assertEquals("loading", h.json().get("status").asText());
    assertFalse(h.json().get("model_loaded").asBoolean());
    Http.Reply r = http.postJson("/api/generate", body(1));
    assertEquals(503, r.status());
    assertEquals("5", r.header("Retry-After"));
    assertTrue(http.get("/metrics").text().contains("anytext2_model_loaded 0\n"));
    assertEquals(200, http.get("/").status(), "the page is served while loading");
    release.countDown();
    assertTrue(server.awaitReady(Duration.ofSeconds(10)));
    assertEquals(200, http.postJson("/api/generate", body(1)).status());
  }

  @Test
  void aFailedLoadIsReportedAndShutdownClosesTheEngine() throws Exception {
    Http failing = start(ServerConfig.defaults(), () -> {
      throw new IllegalArgumentException("no manifest.json in /models/x");
    });
    Http.Reply h = failing.get("/health");
    assertEquals(503, h.status());
    assertEquals("failed", h.json().get("status").asText());
    assertTrue(failing.postJson("/api/generate", body(1)).json().get("error").asText().contains("could not be loaded"));
    server.close();

    StubEngine stub = new StubEngine(30);
    Http http = start(ServerConfig.defaults().withWorkers(1, 2), () -> stub);
    String running = http.postJson("/api/generate?async=1", body(20)).json().get("id").asText();
    waitFor(http, running, "running");
    server.close(Duration.ofSeconds(10)); // lets the running job finish, then closes the engine
    assertTrue(stub.closed);
    assertEquals(AnyText2Server.State.STOPPED, server.state());
  }

  @Test
  void generateWithoutASizeRunsAtTheModelsNativeSize() throws Exception {
    Http http = start(ServerConfig.defaults().withLimits(1 << 20, 192 * 192, 4, 10), () -> new StubEngine(1, 192));
    assertEquals(192, http.get("/health").json().get("native_size").asInt());
    Map<String, Object> line = Map.of("text", "OK");
    Http.Reply none = http.postJson("/api/generate", Map.of("prompt", "a sign", "steps", 2, "lines", List.of(line)));
    assertEquals(200, none.status(), none.text());
    assertPicture(none, 192, 192);
    assertEquals(192, none.json().get("request").get("width").asInt(), "the sidecar names the size used");
    Http.Reply given = http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 64, "height", 128, "steps", 2));
    assertEquals(200, given.status(), given.text());
    assertPicture(given, 64, 128);
    Http.Reply half = http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 64, "steps", 2));
    assertEquals(200, half.status(), half.text());
    assertPicture(half, 64, 192);
    // the pixel limit applies to the size filled in
    Http.Reply two = http.postJson("/api/generate", Map.of("prompt", "a sign", "count", 2, "steps", 2));
    assertEquals(413, two.status(), two.text());
    assertTrue(two.json().get("error").asText().startsWith("the output is 192x192 x 2 images"), two.text());
  }

  private static void assertPicture(Http.Reply r, int width, int height) {
    RgbImage img = ImageCodec.decode(Base64.getDecoder().decode(r.json().get("images").get(0).asText()), "r", 1 << 20);
    assertEquals(width, img.width());
    assertEquals(height, img.height());
  }

  @Test
  void limitsOnBodyPixelsCountAndStepsAreEnforced() throws Exception {
    Http http = start(ServerConfig.defaults().withLimits(4096, 128 * 128, 2, 10), () -> new StubEngine(1));
    Http.Reply big = http.postJson("/api/generate", Map.of("prompt", "x".repeat(5000)));
    assertEquals(413, big.status(), big.text());
    Http.Reply wide = http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 256, "height", 128, "steps", 2));
    assertEquals(413, wide.status(), wide.text());
    assertTrue(wide.json().get("error").asText().contains("at most 16384"));
    assertEquals(413, http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 128, "height", 128, "count", 2, "steps", 2)).status());
    Http.Reply count = http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 64, "height", 64, "count", 3, "steps", 2));
    assertEquals(400, count.status());
    assertEquals(400, http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 64, "height", 64, "steps", 11)).status());
    // a picture larger than the pixel cap is refused from its header, before decoding
    byte[] png = ImageCodec.png(RgbImage.black(256, 128));
    Http.Reply image = http.postJson("/api/edit", Map.of("prompt", "x", "steps", 2, "image", Base64.getEncoder().encodeToString(png),
        "lines", List.of(Map.of("text", "A", "position", List.of(0, 0, 10, 0, 10, 10)))));
    assertEquals(413, image.status(), image.text());
    assertTrue(image.json().get("error").asText().startsWith("image is 256x128"));
    assertEquals(200, http.postJson("/api/generate", Map.of("prompt", "a sign", "width", 64, "height", 64, "steps", 2)).status());
  }
}
