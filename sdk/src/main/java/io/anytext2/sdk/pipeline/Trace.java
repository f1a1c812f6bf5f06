package io.anytext2.sdk.pipeline;

import io.anytext2.sdk.tensor.FloatTensor;

/**
 * Receives named intermediate tensors of a run (line embeddings, contexts, control maps, every
 * step's latents). Parity checks and debugging use it; the default does nothing and costs nothing.
 */
@FunctionalInterface
public interface Trace {
  Trace NONE = (name, t) -> {};

  void tensor(String name, FloatTensor t);
}
