package io.anytext2.server;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import java.util.concurrent.CompletableFuture;

/** One request on its way through the queue: state, per-step progress, and its outcome. */
final class Job {
  enum State {
    QUEUED,
    RUNNING,
    DONE,
    FAILED,
    CANCELLED,
    TIMED_OUT;

    boolean finished() {
      return this != QUEUED && this != RUNNING;
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  final String id;
  final AnyText2Request request;
  final long submittedNanos;
  final long deadlineNanos;
  /** Completes (never exceptionally) when the job reaches a finished state. */
  final CompletableFuture<Job> completion = new CompletableFuture<>();

  private volatile State state = State.QUEUED;
  private volatile int step;
  private volatile int total;
  private volatile long startedNanos;
  private volatile long finishedNanos;
  private volatile GenerationResult result;
  private volatile int errorStatus;
  private volatile String error;
  /** Set once a stop was asked for: CANCELLED (a client) or TIMED_OUT (the deadline). */
  private volatile State stopReason;

  Job(String id, AnyText2Request request, long submittedNanos, long timeoutNanos) {
    this.id = id;
    this.request = request;
    this.submittedNanos = submittedNanos;
    this.deadlineNanos = submittedNanos + timeoutNanos;
    this.total = request.sampling().steps();
  }

  State state() {
    return state;
  }

  int step() {
    return step;
  }

  int total() {
    return total;
  }

  GenerationResult result() {
    return result;
  }

  int errorStatus() {
    return errorStatus;
  }

  String error() {
    return error;
  }

  long startedNanos() {
    return startedNanos;
  }

  long finishedNanos() {
    return finishedNanos;
  }

  /** Asks the job to stop (it stops before its next step, or at once if still queued). */
  void requestStop(State reason) {
    if (stopReason == null) stopReason = reason;
  }

  /** Whether the run should stop now (a stop was asked for, or the deadline passed). */
  boolean shouldStop(long nowNanos) {
    if (stopReason == null && nowNanos - deadlineNanos > 0) stopReason = State.TIMED_OUT;
    return stopReason != null;
  }

  State stopReason() {
    return stopReason;
  }

  void started(long nowNanos) {
    startedNanos = nowNanos;
    state = State.RUNNING;
  }

  void progress(int done, int of) {
    total = of;
    step = done;
  }

  synchronized void succeed(GenerationResult r, long nowNanos) {
    result = r;
    finish(State.DONE, nowNanos);
  }

  synchronized void fail(State how, int status, String message, long nowNanos) {
    errorStatus = status;
    error = message;
    finish(how, nowNanos);
  }

  private void finish(State s, long nowNanos) {
    if (state.finished()) return;
    finishedNanos = nowNanos;
    state = s;
    completion.complete(this);
  }
}
