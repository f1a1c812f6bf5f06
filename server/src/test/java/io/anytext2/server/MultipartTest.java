package io.anytext2.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartTest {
  @Test
  void partsKeepTheirBytesEvenWithCrlfAndBoundaryLikeData() {
    byte[] binary = {0, 13, 10, 45, 45, 98, (byte) 255, 13, 10};
    byte[] body = Http.multipart("XyZ", "request", null, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "image", "p.png", binary);
    Map<String, Multipart.Part> parts = Multipart.parse(body, Multipart.boundary("multipart/form-data; boundary=\"XyZ\""));
    assertEquals(2, parts.size());
    assertEquals("{\"a\":1}", new String(parts.get("request").data(), StandardCharsets.UTF_8));
    assertArrayEquals(binary, parts.get("image").data());
    assertEquals("p.png", parts.get("image").filename());
  }

  @Test
  void malformedBodiesAre400() {
    assertEquals(400, assertThrows(ApiException.class, () -> Multipart.boundary("multipart/form-data")).status());
    assertThrows(ApiException.class, () -> Multipart.parse("no boundary here".getBytes(StandardCharsets.UTF_8), "b"));
    byte[] unclosed = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc".getBytes(StandardCharsets.UTF_8);
    assertTrue(assertThrows(ApiException.class, () -> Multipart.parse(unclosed, "b")).getMessage().contains("not closed"));
    byte[] twice = Http.multipart("b", "x", null, new byte[1], "x", null, new byte[1]);
    assertTrue(assertThrows(ApiException.class, () -> Multipart.parse(twice, "b")).getMessage().contains("twice"));
    byte[] nameless = "--b\r\nContent-Type: text/plain\r\n\r\nabc\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
    assertTrue(assertThrows(ApiException.class, () -> Multipart.parse(nameless, "b")).getMessage().contains("no name"));
  }
}
