package io.anytext2.sdk.runtime;

/** A graph call that failed at run time (the cause carries ONNX Runtime's exception). */
public final class InferenceException extends RuntimeException {
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
