package io.anytext2.server;

import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.pipeline.StepListener;

/** What the service runs requests on: a loaded {@link AnyText2Pipeline} (tests substitute slow or failing ones). */
public interface Engine extends AutoCloseable {
  /** Runs one request; must be safe to call from several workers at once. */
  GenerationResult run(AnyText2Request request, StepListener listener);

  /** Where the graphs run ("CPU", "CUDA device 0", …). */
  String provider();

  /** A short name of the loaded model (no server paths: it is shown to clients). */
  String model();

  /**
   * The picture side the model was trained at (manifest {@code nativeSize}): the size of generate
   * requests that give none. Engines without a package (test stand-ins) say SD1.5's 512.
   */
  default int nativeSize() {
    return ModelManifest.DEFAULT_NATIVE_SIZE;
  }

  @Override
  void close();

  /** The pipeline as an engine; closing the engine closes the pipeline. */
  static Engine of(AnyText2Pipeline pipeline, String modelName) {
    return new Engine() {
      @Override
      public GenerationResult run(AnyText2Request request, StepListener listener) {
        return pipeline.run(request, listener);
      }

      @Override
      public String provider() {
        return pipeline.provider();
      }

      @Override
      public String model() {
        return modelName;
      }

      @Override
      public int nativeSize() {
        return pipeline.nativeSize();
      }

      @Override
      public void close() {
        pipeline.close();
      }
    };
  }
}
