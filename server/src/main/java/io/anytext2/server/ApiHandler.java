package io.anytext2.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anytext2.sdk.AnyText2Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request of the service: routes by exact path, answers errors as one-line JSON, counts
 * each request in the metrics under a fixed route name.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern JOB = Pattern.compile("/api/jobs/([0-9a-f]{16})");
  private static final Pattern JOB_IMAGE = Pattern.compile("/api/jobs/([0-9a-f]{16})/images/([0-9]{1,2})");
  /** How long a synchronous request waits past its deadline for the worker to stop at a step boundary. */
  private static final long STOP_GRACE_MS = 2000;

  private final AnyText2Server server;
  private final StaticPages pages = new StaticPages();

  ApiHandler(AnyText2Server server) {
    this.server = server;
  }

  /** What to send back. */
  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Reply json(int status, Object value) {
      return new Reply(status, "application/json", JobViews.bytes(value), Map.of());
    }

    static Reply error(int status, String message) {
      return new Reply(status, "application/json", JobViews.error(message), Map.of());
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    server.metrics().httpInFlight.incrementAndGet();
    String[] route = {"other"};
    Reply reply;
    try {
      reply = dispatch(ex, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), route);
    } catch (ApiException e) {
      reply = Reply.error(e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      reply = Reply.error(400, JobQueue.oneLine(e));
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.warn("{} {} failed", ex.getRequestMethod(), route[0], e);
      reply = Reply.error(500, "internal error: " + JobQueue.oneLine(e));
    }
    try {
      send(ex, reply);
    } finally {
      server.metrics().http(route[0], reply.status());
      server.metrics().httpInFlight.decrementAndGet();
      ex.close();
    }
  }

  private Reply dispatch(HttpExchange ex, String method, String path, String[] route) throws IOException {
    StaticPages.Page page = pages.get(path);
    if (page != null) {
      route[0] = "page";
      requireMethod(method, "GET");
      return new Reply(200, page.contentType(), page.body(), Map.of("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'"));
    }
    switch (path) {
      case "/health":
        route[0] = "health";
        requireMethod(method, "GET");
        return health();
      case "/metrics":
        route[0] = "metrics";
        requireMethod(method, "GET");
        return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", server.metrics().render(snapshot()).getBytes(
            java.nio.charset.StandardCharsets.UTF_8), Map.of());
      case "/api/fonts":
        route[0] = "fonts";
        requireMethod(method, "GET");
        return Reply.json(200, Map.of("fonts", ready().decoder().fonts()));
      case "/api/generate":
        route[0] = "generate";
        requireMethod(method, "POST");
        return submit(ex, AnyText2Request.Mode.GENERATE);
      case "/api/edit":
        route[0] = "edit";
        requireMethod(method, "POST");
        return submit(ex, AnyText2Request.Mode.EDIT);
      default:
        break;
    }
    Matcher m = JOB.matcher(path);
    if (m.matches()) {
      route[0] = "job";
      if (method.equals("DELETE")) return cancel(m.group(1));
      requireMethod(method, "GET");
      return Reply.json(200, JobViews.status(job(m.group(1)), ready().queue().engine().model()));
    }
    m = JOB_IMAGE.matcher(path);
    if (m.matches()) {
      route[0] = "job_image";
      requireMethod(method, "GET");
      return image(job(m.group(1)), Integer.parseInt(m.group(2)));
    }
    route[0] = "not_found";
    return Reply.error(404, "no such page: " + (path.length() > 80 ? path.substring(0, 80) + "…" : path));
  }

  private Reply health() {
    AnyText2Server.State s = server.state();
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", s.name().toLowerCase(Locale.ROOT));
    JobQueue q = server.queue();
    h.put("model_loaded", q != null && s == AnyText2Server.State.READY);
    if (q != null) {
      h.put("model", q.engine().model());
      h.put("provider", q.engine().provider());
      h.put("native_size", q.engine().nativeSize());
      h.put("running", q.running());
      h.put("queued", q.waiting());
    }
    h.put("workers", server.config().workers());
    h.put("queue_capacity", server.config().queueCapacity());
    if (server.loadError() != null) h.put("error", server.loadError());
    return Reply.json(s == AnyText2Server.State.READY ? 200 : 503, h);
  }

  private Metrics.Snapshot snapshot() {
    JobQueue q = server.queue();
    boolean loaded = q != null && server.state() == AnyText2Server.State.READY;
    return new Metrics.Snapshot(loaded, q == null ? "" : q.engine().model(), q == null ? "" : q.engine().provider(),
        q == null ? 0 : q.waiting(), server.config().queueCapacity(), q == null ? 0 : q.running(), server.config().workers());
  }

  /** The server when it takes requests; 503 while loading, after a failed load and while shutting down. */
  private AnyText2Server ready() {
    switch (server.state()) {
      case READY:
        return server;
      case LOADING:
        throw new ApiException(503, "the model is still loading; retry shortly");
      case FAILED:
        throw new ApiException(503, "the model could not be loaded: " + server.loadError());
      default:
        throw new ApiException(503, "the service is shutting down");
    }
  }

  private Reply submit(HttpExchange ex, AnyText2Request.Mode mode) throws IOException {
    AnyText2Server s = ready();
    byte[] body = readBody(ex, server.config().maxBodyBytes());
    AnyText2Request request = s.decoder().decode(ex.getRequestHeaders().getFirst("Content-Type"), body, mode);
    Job job = s.queue().submit(request);
    if (isAsync(ex.getRequestURI().getRawQuery())) {
      Map<String, Object> accepted = new LinkedHashMap<>();
      accepted.put("id", job.id);
      accepted.put("status", job.state().wire());
      accepted.put("href", "/api/jobs/" + job.id);
      return new Reply(202, "application/json", JobViews.bytes(accepted), Map.of("Location", "/api/jobs/" + job.id));
    }
    Job done = await(job);
    if (done.state() != Job.State.DONE) {
      return new Reply(done.errorStatus(), "application/json", JobViews.error(done.error()), Map.of("X-Job-Id", job.id));
    }
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("image/png")) {
      Reply png = image(done, 1);
      return new Reply(200, png.contentType(), png.body(), Map.of("X-Job-Id", job.id, "X-Seed", Long.toString(done.result().seed())));
    }
    return new Reply(200, "application/json", JobViews.bytes(JobViews.result(done, s.queue().engine().model())), Map.of("X-Job-Id", job.id));
  }

  /** Waits for a synchronous job; past its deadline it is stopped and reported as timed out. */
  private static Job await(Job job) {
    long waitMs = Math.max(0, (job.deadlineNanos - System.nanoTime()) / 1_000_000) + 250;
    try {
      return job.completion.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      job.requestStop(Job.State.TIMED_OUT);
      try {
        return job.completion.get(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e2) {
        throw new ApiException(504, "timed out; the run is stopped at its next step (job " + job.id + ")");
      } catch (InterruptedException e2) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "interrupted while waiting");
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("job " + job.id + " completed exceptionally", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.requestStop(Job.State.CANCELLED);
      throw new ApiException(503, "interrupted while waiting");
    }
  }

  private Reply cancel(String id) {
    JobQueue q = ready().queue();
    Job job = job(id);
    if (!q.cancel(id)) return Reply.error(409, "job " + id + " has already finished (" + job.state().wire() + ")");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("status", "cancelling");
    return Reply.json(202, r);
  }

  private Job job(String id) {
    Job job = ready().queue().find(id);
    if (job == null) throw new ApiException(404, "no job " + id + " (unknown, or finished and forgotten)");
    return job;
  }

  private static Reply image(Job job, int k) {
    if (job.state() != Job.State.DONE) throw new ApiException(409, "job " + job.id + " has no pictures (" + job.state().wire() + ")");
    int n = job.result().images().size();
    if (k < 1 || k > n) throw new ApiException(404, "job " + job.id + " has images 1-" + n + ", not " + k);
    return new Reply(200, "image/png", ImageCodec.png(job.result().images().get(k - 1)),
        Map.of("Content-Disposition", "inline; filename=\"anytext2-" + job.id + "-" + k + ".png\""));
  }

  private static boolean isAsync(String query) {
    if (query == null) return false;
    for (String p : query.split("&")) {
      if (p.equals("async") || p.equals("async=1") || p.equals("async=true")) return true;
    }
    return false;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) throw new ApiException(405, "method " + method + " is not allowed here; use " + allowed);
  }

  /** The body, refusing more than {@code max} bytes (413) whether or not Content-Length says so. */
  static byte[] readBody(HttpExchange ex, long max) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length '" + declared + "' is not a number");
      }
      if (n > max) throw new ApiException(413, "the body has " + n + " bytes; this service takes at most " + max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = ex.getRequestBody()) {
      for (int r; (r = in.read(buf)) > 0; ) {
        if (out.size() + (long) r > max) throw new ApiException(413, "the body is over " + max + " bytes, the most this service takes");
        out.write(buf, 0, r);
      }
    }
    if (out.size() == 0) throw ApiException.badRequest("the body is empty: expected the request JSON");
    return out.toByteArray();
  }

  private static void send(HttpExchange ex, Reply r) throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", r.contentType());
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Cache-Control", "no-store");
    if (r.status() == 503) h.set("Retry-After", "5");
    if (r.status() == 429) h.set("Retry-After", "1");
    r.headers().forEach(h::set);
    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
    if (r.body().length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(r.body());
      }
    }
  }
}
