package io.reactivews.server;

import io.reactivews.core.limit.RateLimit;
import io.reactivews.core.session.SessionOptions;
import java.util.List;
import java.util.Objects;

/**
 * A path the server answers on, its handler, and what may differ from the server's defaults:
 * session limits, subprotocols, origins, a handshake hook, a page for plain GETs. Immutable:
 * each setter returns a copy; {@code null} settings fall back to the server's.
 *
 * <p>Matching: an exact route matches its path only; a prefix route (path ending in {@code /})
 * matches every path under it. Exact routes win, then the longest prefix. Query strings do not
 * take part and reach the handler through the session's handshake.
 *
 * <pre>{@code
 * Route.exact("/chat", chat).subprotocols("chat.v2", "chat.v1").page(chatPage)
 * Route.prefix("/games/", games).options(SessionOptions.defaults().maxMessageSize(64 << 10))
 * Route.exact("/chat", chat).rateLimit(RateLimit.of(20, 32 << 10))   // a flooder slows itself
 * }</pre>
 */
public final class Route {

  private final String path;
  private final boolean prefix;
  private final WebSocketHandler handler;
  private final SessionOptions options;
  private final List<String> subprotocols;
  private final OriginPolicy origins;
  private final HandshakeHook hook;
  private final StaticPage page;
  private final RateLimit rateLimit;

  private Route(String path, boolean prefix, WebSocketHandler handler, SessionOptions options,
      List<String> subprotocols, OriginPolicy origins, HandshakeHook hook, StaticPage page,
      RateLimit rateLimit) {
    this.path = path;
    this.prefix = prefix;
    this.handler = handler;
    this.options = options;
    this.subprotocols = subprotocols;
    this.origins = origins;
    this.hook = hook;
    this.page = page;
    this.rateLimit = rateLimit;
  }

  /** A route for exactly {@code path}. */
  public static Route exact(String path, WebSocketHandler handler) {
    return new Route(checkPath(path), false, Objects.requireNonNull(handler, "handler"),
        null, null, null, null, null, null);
  }

  /** A route for every path starting with {@code prefix}, which must end with {@code /}. */
  public static Route prefix(String prefix, WebSocketHandler handler) {
    if (!checkPath(prefix).endsWith("/")) {
      throw new IllegalArgumentException("a prefix must end with '/': " + prefix);
    }
    return new Route(prefix, true, Objects.requireNonNull(handler, "handler"),
        null, null, null, null, null, null);
  }

  private static String checkPath(String path) {
    if (path == null || !path.startsWith("/") || path.contains("?")) {
      throw new IllegalArgumentException("a route path starts with '/' and has no query: " + path);
    }
    return path;
  }

  public Route options(SessionOptions newOptions) {
    return new Route(path, prefix, handler, Objects.requireNonNull(newOptions, "options"),
        subprotocols, origins, hook, page, rateLimit);
  }

  /** Subprotocols this route speaks, most preferred first. */
  public Route subprotocols(String... names) {
    return new Route(path, prefix, handler, options, List.of(names), origins, hook, page,
        rateLimit);
  }

  public Route origins(OriginPolicy policy) {
    return new Route(path, prefix, handler, options, subprotocols,
        Objects.requireNonNull(policy, "policy"), hook, page, rateLimit);
  }

  public Route onHandshake(HandshakeHook newHook) {
    return new Route(path, prefix, handler, options, subprotocols, origins,
        Objects.requireNonNull(newHook, "hook"), page, rateLimit);
  }

  /** A page for plain HTTP GETs of this path. */
  public Route page(StaticPage newPage) {
    return new Route(path, prefix, handler, options, subprotocols, origins, hook,
        Objects.requireNonNull(newPage, "page"), rateLimit);
  }

  /**
   * How fast each session of this route may send, and what happens past it: by default its reads
   * slow down, so a flooder slows itself and not the others. Overrides the inbound rate limit of
   * the route's (or the server's) {@link SessionOptions}.
   */
  public Route rateLimit(RateLimit limit) {
    return new Route(path, prefix, handler, options, subprotocols, origins, hook, page,
        Objects.requireNonNull(limit, "limit"));
  }

  public String path() {
    return path;
  }

  public boolean isPrefix() {
    return prefix;
  }

  public WebSocketHandler handler() {
    return handler;
  }

  /** The sessions' options: the route's or {@code fallback}, with the route's rate limit. */
  SessionOptions optionsOr(SessionOptions fallback) {
    SessionOptions chosen = options != null ? options : fallback;
    return rateLimit != null ? chosen.inboundRateLimit(rateLimit) : chosen;
  }

  List<String> subprotocolsOr(List<String> fallback) {
    return subprotocols != null ? subprotocols : fallback;
  }

  OriginPolicy originsOr(OriginPolicy fallback) {
    return origins != null ? origins : fallback;
  }

  HandshakeHook hookOr(HandshakeHook fallback) {
    return hook != null ? hook : fallback;
  }

  StaticPage page() {
    return page;
  }

  boolean matches(String requestPath) {
    return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
  }

  @Override
  public String toString() {
    return prefix ? path + "*" : path;
  }
}
