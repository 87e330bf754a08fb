package io.reactivews.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.reactivews.core.deflate.CompressionCounters;
import io.netty.handler.ssl.SslContext;
import io.reactivews.client.metrics.ClientMetrics;
import io.reactivews.core.Role;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.deflate.DeflateNegotiation;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.handshake.ClientHandshake;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.handshake.HttpHeadParser;
import io.reactivews.core.handshake.HttpResponseHead;
import io.reactivews.core.handshake.UpgradeResponse;
import io.reactivews.core.handshake.WebSocketExtension;
import io.reactivews.core.handshake.WebSocketUri;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.SessionProbe;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.netty.NettyTransport;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.transport.HeadReader;
import io.reactivews.core.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * One connection attempt, from the TCP connect to an open session: connect (through the proxy,
 * with TLS for {@code wss://}), write the upgrade request with a fresh key, read the response
 * head (bounded in size and time), check it, and open a client session on the rest of the
 * stream. Any failure closes the connection and fails the {@code Mono}; a refusal carries the
 * status, headers and start of the body the server sent.
 */
final class ClientConnector {

  private final ClientConfig config;

  ClientConnector(ClientConfig config) {
    this.config = config;
  }

  /** Where the sessions and handles of this client are tracked. */
  OpenSessions sessions() {
    return config.sessions;
  }

  /** This client's meters, or null when it has none. */
  ClientMetrics metrics() {
    return config.metrics;
  }

  /** A cold {@code Mono}: each subscription is a new attempt with a new key. */
  Mono<DrivenSession> connect(WebSocketUri uri) {
    Mono<DrivenSession> connect = attempt(uri);
    if (config.metrics == null) {
      return connect;
    }
    ClientMetrics metrics = config.metrics;
    return Mono.defer(() -> {
      long started = System.nanoTime();
      return connect
          .doOnSuccess(s -> metrics.handshake(101, System.nanoTime() - started))
          .doOnError(e -> metrics.handshake(e instanceof HandshakeException h ? h.status() : 0,
              System.nanoTime() - started));
    });
  }

  private Mono<DrivenSession> attempt(WebSocketUri uri) {
    return Mono.defer(() -> {
      WebSocketExtension deflate = DeflateNegotiation.offer(config.options.compression());
      ClientHandshake.Attempt attempt = ClientHandshake.to(uri)
          .headers(config.headers)
          .subprotocols(config.subprotocols)
          .extensions(deflate == null ? List.of() : List.of(deflate))
          .origin(config.origin)
          .newAttempt();
      TcpClient tcp;
      try {
        tcp = tcpClient(uri);
      } catch (SSLException e) {
        return Mono.error(e);
      }
      // One deadline from the TCP connect to the 101: the TLS handshake (and a proxy's tunnel)
      // take their time out of it, rather than each getting a timeout of that length.
      AtomicLong connectedAt = new AtomicLong(System.nanoTime());
      return tcp.doOnChannelInit((observer, channel, address) ->
              channel.pipeline().addFirst(new MarksConnect(connectedAt)))
          .connect()
          .onErrorMap(ClientConnector::proxyRefusalIn)
          .flatMap(connection -> handshake(connection, uri, attempt)
              .timeout(remainingOf(connectedAt), Mono.error(this::timedOut))
              .doOnError(e -> connection.dispose())
              // After the cancel has gone upstream: closed first, the connection's end could
              // reach the head reader as a refusal nobody is left to hear.
              .doFinally(signal -> {
                if (signal == SignalType.CANCEL) {
                  connection.dispose();
                }
              }));
    });
  }

  /** What is left of the handshake timeout since the TCP connect; at least a millisecond. */
  private Duration remainingOf(AtomicLong connectedAt) {
    Duration left = config.handshakeTimeout.minusNanos(System.nanoTime() - connectedAt.get());
    return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
  }

  /** Notes when the TCP connection came up, then leaves the pipeline. */
  private static final class MarksConnect extends ChannelInboundHandlerAdapter {
    private final AtomicLong connectedAt;

    MarksConnect(AtomicLong connectedAt) {
      this.connectedAt = connectedAt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      connectedAt.set(System.nanoTime());
      ctx.pipeline().remove(this);
      ctx.fireChannelActive();
    }
  }

  /**
   * The proxy's refusal when it is what failed: under TLS it arrives as the cause of an
   * SSLException, which would send a reader (or a retry's filter) looking at certificates.
   */
  private static Throwable proxyRefusalIn(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (isProxyRefusal(t)) {
        return t;
      }
    }
    return e;
  }

  /** By name: Netty's proxy handler, which Reactor Netty brings, is not a module this reads. */
  private static boolean isProxyRefusal(Throwable t) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("io.netty.handler.proxy.ProxyConnectException")) {
        return true;
      }
    }
    return false;
  }

  private TcpClient tcpClient(WebSocketUri uri) throws SSLException {
    // One connection per session: a WebSocket is never returned to a pool.
    TcpClient tcp = TcpClient.newConnection()
        .host(uri.host())
        .port(uri.port())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, config.connectTimeout.toMillis()));
    if (uri.isSecure()) {
      SslContext context = config.tls.context();
      SNIHostName serverName = serverName(uri.host());
      tcp = tcp.secure(spec -> {
        var provider = spec.sslContext(context).handshakeTimeout(config.handshakeTimeout);
        if (serverName != null) {
          provider.serverNames(serverName);
        }
      });
    }
    return config.proxy == null ? tcp : config.proxy.applyTo(tcp);
  }

  /** The SNI name (RFC 6066 section 3) for a host; none for IP literals, as the RFC says. */
  static SNIHostName serverName(String host) {
    if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
      return null;
    }
    try {
      return new SNIHostName(host);
    } catch (IllegalArgumentException e) {
      return null; // a name SNI cannot carry; the certificate is still checked against it
    }
  }

  private Mono<DrivenSession> handshake(
      Connection connection, WebSocketUri uri, ClientHandshake.Attempt attempt) {
    NettyTransport transport = NettyTransport.of(connection);
    HttpHeadParser<HttpResponseHead> parser =
        HttpHeadParser.forResponse(config.maxHeadSize, config.maxHeaderCount);
    Mono<Void> request =
        transport.send(Mono.fromCallable(() -> attempt.request().writeTo(transport.alloc())));
    return request
        .then(HeadReader.read(transport.receive(), parser::parse))
        .switchIfEmpty(Mono.error(() -> new HandshakeException(HandshakeException.NO_STATUS,
            "the server closed the connection without answering the handshake")))
        .flatMap(split -> answered(transport, uri, attempt, split));
  }

  private Mono<DrivenSession> answered(Transport transport, WebSocketUri uri,
      ClientHandshake.Attempt attempt, HeadReader.Split<HttpResponseHead> split) {
    UpgradeResponse accepted;
    DeflateParameters deflate;
    try {
      accepted = attempt.validate(split.head());
      deflate = checkDeflate(split.head(), accepted);
    } catch (HandshakeException e) {
      return ResponseBody.start(split.rest(), split.head().headers(),
              config.maxErrorBodyBytes, config.errorBodyWait)
          .flatMap(body -> Mono.error(e.withBody(body)));
    }
    String target = uri.requestTarget();
    int q = target.indexOf('?');
    HandshakeInfo info = new HandshakeInfo(q < 0 ? target : target.substring(0, q),
        q < 0 ? "" : target.substring(q + 1), accepted.headers(), accepted.subprotocol());
    SessionProbe probe = config.metrics == null ? SessionProbe.NONE : config.metrics.sessions();
    DrivenSession session = Sessions.open(
        transport.withInbound(split.rest()), Role.CLIENT, config.options, info,
        deflate == null ? null : PerMessageDeflate.of(Role.CLIENT, deflate,
            config.options.compression(), config.metrics == null ? CompressionCounters.create()
                : config.metrics.compressionCounters()), probe);
    config.sessions.add(session);
    return Mono.just(session);
  }

  /** The server's answer to our permessage-deflate offer, checked strictly (RFC 7692 7.1). */
  private DeflateParameters checkDeflate(HttpResponseHead head, UpgradeResponse accepted) {
    try {
      return DeflateNegotiation.check(accepted.extensions(), config.options.compression());
    } catch (IllegalArgumentException e) {
      throw new HandshakeException(head.status(), head.headers(), e.getMessage());
    }
  }

  private HandshakeException timedOut() {
    HandshakeException e = new HandshakeException(HandshakeException.NO_STATUS,
        "no handshake response within " + config.handshakeTimeout.toMillis() + " ms");
    e.initCause(new TimeoutException());
    return e;
  }
}
