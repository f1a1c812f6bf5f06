package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.tensor.FloatTensor;

/** Progress of a sampling run, called after every DDIM step on the calling thread. */
@FunctionalInterface
public interface StepListener {
  StepListener NONE = (done, total, predX0) -> true;

  /**
   * @param done steps finished (1-based)
   * @param total steps of the run
   * @param predX0 the current x0 prediction [B,4,h,w] (decode it for a preview)
   * @return false to cancel the run (the pipeline then throws {@link java.util.concurrent.CancellationException})
   */
  boolean onStep(int done, int total, FloatTensor predX0);
}
