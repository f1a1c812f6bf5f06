package io.anytext2.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A multipart/form-data body (RFC 7578) already read into memory (its size is capped before this
 * runs): named parts with their bytes. Enough for {@code curl -F request=@r.json -F image=@photo.jpg}.
 */
final class Multipart {
  static final int MAX_PARTS = 8;

  record Part(String name, String filename, String contentType, byte[] data) {}

  private Multipart() {}

  /** The boundary parameter of a multipart content type; 400 without one. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length()).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
        if (!b.isEmpty() && b.length() <= 70) return b;
      }
    }
    throw ApiException.badRequest("multipart body: expected a boundary parameter (1-70 characters) in Content-Type");
  }

  /** The parts by name; 400 for a malformed body, duplicate names or more than {@value #MAX_PARTS} parts. */
  static Map<String, Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] crlfDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) throw ApiException.badRequest("multipart body: boundary not found");
    pos += delimiter.length;
    Map<String, Part> parts = new LinkedHashMap<>();
    while (true) {
      if (startsWith(body, pos, "--")) return parts; // closing delimiter
      if (!startsWith(body, pos, "\r\n")) throw ApiException.badRequest("multipart body: expected CRLF after a boundary");
      pos += 2;
      int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (headerEnd < 0) throw ApiException.badRequest("multipart body: a part has no header end");
      String headers = new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8);
      int dataStart = headerEnd + 4;
      int dataEnd = indexOf(body, crlfDelimiter, dataStart);
      if (dataEnd < 0) throw ApiException.badRequest("multipart body: a part is not closed by the boundary");
      Part part = part(headers, java.util.Arrays.copyOfRange(body, dataStart, dataEnd));
      if (parts.containsKey(part.name())) throw ApiException.badRequest("multipart body: part '" + part.name() + "' is given twice");
      parts.put(part.name(), part);
      if (parts.size() > MAX_PARTS) throw ApiException.badRequest("multipart body: more than " + MAX_PARTS + " parts");
      pos = dataEnd + crlfDelimiter.length;
    }
  }

  private static Part part(String headers, byte[] data) {
    String name = null;
    String filename = null;
    String type = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (key.equals("content-disposition")) {
        name = param(value, "name");
        filename = param(value, "filename");
      } else if (key.equals("content-type")) {
        type = value;
      }
    }
    if (name == null || name.isEmpty()) throw ApiException.badRequest("multipart body: a part has no name in Content-Disposition");
    return new Part(name, filename, type, data);
  }

  private static String param(String disposition, String key) {
    for (String p : disposition.split(";")) {
      String t = p.trim();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase(key)) {
        String v = t.substring(eq + 1).trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int at, String s) {
    if (at + s.length() > b.length) return false;
    for (int i = 0; i < s.length(); i++) if (b[at + i] != (byte) s.charAt(i)) return false;
    return true;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
