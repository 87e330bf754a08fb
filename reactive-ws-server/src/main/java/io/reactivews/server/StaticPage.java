package io.reactivews.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A page served to a plain HTTP GET on a WebSocket route, so a demo can ship its own web page on
 * the same port. Immutable; a {@link #generated} page makes its body for each request.
 *
 * <pre>{@code
 * Route.exact("/chat", chat).page(StaticPage.resource("/chat.html", "text/html; charset=utf-8"));
 * Route.exact("/metrics", WebSocketSession::close)
 *     .page(StaticPage.generated("text/plain; version=0.0.4", () -> scrape().getBytes(UTF_8)));
 * }</pre>
 */
public final class StaticPage {

  private final String contentType;
  private final byte[] body;
  /** Null for a page whose body is fixed. */
  private final Supplier<byte[]> generator;

  private StaticPage(String contentType, byte[] body) {
    this(contentType, body, null);
  }

  private StaticPage(String contentType, byte[] body, Supplier<byte[]> generator) {
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.body = body;
    this.generator = generator;
  }

  /**
   * A page whose body {@code generator} makes for each request, such as a metrics scrape. It runs
   * on the connection's event loop, so it must be quick and must not block.
   */
  public static StaticPage generated(String contentType, Supplier<byte[]> generator) {
    return new StaticPage(contentType, null, Objects.requireNonNull(generator, "generator"));
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

  /** The body as bytes; a copy, or for a generated page a new body. */
  public byte[] body() {
    return generator != null ? bodyUnsafe() : body.clone();
  }

  byte[] bodyUnsafe() {
    return generator != null ? Objects.requireNonNull(generator.get(), "generated body") : body;
  }
}
