package io.anytext2.sdk.runtime;

/** A model package that cannot be used: missing or corrupt files, wrong graph inputs, unusable provider. */
public final class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
