package io.reactivews.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A page served to a plain HTTP GET on a WebSocket route, so a demo can ship its own web page on
 * the same port. Immutable.
 *
 * <pre>{@code
 * Route.exact("/chat", chat).page(StaticPage.resource("/chat.html", "text/html; charset=utf-8"));
 * }</pre>
 */
public final class StaticPage {

  private final String contentType;
  private final byte[] body;

  private StaticPage(String contentType, byte[] body) {
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.body = body;
  }

  public static StaticPage html(String html) {
    return new StaticPage("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  public static StaticPage of(String contentType, byte[] body) {
    return new StaticPage(contentType, body.clone());
  }

  /** A class-path resource, read once now. */
  public static StaticPage resource(String path, String contentType) {
    try (InputStream in = StaticPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource at " + path);
      }
      return new StaticPage(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String contentType() {
    return contentType;
  }

  /** The body as bytes; a copy. */
  public byte[] body() {
    return body.clone();
  }

  byte[] bodyUnsafe() {
    return body;
  }
}
