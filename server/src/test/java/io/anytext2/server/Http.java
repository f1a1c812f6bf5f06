package io.anytext2.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small blocking client for the tests. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final URI base;

  Http(URI base) {
    this.base = base;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Reply delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  Reply postJson(String path, Object body) throws IOException, InterruptedException {
    String json = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply post(String path, String contentType, byte[] body, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) b.header("Accept", accept);
    return send(b);
  }

  private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = CLIENT.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.body(), r.headers());
  }

  /** A multipart/form-data body of (name, filename or null, bytes) parts. */
  static byte[] multipart(String boundary, Object... nameFileBytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < nameFileBytes.length; i += 3) {
      String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + nameFileBytes[i] + "\""
          + (nameFileBytes[i + 1] == null ? "" : "; filename=\"" + nameFileBytes[i + 1] + "\"") + "\r\n\r\n";
      out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
      out.writeBytes((byte[]) nameFileBytes[i + 2]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
