package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reactivews.client.ConnectionState;
import io.reactivews.client.ReconnectingSession;
import io.reactivews.client.metrics.SocketIoMeters;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One Engine.IO v4 connection over a {@link ReconnectingSession}, shared by the namespace
 * {@link SocketIoSession}s it multiplexes. It answers the server's pings, counts the server
 * dead when no ping comes within {@code pingInterval + pingTimeout}, reconnects (through the
 * reconnecting session's retry) and connects its namespaces again, with their {@code auth},
 * on each new connection. A {@link SocketIoProtocolException} ends it for good.
 *
 * <pre>{@code
 * SocketIoManager manager = SocketIoClient.create().manager("http://127.0.0.1:3000");
 * SocketIoSession main = manager.connect("/").block();
 * SocketIoSession admin = manager.connect("/admin", Map.of("token", token)).block();
 * manager.states().subscribe(s -> log.info("link {}", s));
 * }</pre>
 *
 * <p>Inbound packets are handled one at a time on the connection's thread; outbound packets go
 * through one lane, so the binary frames of a packet follow it with nothing in between.
 * Thread-safe.
 */
public final class SocketIoManager {

  private final SocketIoClient client;
  private final String engineUri;
  private final PacketEncoder encoder;
  private final PacketAssembler assembler;
  private final WriteLane lane = new WriteLane();
  // The open packet may come before the session is attached: it watches the connection.
  private final Watchdog watchdog = new Watchdog(this::dropConnection);

  // Guarded by "this".
  private ReconnectingSession live;
  /** The link let go of when the last namespace left, for {@link #states()} until another. */
  private ReconnectingSession letGo;
  private WebSocketSession current;
  private EngineHandshake handshake;
  private long maxPayload = Long.MAX_VALUE;
  /**
   * A connection was given up and the next has not opened: what still comes in is the old
   * connection's last packets (a ping late past the watchdog, say), not a protocol error.
   */
  private boolean betweenConnections;
  private final Map<String, SocketIoSession> namespaces = new LinkedHashMap<>();
  private final Set<String> known = new HashSet<>();
  private boolean closed;
  private SocketIoProtocolException failure;

  SocketIoManager(SocketIoClient client, String engineUri) {
    this.client = client;
    this.engineUri = engineUri;
    PacketCodec codec = new PacketCodec(client.mapper);
    this.encoder = new PacketEncoder(client.mapper, codec);
    this.assembler = new PacketAssembler(codec);
  }

  /** Connects {@code namespace} with no {@code auth}; see {@link #connect(String, Object)}. */
  public Mono<SocketIoSession> connect(String namespace) {
    return connect(namespace, null);
  }

  /**
   * Connects {@code namespace} (such as {@code /admin}), sending {@code auth} (any value Jackson
   * writes as a JSON object, or null) with each connect. Gives the session once the server
   * accepted it; fails with a {@link SocketIoConnectException} when refused, or a {@link
   * SocketIoException} after the client's {@code connectTimeout}.
   */
  public Mono<SocketIoSession> connect(String namespace, Object auth) {
    String checked = checkNamespace(namespace);
    return Mono.defer(() -> {
      SocketIoSession session = register(checked, encoder.auth(auth));
      Duration timeout = client.connectTimeout;
      return session.awaitConnected()
          .timeout(timeout, Mono.error(() -> new SocketIoException(
              checked + " was not connected within " + timeout.toMillis() + " ms")))
          .doOnError(e -> session.terminate(e))
          .doOnCancel(() -> session.disconnect().subscribe())
          .onErrorResume(e -> remove(session).then(Mono.error(e)));
    });
  }

  /**
   * The Engine.IO connection's state: connecting, open, reconnecting (attempt n), closed. Empty
   * until the first {@link #connect} starts the connection; once the last namespace has left,
   * the states of the connection it closed, until a new connect opens another.
   */
  public Flux<ConnectionState> states() {
    ReconnectingSession handle;
    synchronized (this) {
      handle = live != null ? live : letGo;
    }
    return handle == null ? Flux.empty() : handle.states();
  }

  /** The Engine.IO session id of the current connection, or null while there is none. */
  public synchronized String engineId() {
    return handshake == null ? null : handshake.sid();
  }

  /** Closes the connection and every namespace on it, without DISCONNECT packets. */
  public Mono<Void> close() {
    List<SocketIoSession> all;
    ReconnectingSession handle;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(namespaces.values());
      namespaces.clear();
      handle = live;
    }
    all.forEach(session -> session.terminate(null));
    return handle == null ? Mono.empty() : handle.close();
  }

  @Override
  public String toString() {
    return "SocketIoManager[" + engineUri + "]";
  }

  // ---- namespaces ----

  private SocketIoSession register(String namespace, JsonNode auth) {
    SocketIoSession session;
    boolean ready;
    synchronized (this) {
      if (closed) {
        throw new SocketIoException("this manager is closed", failure);
      }
      if (namespaces.containsKey(namespace)) {
        throw new IllegalStateException(namespace + " is connected already on " + engineUri);
      }
      session = new SocketIoSession(this, namespace, auth);
      namespaces.put(namespace, session);
      known.add(namespace);
      if (live == null) {
        start();
      }
      ready = current != null && handshake != null;
    }
    if (ready) {
      sendConnect(session);
    }
    return session;
  }

  private void start() {
    ReconnectingSession[] self = new ReconnectingSession[1];
    ReconnectingSession link = client.webSocket.reconnecting(engineUri)
        .retry(client.retry)
        .onSession(session -> Mono.fromRunnable(() -> attach(self, session)))
        .start();
    self[0] = link;
    live = link;
    // Once let go of (the last namespace left), what this link still says is not heard.
    link.states().subscribe(state -> {
      if (isLive(link)) {
        onLinkState(state);
      }
    });
    link.receive().subscribe(message -> {
      if (isLive(link)) {
        onMessage(message);
      }
    }, e -> { }, () -> { });
  }

  private synchronized boolean isLive(ReconnectingSession link) {
    return live == link;
  }

  synchronized boolean isParked(SocketIoSession session) {
    return namespaces.get(session.namespace()) == session;
  }

  void connectIfReady(SocketIoSession session) {
    boolean ready;
    synchronized (this) {
      ready = current != null && handshake != null;
    }
    if (ready) {
      sendConnect(session);
    }
  }

  /**
   * Forgets {@code session}; the last one to go closes the connection. The manager stays usable:
   * a later {@link #connect} opens a new one (a first connect that timed out while the server
   * was down must not leave the manager dead for good).
   */
  Mono<Void> remove(SocketIoSession session) {
    ReconnectingSession toClose = null;
    synchronized (this) {
      if (namespaces.get(session.namespace()) == session) {
        namespaces.remove(session.namespace());
        if (namespaces.isEmpty() && !closed) {
          toClose = live;
          letGo = live;
          live = null;
          current = null;
          handshake = null;
          betweenConnections = false;
          assembler.reset();
          watchdog.connectionLost();
        }
      }
    }
    return toClose == null ? Mono.empty() : toClose.close();
  }

  private void sendConnect(SocketIoSession session) {
    write(encode(SocketIoPacket.of(SocketIoPacket.Type.CONNECT, session.namespace(),
        session.auth()))).subscribe(null, e -> { });
  }

  // ---- the connection ----

  /**
   * A new connection of the link in {@code link}, read under this object's lock: {@link #start}
   * runs under it too, so the link is there by then even if its first connection was quicker.
   */
  private void attach(ReconnectingSession[] link, WebSocketSession session) {
    boolean ready;
    synchronized (this) {
      if (live != link[0]) {
        return; // a link let go of when the last namespace left
      }
      current = session;
      ready = handshake != null;
      if (!ready) {
        watchdog.arm(client.connectTimeout, "no Engine.IO open packet");
      }
    }
    if (ready) {
      connectNamespaces();
    }
  }

  private void onLinkState(ConnectionState state) {
    switch (state.phase()) {
      case RECONNECTING -> connectionLost(lost(state.cause()));
      case CLOSED -> ended(state.cause());
      default -> { }
    }
  }

  /** Why the connection is down, in the words of the reconnecting session's cause. */
  private static SocketIoException lost(Throwable cause) {
    String why = cause == null ? null : cause.getMessage();
    return new SocketIoException(why == null ? "connection lost" : why, cause);
  }

  private void connectionLost(Throwable cause) {
    List<SocketIoSession> all;
    synchronized (this) {
      current = null;
      handshake = null;
      betweenConnections = true;
      assembler.reset();
      watchdog.connectionLost();
      all = new ArrayList<>(namespaces.values());
    }
    all.forEach(session -> session.onConnectionLost(cause));
  }

  private void ended(Throwable cause) {
    List<SocketIoSession> all;
    Throwable why;
    synchronized (this) {
      closed = true;
      current = null;
      handshake = null;
      watchdog.connectionLost();
      all = new ArrayList<>(namespaces.values());
      namespaces.clear();
      why = failure != null ? failure
          : cause == null ? null : new SocketIoException("connection closed for good", cause);
    }
    all.forEach(session -> session.terminate(why));
  }

  private void onMessage(Message message) {
    try {
      handle(EnginePacket.decode(message));
    } catch (SocketIoProtocolException e) {
      fail(e);
    }
  }

  private void handle(EnginePacket packet) {
    if (packet.type() == EnginePacket.Type.OPEN) {
      onOpen(EngineHandshake.parse(packet.text(), client.mapper));
      return;
    }
    synchronized (this) {
      if (handshake == null) {
        if (betweenConnections) {
          return; // the last of a connection given up; the next one starts with its open packet
        }
        throw new SocketIoProtocolException("Engine.IO " + packet + " before the open packet");
      }
    }
    switch (packet.type()) {
      case PING -> {
        rearm();
        write(List.of(EnginePacket.PONG.encode())).subscribe(null, e -> { });
      }
      case CLOSE -> dropConnection(new SocketIoException("the server closed the Engine.IO session"));
      case MESSAGE -> {
        SocketIoPacket whole = packet.isBinary() ? assembler.onBinary(packet.binary())
            : assembler.onText(packet.text());
        if (whole != null) {
          if (client.meters != null) {
            client.meters.received(whole.type());
          }
          dispatch(whole);
        }
      }
      case UPGRADE -> throw new SocketIoProtocolException(
          "Engine.IO upgrade packet on a WebSocket connection");
      default -> { } // pong, noop
    }
  }

  private void onOpen(EngineHandshake opened) {
    boolean ready;
    synchronized (this) {
      if (handshake != null) {
        throw new SocketIoProtocolException("a second Engine.IO open packet on one connection");
      }
      handshake = opened;
      betweenConnections = false;
      maxPayload = opened.maxPayload();
      rearm();
      ready = current != null;
    }
    if (ready) {
      connectNamespaces();
    }
  }

  private void connectNamespaces() {
    List<SocketIoSession> all;
    synchronized (this) {
      all = new ArrayList<>(namespaces.values());
    }
    all.stream().filter(SocketIoSession::wantsConnection).forEach(this::sendConnect);
  }

  private void dispatch(SocketIoPacket packet) {
    SocketIoSession session;
    synchronized (this) {
      session = namespaces.get(packet.namespace());
      if (session == null) {
        if (known.contains(packet.namespace())) {
          return; // one we left; the server has not seen our DISCONNECT yet
        }
        throw new SocketIoProtocolException(packet.type() + " for namespace "
            + packet.namespace() + ", which this client never connected");
      }
    }
    session.onPacket(packet);
  }

  private void rearm() {
    EngineHandshake open;
    synchronized (this) {
      open = handshake;
    }
    if (open != null) {
      watchdog.arm(open.deadline(), "no ping from the server within pingInterval + pingTimeout");
    }
  }

  /** Gives up on the current connection; the reconnecting session opens another. */
  private void dropConnection(SocketIoException cause) {
    WebSocketSession session;
    synchronized (this) {
      session = current;
    }
    connectionLost(cause);
    if (session != null) {
      session.close(CloseStatus.GOING_AWAY.withFittedReason("socket.io: " + cause.getMessage()))
          .subscribe(null, e -> { });
    }
  }

  /** A broken protocol: closes the connection for good, failing every namespace with it. */
  private void fail(SocketIoProtocolException e) {
    ReconnectingSession handle;
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = e;
      closed = true;
      handle = live;
    }
    if (handle != null) { // else the last namespace left meanwhile and closed it
      handle.close(CloseStatus.PROTOCOL_ERROR.withFittedReason(String.valueOf(e.getMessage())))
          .subscribe(null, err -> { });
    }
  }

  // ---- outbound ----

  /**
   * Queues {@code frames} for the current connection, whole and in call order; completes when
   * they were handed to the network, fails when there is no connection or it broke first.
   */
  Mono<Void> write(List<Message> frames) {
    WebSocketSession target;
    synchronized (this) {
      target = current;
    }
    return lane.write(target, frames);
  }

  /** The packet's Engine.IO messages, checked against the server's {@code maxPayload}. */
  List<Message> encode(SocketIoPacket packet) {
    long limit;
    synchronized (this) {
      limit = maxPayload;
    }
    List<Message> messages = encoder.encode(packet, limit);
    if (client.meters != null) {
      client.meters.sent(packet.type());
    }
    return messages;
  }

  /** The client's Socket.IO meters, or null when it has none. */
  SocketIoMeters meters() {
    return client.meters;
  }

  SocketIoPacket packet(SocketIoPacket.Type type, String namespace, long ackId, JsonNode data) {
    return new SocketIoPacket(type, namespace, ackId, 0, data);
  }

  ArrayNode eventArgs(String event, Object... args) {
    return encoder.eventArgs(event, args);
  }

  ArrayNode ackArgs(Object... args) {
    return encoder.ackArgs(args);
  }

  ObjectMapper mapper() {
    return client.mapper;
  }

  Duration ackTimeout() {
    return client.ackTimeout;
  }

  int offlineBuffer() {
    return client.offlineBuffer;
  }

  boolean refusesWhileDisconnected() {
    return client.refuseWhileDisconnected;
  }

  static String checkNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!namespace.startsWith("/") || namespace.contains(",") || namespace.contains("?")) {
      throw new IllegalArgumentException(
          "a namespace starts with / and has no ',' or '?': " + namespace);
    }
    return namespace;
  }
}
