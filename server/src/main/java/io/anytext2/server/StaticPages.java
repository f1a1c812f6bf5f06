package io.anytext2.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page: a fixed set of class-path resources, looked up by exact request path. No request
 * path is ever turned into a file or resource name, so "../" and friends have nothing to reach.
 */
final class StaticPages {
  record Page(String contentType, byte[] body) {}

  private static final String DIR = "/io/anytext2/server/web/";

  private final Map<String, Page> pages;

  StaticPages() {
    Page index = load("index.html", "text/html; charset=utf-8");
    pages = Map.of(
        "/", index,
        "/index.html", index,
        "/app.js", load("app.js", "text/javascript; charset=utf-8"),
        "/style.css", load("style.css", "text/css; charset=utf-8"));
  }

  /** The page at exactly {@code path}, or null. */
  Page get(String path) {
    return pages.get(path);
  }

  private static Page load(String name, String type) {
    try (InputStream in = StaticPages.class.getResourceAsStream(DIR + name)) {
      if (in == null) throw new IllegalStateException("web resource " + DIR + name + " is missing from the jar");
      return new Page(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
