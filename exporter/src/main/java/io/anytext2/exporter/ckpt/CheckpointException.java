package io.anytext2.exporter.ckpt;

/**
 * A checkpoint file cannot be read: it is malformed, truncated, not of a supported format, or it
 * references code that is not allowed. The message names the file and, where there is one, the
 * tensor key or the offending pickle global.
 */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
