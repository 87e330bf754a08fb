package io.reactivews.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.deflate.CompressionCounters;
import io.reactivews.core.deflate.DeflateNegotiation;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.handshake.HttpHeadParser;
import io.reactivews.core.handshake.HttpHeaders;
import io.reactivews.core.handshake.HttpRequestHead;
import io.reactivews.core.handshake.HttpResponse;
import io.reactivews.core.handshake.ServerHandshake;
import io.reactivews.core.handshake.UpgradeRequest;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.SessionProbe;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.netty.NettyTransport;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.transport.HeadReader;
import io.reactivews.core.transport.Transport;
import io.reactivews.server.metrics.ServerMetrics;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * One accepted connection, from its first byte to its close: read the request head (bounded in
 * size and time), route it, check it, answer with a page, an error status or a 101, and run the
 * route's handler on the session. Failures end this connection only.
 */
final class ConnectionHandler {

  private final ServerConfig config;
  private final SessionRegistry registry;
  private final ServerEvents events;
  private final Set<Connection> connections;
  /** Whether the server's shutdown has begun. */
  private final BooleanSupplier stopping;
  private final AtomicInteger open = new AtomicInteger();
  private final CompressionCounters compression;
  // Meters: null unless the spec was given a registry, so Micrometer stays unloaded without one.
  private final ServerMetrics metrics;
  /** One listener for the end of every session, not a subscriber each. */
  private final BiConsumer<DrivenSession, CloseStatus> sessionEnded = this::sessionEnded;

  ConnectionHandler(ServerConfig config, SessionRegistry registry,
      ServerEvents events, Set<Connection> connections, CompressionCounters compression,
      BooleanSupplier stopping) {
    this.stopping = stopping;
    this.compression = compression;
    this.config = config;
    this.registry = registry;
    this.events = events;
    this.connections = connections;
    this.metrics = config.meterRegistry == null ? null
        : new ServerMetrics(config.meterRegistry, open, compression);
  }

  /** This server's meters, or null when it has none. */
  ServerMetrics metrics() {
    return metrics;
  }

  /**
   * Takes a new connection: answers its handshake and, after a 101, leaves it to the session.
   * Nothing here outlives the handshake but the connection's entry in the set of connections:
   * an idle connection costs what its session holds, not a chain of operators.
   */
  void accepted(Connection connection) {
    connections.add(connection);
    open.incrementAndGet();
    Transport transport = NettyTransport.of(connection);
    // One close listener keeps both counts: each listener stays as long as the connection.
    transport.whenClosed(() -> {
      connections.remove(connection);
      open.decrementAndGet();
    });
    runHandshake(transport);
  }

  /**
   * Answers the handshake of a connection given as bytes in and out: a socket's, or an in-memory
   * one in tests. Everything from the request's first byte on goes through the transport.
   */
  void serve(Transport transport) {
    open.incrementAndGet();
    transport.whenClosed(open::decrementAndGet);
    runHandshake(transport);
  }

  /** Runs the handshake of a counted connection; failures close this connection only. */
  private void runHandshake(Transport transport) {
    long started = System.nanoTime();
    if (metrics != null) {
      metrics.accepted();
    }
    try {
      handshake(transport, started).subscribe();
    } catch (Throwable t) {
      events.emit(new ServerEvent.Failed(null, t));
      transport.close();
    }
  }

  /** Completes once the session started, or once a refused connection is closed. */
  private Mono<Void> handshake(Transport transport, long started) {
    if (open.get() > config.maxConnections) {
      return respond(transport, null, new HandshakeException(503, "too many connections"),
              started)
          .then(linger(transport, transport.receive()))
          .then(Mono.fromRunnable(transport::close));
    }
    HttpHeadParser<HttpRequestHead> parser =
        HttpHeadParser.forRequest(config.maxHeadSize, config.maxHeaderCount);
    // The timeout bounds reading the head and deciding; once an answer is chosen it is written
    // in full, so a client never gets a 101 and then a drop. The head's reader lingers, so that
    // input cut off by the timeout is still read and dropped, not left to cause a reset.
    return HeadReader.readLingering(transport.receive(), buf -> ParsedHead.parse(parser, buf))
        .flatMap(split -> answer(transport, split, started))
        .timeout(config.handshakeTimeout)
        // Too slow: say so with a 408 rather than a bare drop, then linger like any refusal.
        .onErrorResume(TimeoutException.class, e -> Mono.just(
            Mono.defer(() -> respond(transport, null, new HandshakeException(408,
                    "handshake not finished within " + config.handshakeTimeout), started))
                .onErrorComplete()
                .then(lingerAfterTimeout(transport))
                .then(Mono.fromRunnable(transport::close))))
        .switchIfEmpty(Mono.fromSupplier(() -> Mono.fromRunnable(transport::close)))
        .flatMap(Mono::from)
        .onErrorResume(e -> {
          events.emit(new ServerEvent.Failed(null, e));
          transport.close();
          return Mono.empty();
        });
  }

  /**
   * A request head, or why it could not be read. Parse errors come back as values so that the
   * rest of the input stays ours to drain after the refusal.
   */
  private record ParsedHead(HttpRequestHead head, HandshakeException error) {
    static ParsedHead parse(HttpHeadParser<HttpRequestHead> parser, ByteBuf buf) {
      try {
        HttpRequestHead head = parser.parse(buf);
        return head == null ? null : new ParsedHead(head, null);
      } catch (HandshakeException e) {
        return new ParsedHead(null, e);
      }
    }
  }

  /**
   * Decides how to answer a request, and gives the answer to run: write a 101 and run the
   * session until it closes, or write another status and linger.
   */
  private Mono<Mono<Void>> answer(
      Transport transport, HeadReader.Split<ParsedHead> split, long started) {
    String path = split.head().head() == null ? null : split.head().head().path();
    Mono<Void> lingerThenClose = linger(transport, split.rest())
        .then(Mono.fromRunnable(transport::close));
    return Mono.defer(() -> upgrade(transport, split, lingerThenClose, started))
        .onErrorResume(HandshakeException.class, e -> Mono.just(
            Mono.defer(() -> respond(transport, path, e, started)).then(lingerThenClose)))
        // Anything else (a hook whose backend is down, a page that cannot be made, a bug) is
        // answered too: a 500 to the client, the cause on the event stream, not a bare drop.
        .onErrorResume(Exception.class, e -> {
          events.emit(new ServerEvent.Failed(null, e));
          HandshakeException failed = new HandshakeException(500, "the server failed to answer");
          return Mono.just(Mono.defer(() -> respond(transport, path, failed, started))
              .then(lingerThenClose));
        });
  }

  /** The answer to run; refusals come as {@link HandshakeException}s. */
  private Mono<Mono<Void>> upgrade(Transport transport, HeadReader.Split<ParsedHead> split,
      Mono<Void> lingerThenClose, long started) {
    if (split.head().error() != null) {
      return Mono.error(split.head().error());
    }
    HttpRequestHead head = split.head().head();
    // An HTTP/2 preface ("PRI * HTTP/2.0") or any other major version: not ours to route.
    if (head.version().major() != 1) {
      return Mono.error(new HandshakeException(505,
          "this server speaks HTTP/1.1, not " + head.version()));
    }
    Route route = config.routes.match(head.path());
    if (route == null) {
      return Mono.error(new HandshakeException(404, "no route for " + head.path()));
    }
    if (!ServerHandshake.isUpgradeRequest(head)) {
      return plainRequest(transport, head, route)
          .map(response -> response.then(lingerThenClose));
    }
    UpgradeRequest request = ServerHandshake.validate(head);
    if (!route.originsOr(config.origins).permits(request.origin())) {
      return Mono.error(new HandshakeException(403,
          request.origin() == null ? "an Origin is required"
              : "origin not allowed: " + request.origin()));
    }
    List<String> supported = route.subprotocolsOr(config.subprotocols);
    String subprotocol = ServerHandshake.selectSubprotocol(request.subprotocols(), supported);
    HandshakeContext context =
        new HandshakeContext(request, transport.remoteAddress(), subprotocol);
    return route.hookOr(config.hook).check(context).then(Mono.fromCallable(() ->
        accept(transport.withInbound(split.rest()), route, request, subprotocol, context,
            started)));
  }

  /**
   * Writes the 101, with the route's answer to a permessage-deflate offer, then starts the
   * session; completes once it runs.
   */
  private Mono<Void> accept(Transport transport, Route route, UpgradeRequest request,
      String subprotocol, HandshakeContext context, long started) {
    SessionOptions options = route.optionsOr(config.options);
    DeflateNegotiation.Result deflate =
        DeflateNegotiation.answer(request.extensions(), options.compression());
    return writeHead(transport,
            alloc -> ServerHandshake.accept(request, subprotocol, deflate.responses())
                .writeTo(alloc))
        .then(Mono.fromRunnable(() -> {
          if (metrics != null) {
            metrics.handshake(route.toString(), 101, System.nanoTime() - started);
          }
          runSession(transport, route, request, subprotocol, context,
              deflate.agreed() == null ? null : PerMessageDeflate.of(Role.SERVER,
                  deflate.agreed(), options.compression(), compression.child()));
        }));
  }

  /**
   * After an answer that is not a 101: send our FIN, then read and drop what the client still
   * sends until it closes, for at most the handshake timeout. Closing with unread input would
   * send a reset, and a reset can destroy the response before the client reads it.
   */
  private Mono<Void> linger(Transport transport, Flux<ByteBuf> unread) {
    return Mono.defer(() -> {
      transport.shutdownOutput();
      return unread.then().timeout(config.handshakeTimeout, Mono.empty()).onErrorComplete();
    });
  }

  /**
   * After a 408: the head's reader was cancelled, but it still reads and drops the input. Send
   * our FIN and wait, for at most the handshake timeout, for the client to close its side.
   */
  private Mono<Void> lingerAfterTimeout(Transport transport) {
    return Mono.defer(() -> {
      transport.shutdownOutput();
      return transport.onClose().timeout(config.handshakeTimeout, Mono.empty())
          .onErrorComplete();
    });
  }

  /**
   * Opens the session and runs the route's handler; from here the session owns the connection:
   * it closes it, disposes the handler then, and tells the registry through its close status.
   */
  private void runSession(Transport transport, Route route, UpgradeRequest request,
      String subprotocol, HandshakeContext context, PerMessageDeflate deflate) {
    SessionOptions options = route.optionsOr(config.options);
    // An exact route's path is the request's: one string for all its sessions.
    String path = route.isPrefix() || !route.path().equals(request.path())
        ? request.path() : route.path();
    HandshakeInfo info = new HandshakeInfo(path,
        request.rawQuery() == null ? "" : request.rawQuery(),
        request.headers().compact(), subprotocol);
    SessionProbe probe = metrics == null ? SessionProbe.NONE : metrics.route(route.toString());
    DrivenSession session =
        Sessions.open(transport, Role.SERVER, options, info, deflate, probe);
    if (context.hasAttributes()) {
      session.attributes().putAll(context.attributes());
    }
    registry.add(session);
    events.emit(new ServerEvent.Connected(session));
    session.whenEnded(sessionEnded);
    session.run(route.handler()::handle);
    if (stopping.getAsBoolean()) {
      // Its handshake outlasted the start of a shutdown, whose 1001s went to the sessions
      // registered then: it gets its own rather than a bare close when the wait ends.
      session.close(CloseStatus.GOING_AWAY).subscribe();
    }
  }

  /** A session ended: the registry forgets it, and subscribers hear how it ended. */
  private void sessionEnded(DrivenSession session, CloseStatus status) {
    registry.remove(session);
    events.emit(new ServerEvent.Closed(session, status));
  }

  /** The page to write for a plain request; refusals come as {@link HandshakeException}s. */
  private Mono<Mono<Void>> plainRequest(
      Transport transport, HttpRequestHead head, Route route) {
    StaticPage page = route.page();
    if (page == null) {
      return Mono.error(new HandshakeException(426,
          HttpHeaders.of("Upgrade", "websocket", "Sec-WebSocket-Version", "13"),
          "this is a WebSocket endpoint"));
    }
    if (!head.method().equals("GET") && !head.method().equals("HEAD")) {
      return Mono.error(
          new HandshakeException(405, HttpHeaders.of("Allow", "GET, HEAD"), "method not allowed"));
    }
    HttpResponse response = ServerHandshake.response(200, null,
        HttpHeaders.of("Content-Type", page.contentType(), "Cache-Control", "no-cache"),
        page.bodyUnsafe());
    HttpResponse written = head.method().equals("HEAD") ? response.headOnly() : response;
    // Bounded like the handshake: a client that asks for a page and never reads it would
    // otherwise hold its connection, and a place under maxConnections, for good.
    return Mono.just(writeHead(transport, written::writeTo)
        .timeout(config.handshakeTimeout, Mono.fromRunnable(transport::close)));
  }

  private Mono<Void> respond(
      Transport transport, String path, HandshakeException e, long started) {
    refused(transport, path, e.status(), e.getMessage());
    if (metrics != null) {
      // The route's template, never the path a client sent: tags stay few.
      Route route = path == null ? null : config.routes.match(path);
      metrics.handshake(route == null ? null : route.toString(), e.status(),
          System.nanoTime() - started);
    }
    return writeHead(transport, ServerHandshake.reject(e)::writeTo);
  }

  private void refused(Transport transport, String path, int status, String reason) {
    SocketAddress remote = transport.remoteAddress();
    events.emit(new ServerEvent.Refused(remote, path, status, reason));
  }

  /**
   * Sends a response head through the transport, like any other bytes; it is written into a
   * buffer only when the transport asks for it, so a connection gone first allocates nothing.
   */
  private static Mono<Void> writeHead(
      Transport transport, Function<ByteBufAllocator, ByteBuf> head) {
    return transport.send(Mono.fromCallable(() -> head.apply(transport.alloc())));
  }
}
