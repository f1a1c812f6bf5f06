package io.anytext2.server;

/** A request that ends with an HTTP error status and a one-line message ({@code {"error": "..."}}). */
final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
