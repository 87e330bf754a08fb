package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.client.ConnectionState.Phase;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/** A connection that outlives server restarts, against our own server on loopback. */
class ReconnectingSessionTest {

  private static final Retry FAST = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(20))
      .maxBackoff(Duration.ofMillis(100)).transientErrors(true);

  private final List<BoundServer> servers = new ArrayList<>();
  private final List<ReconnectingSession> handles = new ArrayList<>();
  private final AtomicInteger hookRuns = new AtomicInteger();

  @AfterEach
  void stop() {
    handles.forEach(ReconnectingSession::dispose);
    servers.forEach(s -> s.disposeNow());
  }

  /** Echoes, and closes with 4001 when told "logout". */
  private BoundServer echoServer(int port) {
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(port)
        .route("/live", session -> session.send(session.receive().concatMap(m ->
            m.text().equals("logout")
                ? session.close(CloseStatus.of(4001, "logged out")).then(Mono.<Message>empty())
                : Mono.just(m))))
        .bindNow();
    servers.add(server);
    return server;
  }

  private ReconnectingSession start(ReconnectSpec spec) {
    ReconnectingSession handle = spec.start();
    handles.add(handle);
    return handle;
  }

  private ReconnectSpec spec(int port) {
    return WebSocketClient.create().reconnecting("ws://127.0.0.1:" + port + "/live")
        .retry(FAST)
        .onSession(session -> session.send(
            Mono.fromCallable(() -> Message.text("hello " + hookRuns.incrementAndGet()))));
  }

  @Test
  void reconnectsAfterARestartRunsTheHookAgainAndFlushesQueuedMessagesInOrder()
      throws Exception {
    BoundServer first = echoServer(0);
    int port = first.port();
    ReconnectingSession live = start(spec(port).queueLimit(3));
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    live.states().subscribe(states::add);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    live.receive().subscribe(m -> received.add(m.text()));

    awaitState(states, s -> s.phase() == Phase.OPEN);
    assertEquals("hello 1", received.poll(5, TimeUnit.SECONDS));
    assertEquals(Sinks.EmitResult.OK, live.tryEmit(Message.text("live")));
    assertEquals("live", received.poll(5, TimeUnit.SECONDS));

    first.shutdown(Duration.ofSeconds(5)).block();
    ConnectionState lost = awaitState(states, s -> s.phase() == Phase.RECONNECTING);
    assertEquals(1, lost.attempt());
    assertEquals(1001, assertInstanceOf(WebSocketException.class, lost.cause()).code());
    // Nobody listens now: later attempts fail and count up.
    assertEquals(2, awaitState(states, s -> s.phase() == Phase.RECONNECTING).attempt());

    for (String m : List.of("q1", "q2", "q3")) {
      assertEquals(Sinks.EmitResult.OK, live.tryEmit(Message.text(m)));
    }
    assertEquals(Sinks.EmitResult.FAIL_OVERFLOW, live.tryEmit(Message.text("q4")));
    assertEquals(3, live.queuedMessages());

    echoServer(port);
    awaitState(states, s -> s.phase() == Phase.OPEN);
    // The hook's message first, then the queue in order.
    for (String expected : List.of("hello 2", "q1", "q2", "q3")) {
      assertEquals(expected, received.poll(5, TimeUnit.SECONDS));
    }
    assertEquals(2, hookRuns.get());
    assertEquals(0, live.queuedMessages());
    assertTrue(live.session().isPresent());
  }

  @Test
  void aFinalCloseCodeStopsItForGood() throws Exception {
    BoundServer server = echoServer(0);
    ReconnectingSession live = start(spec(server.port()).finalCloseCodes(4001, 1008));
    List<Message> received = new CopyOnWriteArrayList<>();
    Mono<Void> inboundDone = live.receive().doOnNext(received::add).then().cache();
    inboundDone.subscribe();
    awaitOpen(live);

    live.tryEmit(Message.text("logout"));
    live.onClose().block(Duration.ofSeconds(5));
    ConnectionState closed = live.state();
    assertEquals(Phase.CLOSED, closed.phase());
    assertEquals(4001, assertInstanceOf(WebSocketException.class, closed.cause()).code());
    inboundDone.block(Duration.ofSeconds(5)); // completes, not errors
    assertEquals(List.of(Message.text("hello 1")), received);
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, live.tryEmit(Message.text("late")));
    assertEquals(1, hookRuns.get());
  }

  @Test
  void aCloseCodeNotMarkedFinalIsFollowedByAReconnection() throws Exception {
    BoundServer server = echoServer(0);
    ReconnectingSession live = start(spec(server.port()));
    live.receive().subscribe();
    awaitOpen(live);
    live.tryEmit(Message.text("logout"));
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    live.states().subscribe(states::add);
    awaitState(states, s -> s.phase() == Phase.RECONNECTING);
    awaitState(states, s -> s.phase() == Phase.OPEN);
    assertEquals(2, hookRuns.get());
  }

  @Test
  void closeSendsWhatIsQueuedThenClosesAndStops() throws Exception {
    List<String> serverGot = new CopyOnWriteArrayList<>();
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/live", session -> session.receive().doOnNext(m -> serverGot.add(m.text())).then())
        .bindNow();
    servers.add(server);
    ReconnectingSession live = start(spec(server.port()));
    live.receive().subscribe();
    awaitOpen(live);
    for (int i = 0; i < 50; i++) {
      live.tryEmit(Message.text("m" + i));
    }
    live.close(CloseStatus.GOING_AWAY).block(Duration.ofSeconds(5));
    assertEquals(Phase.CLOSED, live.state().phase());
    assertNull(live.state().cause());
    List<String> expected = new ArrayList<>(List.of("hello 1"));
    for (int i = 0; i < 50; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, serverGot);
    assertEquals(1, hookRuns.get());
  }

  @Test
  void exhaustedRetriesCloseItWithTheCause() throws Exception {
    try (ScriptedServer refusing = new ScriptedServer()) {
      ReconnectingSession live = start(WebSocketClient.create()
          .reconnecting(refusing.uri("/live"))
          .retry(Retry.fixedDelay(2, Duration.ofMillis(10))));
      // Each attempt waits for the scripted server, so no state passes unseen.
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      live.states().subscribe(states::add);
      for (int attempt = 0; attempt < 3; attempt++) {
        try (ScriptedServer.Peer peer = refusing.accept()) {
          peer.readHead();
          peer.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        }
      }
      Throwable inboundError =
          live.receive().then().materialize().block(Duration.ofSeconds(5)).getThrowable();
      live.onClose().block(Duration.ofSeconds(5));
      assertEquals(List.of(Phase.CONNECTING, Phase.RECONNECTING, Phase.RECONNECTING,
          Phase.CLOSED), states.stream().map(ConnectionState::phase).toList());
      assertEquals(List.of(0L, 1L, 2L, 0L),
          states.stream().map(ConnectionState::attempt).toList());
      assertEquals(503, assertInstanceOf(io.reactivews.core.handshake.HandshakeException.class,
          states.get(1).cause()).status());
      assertNotNull(inboundError, "the inbound flux fails with the cause");
      assertTrue(reactor.core.Exceptions.isRetryExhausted(inboundError), inboundError.toString());
      assertEquals(inboundError, live.state().cause());
    }
  }

  @Test
  void aRefusalThatAskingAgainWouldNotChangeStopsItAtOnce() throws Exception {
    try (ScriptedServer refusing = new ScriptedServer()) {
      ReconnectingSession live = start(WebSocketClient.create()
          .reconnecting(refusing.uri("/live")).retry(FAST));
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      live.states().subscribe(states::add);
      try (ScriptedServer.Peer peer = refusing.accept()) {
        peer.readHead();
        peer.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
      }
      live.onClose().block(Duration.ofSeconds(5));
      assertEquals(List.of(Phase.CONNECTING, Phase.CLOSED),
          states.stream().map(ConnectionState::phase).toList());
      assertEquals(401, assertInstanceOf(io.reactivews.core.handshake.HandshakeException.class,
          live.state().cause()).status());
    }
  }

  @Test
  void finalHandshakeStatusesCanBeNoneSoThatEveryRefusalIsRetried() throws Exception {
    try (ScriptedServer refusing = new ScriptedServer()) {
      ReconnectingSession live = start(WebSocketClient.create()
          .reconnecting(refusing.uri("/live")).retry(FAST).finalHandshakeStatuses());
      BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
      live.states().subscribe(states::add);
      for (int attempt = 0; attempt < 2; attempt++) {
        try (ScriptedServer.Peer peer = refusing.accept()) {
          peer.readHead();
          peer.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        }
      }
      assertEquals(2, awaitState(states, s -> s.attempt() == 2).attempt());
    }
  }

  @Test
  void aServerThatAcceptsAndClosesAtOnceSeesTheBackoffGrow() throws Exception {
    BoundServer closing = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/live", session -> session.close(CloseStatus.of(1013, "try again later")))
        .bindNow();
    servers.add(closing);
    ReconnectingSession live = start(WebSocketClient.create()
        .reconnecting("ws://127.0.0.1:" + closing.port() + "/live")
        .retry(FAST).stableAfter(Duration.ofSeconds(2)));
    live.receive().subscribe();
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    live.states().subscribe(states::add);
    // Each session opens and is closed at once: each counts as one more failed attempt.
    ConnectionState fourth = awaitState(states, s -> s.attempt() >= 4);
    assertEquals(1013, assertInstanceOf(WebSocketException.class, fourth.cause()).code());
  }

  @Test
  void aSessionThatLastsCountsAsASuccessAndTheAttemptsStartAgain() throws Exception {
    BoundServer closingLater = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/live", session -> Mono.delay(Duration.ofMillis(300))
            .then(Mono.defer(() -> session.close(CloseStatus.of(1013, "try again later")))))
        .bindNow();
    servers.add(closingLater);
    ReconnectingSession live = start(WebSocketClient.create()
        .reconnecting("ws://127.0.0.1:" + closingLater.port() + "/live")
        .retry(FAST).stableAfter(Duration.ofMillis(50)));
    live.receive().subscribe();
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    live.states().subscribe(states::add);
    for (int lost = 0; lost < 3; lost++) {
      assertEquals(1, awaitState(states, s -> s.phase() == Phase.RECONNECTING).attempt(),
          "a session of 300 ms is stable after 50 ms");
    }
  }

  @Test
  void closingWhileAHookThatNeverEndsRunsClosesAtOnce() {
    BoundServer server = echoServer(0);
    ReconnectingSession live = start(spec(server.port()).onSession(session -> Mono.never()));
    live.receive().subscribe();
    Mono.delay(Duration.ofMillis(20)).repeat(() -> server.registry().count() == 0)
        .then().block(Duration.ofSeconds(5));
    live.close().block(Duration.ofSeconds(5));
    assertEquals(Phase.CLOSED, live.state().phase());
    Mono.delay(Duration.ofMillis(20)).repeat(() -> server.registry().count() > 0)
        .then().block(Duration.ofSeconds(5));
  }

  @Test
  void aFailingHookClosesTheSessionAndRetries() throws Exception {
    BoundServer server = echoServer(0);
    AtomicInteger calls = new AtomicInteger();
    ReconnectingSession live = start(spec(server.port()).onSession(session ->
        calls.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("token refused"))
            : Mono.empty()));
    live.receive().subscribe();
    awaitOpen(live);
    assertEquals(2, calls.get());
  }

  @Test
  void closingWhileTheHookRunsEndsAsSoonAsTheHookFails() {
    BoundServer server = echoServer(0);
    Sinks.Empty<Void> hookResult = Sinks.empty();
    // A retry so slow that only closing at once can pass.
    ReconnectingSession live = start(spec(server.port())
        .retry(Retry.fixedDelay(5, Duration.ofSeconds(30)))
        .onSession(session -> hookResult.asMono()));
    live.receive().subscribe();
    // Wait until a session exists and its hook is pending.
    Mono.delay(Duration.ofMillis(20)).repeat(() -> server.registry().count() == 0)
        .then().block(Duration.ofSeconds(5));
    Mono<Void> closed = live.close();
    hookResult.tryEmitError(new IllegalStateException("refused"));
    closed.block(Duration.ofSeconds(5));
    assertEquals(Phase.CLOSED, live.state().phase());
  }

  @Test
  void closingWhileDisconnectedStopsRetrying() throws Exception {
    int unused;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      unused = s.getLocalPort();
    }
    ReconnectingSession live = start(spec(unused));
    live.tryEmit(Message.text("never sent"));
    BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    live.states().subscribe(states::add);
    awaitState(states, s -> s.phase() == Phase.RECONNECTING);
    live.close().block(Duration.ofSeconds(5));
    assertTrue(live.isDisposed());
    assertEquals(0, live.queuedMessages());
  }

  @Test
  void theClientsCloseAllStopsItsReconnectingHandlesToo() {
    BoundServer server = echoServer(0);
    WebSocketClient client = WebSocketClient.create();
    ReconnectingSession live = start(
        client.reconnecting("ws://127.0.0.1:" + server.port() + "/live").retry(FAST));
    live.receive().subscribe();
    awaitOpen(live);
    assertEquals(1, client.openSessions().size(), "its session is listed");
    client.closeAll().block(Duration.ofSeconds(5));
    assertEquals(Phase.CLOSED, live.state().phase());
    assertEquals(List.of(), client.openSessions());
  }

  private static void awaitOpen(ReconnectingSession live) {
    live.states().filter(ConnectionState::isOpen).next().block(Duration.ofSeconds(5));
  }

  private static ConnectionState awaitState(BlockingQueue<ConnectionState> states,
      Predicate<ConnectionState> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      ConnectionState s = states.poll(100, TimeUnit.MILLISECONDS);
      if (s != null && wanted.test(s)) {
        return s;
      }
    }
    throw new AssertionError("state not reached in time");
  }
}
