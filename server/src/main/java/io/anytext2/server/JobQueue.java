package io.anytext2.server;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of workers in front of one engine, with a bounded waiting line: a request that finds
 * every worker busy and the line full is refused at once (429) instead of piling up. Every job has a
 * deadline counted from its arrival; a job past it is dropped from the line or cancelled through the
 * SDK's step listener (the pipeline stops before its next DDIM step).
 */
final class JobQueue {
  private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);
  private static final long RETENTION_NANOS = TimeUnit.MINUTES.toNanos(15);

  private final Engine engine;
  private final ServerConfig config;
  private final Metrics metrics;
  private final ThreadPoolExecutor workers;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<Job> finishedOrder = new ConcurrentLinkedDeque<>();
  private final AtomicInteger running = new AtomicInteger();
  private final SecureRandom ids = new SecureRandom();

  JobQueue(Engine engine, ServerConfig config, Metrics metrics) {
    this.engine = engine;
    this.config = config;
    this.metrics = metrics;
    // capacity 0: a SynchronousQueue hands a job only to an idle worker, so "busy" means "refused"
    BlockingQueue<Runnable> line = config.queueCapacity() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(config.queueCapacity());
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS, line, r -> {
      Thread t = new Thread(r, "anytext2-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    workers.prestartAllCoreThreads();
  }

  Engine engine() {
    return engine;
  }

  /** Queues a request; 429 when the line is full, 503 once shutting down. */
  Job submit(AnyText2Request request) {
    byte[] raw = new byte[8];
    ids.nextBytes(raw);
    Job job = new Job(HexFormat.of().formatHex(raw), request, System.nanoTime(), config.timeout().toNanos());
    jobs.put(job.id, job);
    try {
      workers.execute(() -> run(job));
    } catch (RejectedExecutionException e) {
      jobs.remove(job.id);
      metrics.jobFinished("rejected", 0, 0);
      if (workers.isShutdown()) throw new ApiException(503, "the service is shutting down");
      throw new ApiException(429, "busy: " + config.workers() + " running and " + config.queueCapacity() + " waiting; retry later");
    }
    return job;
  }

  Job find(String id) {
    return jobs.get(id);
  }

  /** Asks a job to stop; false when there is no such job or it has already finished. */
  boolean cancel(String id) {
    Job job = jobs.get(id);
    if (job == null || job.state().finished()) return false;
    job.requestStop(Job.State.CANCELLED);
    return true;
  }

  int waiting() {
    return workers.getQueue().size();
  }

  int running() {
    return running.get();
  }

  private void run(Job job) {
    long now = System.nanoTime();
    if (job.shouldStop(now)) {
      stopped(job, now, "in the queue");
      return;
    }
    job.started(now);
    running.incrementAndGet();
    try {
      GenerationResult r = engine.run(job.request, (done, total, x0) -> {
        job.progress(done, total);
        return !job.shouldStop(System.nanoTime());
      });
      job.succeed(r, System.nanoTime());
    } catch (CancellationException e) {
      stopped(job, System.nanoTime(), "after step " + job.step() + " of " + job.total());
    } catch (IllegalArgumentException e) {
      job.fail(Job.State.FAILED, 400, oneLine(e), System.nanoTime());
    } catch (OutOfMemoryError e) {
      job.fail(Job.State.FAILED, 503, "out of memory while running the request; retry with a smaller picture or count", System.nanoTime());
    } catch (RuntimeException | Error e) { // e.g. a native library failing: the job records it, the worker lives on
      LOG.warn("job {} failed", job.id, e);
      job.fail(Job.State.FAILED, 500, "the request failed: " + oneLine(e), System.nanoTime());
    } finally {
      running.decrementAndGet();
      if (!job.state().finished()) job.fail(Job.State.FAILED, 500, "the request ended without a result", System.nanoTime());
    }
    finished(job);
  }

  private void stopped(Job job, long now, String where) {
    if (job.stopReason() == Job.State.TIMED_OUT) {
      job.fail(Job.State.TIMED_OUT, 504, "timed out after " + seconds(config.timeout()) + " (stopped " + where + ")", now);
    } else {
      job.fail(Job.State.CANCELLED, 409, "cancelled (stopped " + where + ")", now);
    }
    if (job.startedNanos() == 0) finished(job);
  }

  private void finished(Job job) {
    long queued = (job.startedNanos() == 0 ? job.finishedNanos() : job.startedNanos()) - job.submittedNanos;
    metrics.jobFinished(job.state().wire(), queued / 1e9, (job.finishedNanos() - job.submittedNanos) / 1e9);
    LOG.info("job {} {} {} in {} ms", job.id, job.request.mode().name().toLowerCase(java.util.Locale.ROOT), job.state().wire(),
        (job.finishedNanos() - job.submittedNanos) / 1_000_000);
    finishedOrder.addLast(job);
    prune(System.nanoTime());
  }

  /** Forgets finished jobs past the retention count or age (their pictures are freed with them). */
  private void prune(long now) {
    while (true) {
      Job oldest = finishedOrder.peekFirst();
      if (oldest == null) return;
      boolean tooMany = finishedOrder.size() > config.retainedJobs();
      boolean tooOld = now - oldest.finishedNanos() > RETENTION_NANOS;
      if (!tooMany && !tooOld) return;
      if (finishedOrder.remove(oldest)) jobs.remove(oldest.id);
    }
  }

  /**
   * Stops taking jobs, cancels the waiting ones, lets running ones finish within {@code grace} and
   * then asks them to stop; true when every worker has ended.
   */
  boolean shutdown(Duration grace) throws InterruptedException {
    workers.shutdown();
    for (Job j : jobs.values()) {
      if (j.state() == Job.State.QUEUED) j.requestStop(Job.State.CANCELLED);
    }
    if (workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) return true;
    for (Job j : jobs.values()) j.requestStop(Job.State.CANCELLED);
    return workers.awaitTermination(30, TimeUnit.SECONDS);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
