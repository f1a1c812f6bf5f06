package io.anytext2.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.io.RequestJson;
import io.anytext2.sdk.prep.RgbImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON the service answers with. */
final class JobViews {
  static final ObjectMapper JSON = new ObjectMapper();

  private JobViews() {}

  /** Milliseconds spent waiting for a worker, running, and in all. */
  record Timings(@JsonProperty("queued_ms") long queuedMs, @JsonProperty("run_ms") long runMs, @JsonProperty("total_ms") long totalMs) {}

  /**
   * A finished run: base64 PNGs plus the sidecar fields. {@code request} is the sidecar of the run
   * (seed filled in); POSTing it back, with the same pictures for an edit, reproduces the images.
   */
  record Result(
      String id,
      List<String> images,
      long seed,
      int steps,
      List<List<Integer>> positions,
      String provider,
      Timings timings,
      RequestJson request) {}

  /** A job as {@code GET /api/jobs/{id}} shows it ({@code result} once done, {@code error} once failed). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Status(String id, String status, String mode, int step, int total, @JsonProperty("elapsed_ms") long elapsedMs,
      String error, Result result) {}

  static Result result(Job job, String modelName) {
    GenerationResult r = job.result();
    List<String> images = new ArrayList<>();
    for (RgbImage img : r.images()) images.add(Base64.getEncoder().encodeToString(ImageCodec.png(img)));
    List<List<Integer>> positions = RequestJson.positions(r);
    RequestJson side = RequestJson.sidecar(job.request, r, null, null,
        new RequestJson.Result(modelName, r.provider(), r.steps(), r.millis(), null, positions));
    return new Result(job.id, images, r.seed(), r.steps(), positions, r.provider(), timings(job), side);
  }

  static Status status(Job job, String modelName) {
    Job.State s = job.state();
    long end = s.finished() ? job.finishedNanos() : System.nanoTime();
    return new Status(job.id, s.wire(), job.request.mode().name().toLowerCase(java.util.Locale.ROOT), job.step(), job.total(),
        (end - job.submittedNanos) / 1_000_000, job.error(), s == Job.State.DONE ? result(job, modelName) : null);
  }

  static Timings timings(Job job) {
    long started = job.startedNanos() == 0 ? job.finishedNanos() : job.startedNanos();
    return new Timings((started - job.submittedNanos) / 1_000_000, (job.finishedNanos() - started) / 1_000_000,
        (job.finishedNanos() - job.submittedNanos) / 1_000_000);
  }

  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code {"error": "..."}} with the message on one line. */
  static byte[] error(String message) {
    String m = message == null ? "error" : message.lines().findFirst().orElse(message);
    return bytes(java.util.Map.of("error", m));
  }
}
