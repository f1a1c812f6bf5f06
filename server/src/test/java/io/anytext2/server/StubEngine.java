package io.anytext2.server;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.pipeline.StepListener;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine that sleeps {@code stepMillis} per step and returns grey pictures: for queue, timeout and cancel tests. */
final class StubEngine implements Engine {
  final long stepMillis;
  final int nativeSize;
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  volatile boolean closed;

  StubEngine(long stepMillis) {
    this(stepMillis, 512);
  }

  /** {@code nativeSize}: the picture side a model package would declare (manifest {@code nativeSize}). */
  StubEngine(long stepMillis, int nativeSize) {
    this.stepMillis = stepMillis;
    this.nativeSize = nativeSize;
  }

  @Override
  public GenerationResult run(AnyText2Request r, StepListener listener) {
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      int steps = r.sampling().steps();
      for (int i = 1; i <= steps; i++) {
        try {
          Thread.sleep(stepMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancellationException("interrupted");
        }
        if (!listener.onStep(i, steps, null)) {
          cancelled.incrementAndGet();
          throw new CancellationException("cancelled after step " + i);
        }
      }
      int w = r.mode() == AnyText2Request.Mode.EDIT ? r.image().width() : r.width();
      int h = r.mode() == AnyText2Request.Mode.EDIT ? r.image().height() : r.height();
      List<RgbImage> images = new ArrayList<>();
      byte[] grey = new byte[w * h * 3];
      java.util.Arrays.fill(grey, (byte) 128);
      for (int i = 0; i < r.count(); i++) images.add(new RgbImage(w, h, grey));
      List<Polygon> positions = new ArrayList<>();
      for (int i = 0; i < r.lines().size(); i++) positions.add(Polygon.of(0, 0, 8, 0, 8, 8, 0, 8));
      return new GenerationResult(images, Math.max(0, r.seed()), r.lines().stream().map(TextLine::text).toList(), positions, steps,
          steps * stepMillis, "stub");
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public String provider() {
    return "stub";
  }

  @Override
  public String model() {
    return "stub";
  }

  @Override
  public int nativeSize() {
    return nativeSize;
  }

  @Override
  public void close() {
    closed = true;
  }
}
