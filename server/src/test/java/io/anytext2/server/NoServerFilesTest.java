package io.anytext2.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anytext2.sdk.prep.RgbImage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** No request can read or write a server file: traversal paths, file names in JSON, uploaded file names; bad input is one-line 400. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoServerFilesTest {
  private AnyText2Server server;
  private Http http;
  @TempDir Path secrets;

  @BeforeAll
  void start() throws Exception {
    server = AnyText2Server.start(ServerConfig.defaults().withPort(0), () -> new StubEngine(1));
    server.awaitReady(Duration.ofSeconds(10));
    http = new Http(server.uri());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Sends a request line as written (no client-side normalisation) and returns status line + body. */
  private String raw(String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      try (InputStream in = s.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
    }
  }

  @Test
  void traversalPathsReachNothing() throws Exception {
    Path pom = Path.of("pom.xml").toAbsolutePath();
    for (String target : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
        "/index.html/../../pom.xml", "/api/jobs/../../pom.xml", "/api/jobs/..%2f..%2fpom.xml", "/app.js%00.html",
        "//etc/passwd", "/io/anytext2/server/web/app.js", "/api/jobs/0123456789abcdef/images/..%2f..%2fpom.xml",
        "/" + pom, "/file:" + pom, "/api/fonts/../../pom.xml")) {
      String reply = raw(target);
      String status = reply.substring(0, reply.indexOf("\r\n"));
      assertTrue(status.contains(" 404 ") || status.contains(" 400 "), target + " -> " + status);
      assertFalse(reply.contains("root:") || reply.contains("<project") || reply.contains("'use strict'"), target + " leaked: " + reply);
    }
  }

  @Test
  void fileNamesInRequestsAreRefused() throws Exception {
    Path secret = Files.writeString(secrets.resolve("secret.png"), "not for clients");
    Map<String, Object> line = Map.of("text", "A", "position", List.of(0, 0, 10, 0, 10, 10));
    for (Object image : List.of(secret.toString(), "file://" + secret, "../../../etc/passwd", "part:image")) {
      Http.Reply r = http.postJson("/api/edit", Map.of("prompt", "x", "image", image, "lines", List.of(line)));
      assertEquals(400, r.status(), image + ": " + r.text());
    }
    for (String font : List.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "../../fonts/DejaVuSans.ttf", "C:\\Windows\\Fonts\\a.ttf",
        "x.otf")) {
      Http.Reply r = http.postJson("/api/generate", Map.of("prompt", "x", "width", 64, "height", 64, "lines",
          List.of(Map.of("text", "A", "font", font))));
      assertEquals(400, r.status(), font + ": " + r.text());
      assertTrue(r.json().get("error").asText().contains("bundled font name"), r.text());
    }
    assertEquals(200, http.postJson("/api/generate", Map.of("prompt", "x", "width", 64, "height", 64, "steps", 1, "lines",
        List.of(Map.of("text", "A", "font", "dejavusans")))).status(), "bundled names match without case and spaces");
  }

  @Test
  void uploadedFileNamesAreNeverUsed() throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    List<Path> before;
    try (Stream<Path> s = Files.list(cwd)) {
      before = s.toList();
    }
    byte[] png = ImageCodec.png(RgbImage.black(64, 64));
    byte[] req = Http.JSON.writeValueAsBytes(Map.of("prompt", "x", "steps", 1, "lines",
        List.of(Map.of("text", "A", "position", List.of(0, 0, 20, 0, 20, 20)))));
    byte[] body = Http.multipart("zz", "request", "../../request.json", req, "image", "../../../evil-upload.png", png);
    Http.Reply r = http.post("/api/edit", "multipart/form-data; boundary=zz", body, null);
    assertEquals(200, r.status(), r.text());
    try (Stream<Path> s = Files.list(cwd)) {
      assertEquals(before, s.toList(), "nothing was written next to the server");
    }
    assertFalse(Files.exists(cwd.resolve("../evil-upload.png")) || Files.exists(cwd.resolve("../../evil-upload.png")));
  }

  @Test
  void badInputIsA400WithAOneLineJsonError() throws Exception {
    Map<String, String> generate = new java.util.LinkedHashMap<>();
    generate.put("{", "not valid");
    generate.put("{\"prompt\":\"x\",\"bogus\":1}", "bogus");
    generate.put("{\"prompt\":\"x\",\"lines\":[{\"text\":\"1\"},{\"text\":\"2\"},{\"text\":\"3\"},{\"text\":\"4\"},{\"text\":\"5\"},{\"text\":\"6\"}]}",
        "at most 5");
    generate.put("{\"lines\":[{\"text\":\"A\",\"color\":\"red\"}]}", "colour");
    generate.put("{\"prompt\":\"x\",\"width\":100}", "multiple of 64");
    generate.put("{\"prompt\":\"\"}", "nothing to do");
    generate.put("{\"prompt\":\"x\",\"mode\":\"edit\"}", "mode");
    generate.put("{\"prompt\":\"x\",\"lines\":[{\"text\":\"A\",\"position\":[1,2,3]}]}", "position");
    generate.put("{\"prompt\":\"x\",\"lines\":[{\"text\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}]}", "20");
    generate.put("{\"prompt\":\"x\",\"steps\":\"many\"}", "not valid");
    generate.put("{\"prompt\":\"x\",\"sort\":\"diagonal\"}", "sort");
    generate.put("[]", "not valid");
    generate.put("null", "empty");
    for (Map.Entry<String, String> e : generate.entrySet()) {
      Http.Reply r = http.postJson("/api/generate", e.getKey());
      assertOneLineError(r, 400, e.getValue(), e.getKey());
    }
    assertOneLineError(http.postJson("/api/edit", "{\"prompt\":\"x\"}"), 400, "needs 'image'", "edit without image");
    assertOneLineError(http.postJson("/api/edit", "{\"prompt\":\"x\",\"image\":\"@@@@\"}"), 400, "base64", "bad base64");
    assertOneLineError(http.postJson("/api/edit", "{\"prompt\":\"x\",\"image\":\"aGVsbG8gd29ybGQ=\"}"), 400, "not a picture", "not a picture");
    assertOneLineError(http.post("/api/generate", "text/plain", "hi".getBytes(StandardCharsets.UTF_8), null), 415, "Content-Type", "text");
    assertOneLineError(http.post("/api/generate", "application/json", new byte[0], null), 400, "empty", "empty body");
    assertOneLineError(http.post("/api/generate", "multipart/form-data", "x".getBytes(StandardCharsets.UTF_8), null), 400, "boundary", "mp");
    assertOneLineError(http.get("/api/generate"), 405, "POST", "GET on POST route");
    assertOneLineError(http.get("/nope"), 404, "no such page", "404");
  }

  private static void assertOneLineError(Http.Reply r, int status, String fragment, String what) {
    assertEquals(status, r.status(), what + ": " + r.text());
    assertEquals("application/json", r.header("Content-Type"));
    JsonNode j = r.json();
    assertEquals(1, j.size(), what + ": " + r.text());
    String msg = j.get("error").asText();
    assertFalse(msg.contains("\n"), what + ": " + msg);
    assertTrue(msg.contains(fragment), what + ": expected '" + fragment + "' in " + msg);
  }
}
