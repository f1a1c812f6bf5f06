package io.anytext2.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in soak run ({@code -Danytext2.soak=true}): the tiny model on loopback, 4 clients sending a mix of
 * synchronous generate, edit and asynchronous (polled) generate requests until {@code anytext2.soak.requests}
 * (200) are done or {@code anytext2.soak.minutes} (5) have passed. Reports requests, errors, latency and the
 * process's resident memory before and after; the report also goes to target/soak-report.txt.
 */
@EnabledIfSystemProperty(named = "anytext2.soak", matches = "true")
class SoakTest {
  private static final int CLIENTS = 4;

  private static long rssAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ProcessMemory.residentBytes();
  }

  @Test
  void soak() throws Exception {
    int total = Integer.getInteger("anytext2.soak.requests", 200);
    Duration limit = Duration.ofMinutes(Integer.getInteger("anytext2.soak.minutes", 5));
    Path tiny = TinyModel.fixture();
    ObjectNode edit = Http.JSON.valueToTree(Map.of("prompt", "A letter picture", "steps", 4, "lines", List.of(Map.of("text", "NEW"))));
    edit.put("image", Base64.getEncoder().encodeToString(Files.readAllBytes(tiny.resolve("edit_ori_image.png"))));
    edit.put("mask", Base64.getEncoder().encodeToString(Files.readAllBytes(tiny.resolve("edit_draw_pos.png"))));

    try (AnyText2Server server = AnyText2Server.start(ServerConfig.defaults().withPort(0).withWorkers(2, 8)
        .withTimeout(Duration.ofSeconds(60)), TinyModel::engine)) {
      assertTrue(server.awaitReady(Duration.ofMinutes(2)), "ready: " + server.loadError());
      Http http = new Http(server.uri());
      for (int i = 0; i < 6; i++) assertEquals(200, http.postJson("/api/generate", generate(i)).status()); // warm-up
      long rssBefore = rssAfterGc();
      List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<String> errors = Collections.synchronizedList(new ArrayList<>());
      List<String> rssSeries = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger next = new AtomicInteger();
      AtomicLong peakRss = new AtomicLong(rssBefore);
      long deadline = System.nanoTime() + limit.toNanos();
      long t0 = System.nanoTime();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        clients.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < total && System.nanoTime() < deadline; ) {
            long s = System.nanoTime();
            int status;
            try {
              status = switch (i % 5) {
                case 3 -> http.postJson("/api/edit", edit).status();
                case 4 -> async(http, generate(i));
                default -> http.postJson("/api/generate", generate(i)).status();
              };
            } catch (Exception e) {
              status = -1;
              errors.add(i + ": " + e);
            }
            latenciesMs.add((System.nanoTime() - s) / 1_000_000);
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            if (status != 200 && status != -1) errors.add(i + ": HTTP " + status);
            long rss = ProcessMemory.residentBytes();
            peakRss.accumulateAndGet(rss, Math::max);
            if (i % 25 == 0) rssSeries.add(i + ":" + (rss >> 20) + "MB");
          }
          return null;
        });
      }
      clients.shutdown();
      assertTrue(clients.awaitTermination(limit.toMinutes() + 2, TimeUnit.MINUTES), "clients finished");
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rssAfter = rssAfterGc();
      List<Long> sorted = new ArrayList<>(latenciesMs);
      Collections.sort(sorted);
      String metrics = http.get("/metrics").text();
      String report = String.format(Locale.ROOT,
          "soak: %d of %d requests%s in %.1f s (%.2f/s) with %d clients, 2 workers; statuses %s; errors %d%n"
              + "latency ms: p50 %d, p95 %d, max %d%n"
              + "RSS after warm-up %d MB, after the run %d MB (%+d MB), peak %d MB; heap used %d MB%n"
              + "RSS series (request:RSS): %s%n%s",
          sorted.size(), total, sorted.size() < total ? " (stopped by the time limit)" : "", seconds, sorted.size() / seconds, CLIENTS,
          statuses, errors.size(),
          pct(sorted, 0.5), pct(sorted, 0.95), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
          rssBefore >> 20, rssAfter >> 20, (rssAfter - rssBefore) >> 20, peakRss.get() >> 20,
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, rssSeries,
          metrics.lines().filter(l -> l.startsWith("anytext2_jobs_total") || l.startsWith("anytext2_job_duration_seconds_count")
              || l.startsWith("anytext2_job_duration_seconds_sum")).reduce("", (a, b) -> a + b + "\n"));
      System.out.println(report);
      Files.writeString(Path.of("target", "soak-report.txt"), report);
      assertTrue(errors.isEmpty(), "errors: " + errors.subList(0, Math.min(5, errors.size())));
      assertTrue(sorted.size() >= Math.min(total, 10), "requests were served: " + sorted.size());
    }
  }

  private static Map<String, Object> generate(int i) {
    return Map.of("prompt", "a sign", "width", 128, "height", 128, "steps", 4, "seed", i, "lines",
        List.of(Map.of("text", "SOAK" + (i % 10), "color", "200,30,40")));
  }

  private static int async(Http http, Map<String, Object> body) throws Exception {
    Http.Reply r = http.postJson("/api/generate?async=1", body);
    if (r.status() != 202) return r.status();
    String id = r.json().get("id").asText();
    while (true) {
      JsonNode j = http.get("/api/jobs/" + id).json();
      String s = j.get("status").asText();
      if (s.equals("done")) return http.get("/api/jobs/" + id + "/images/1").status();
      if (!s.equals("queued") && !s.equals("running")) return 500;
      Thread.sleep(50);
    }
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }
}
