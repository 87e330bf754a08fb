package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivews.client.ConnectionState;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Client behaviour that a real server cannot be made to show on demand, against a fake
 * Engine.IO server played by our own WebSocket server: pongs, ack timeouts, the offline buffer's
 * bound, the server's {@code maxPayload}, the Engine.IO close packet, closing the manager.
 */
class SocketIoFakeServerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String OPEN = "0{\"sid\":\"e1\",\"upgrades\":[],"
      + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":%d}";

  /** A fake server: given a session and its connection number (from 1), plays one connection. */
  private interface Play extends BiFunction<WebSocketSession, Integer, Mono<Void>> {}

  private static final Map<String, Play> PLAYS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();
  private static BoundServer server;
  private String path;

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.prefix("/fake/", session -> {
          String path = session.handshake().path();
          int n = CONNECTIONS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          return PLAYS.get(path).apply(session, n);
        }))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  private SocketIoClient client(TestInfo test, Play play) {
    path = "/fake/" + test.getTestMethod().orElseThrow().getName() + "/";
    PLAYS.put(path, play);
    RECEIVED.put(path, new CopyOnWriteArrayList<>());
    return SocketIoClient.create().path(path)
        .reconnect(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(50)))
        .connectTimeout(WAIT);
  }

  private String uri() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  /** Opens with {@code maxPayload}, accepts the namespace, records what the client sends. */
  private Mono<Void> accepting(WebSocketSession session, long maxPayload,
      Flux<Message> afterConnect) {
    List<String> received = RECEIVED.get(session.handshake().path());
    Flux<Message> replies = session.receive()
        .doOnNext(m -> received.add(m.isText() ? m.text() : "binary " + m.size()))
        .concatMap(m -> m.isText() && m.text().startsWith("40")
            ? Flux.just(Message.text("40{\"sid\":\"n1\"}")).concatWith(afterConnect)
            : Flux.empty());
    return session.send(Flux.just(Message.text(String.format(OPEN, maxPayload)))
            .concatWith(replies))
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * First connection: accepted, then closed by the server's Engine.IO close packet ("1"). Each
   * later one: accepted after {@code away}, while the client buffers its emits.
   */
  private Play droppedThenBackAfter(Duration away) {
    Mono<Void> released = Mono.delay(away).then();
    return (s, n) -> n == 1
        ? accepting(s, 1_000_000, Flux.just(Message.text("1")))
        : released.then(accepting(s, 1_000_000, Flux.empty()));
  }

  /** Waits until the server has received {@code count} messages on this test's path. */
  private void awaitReceived(int count) {
    Flux.interval(Duration.ofMillis(10)).filter(i -> RECEIVED.get(path).size() >= count)
        .blockFirst(WAIT);
  }

  @Test
  void pingsAreAnsweredWithPongs(TestInfo test) {
    SocketIoSession session = client(test,
        (s, n) -> accepting(s, 1_000_000, Flux.just(Message.text("2"), Message.text("2"))))
        .connect(uri()).block(WAIT);
    awaitReceived(3);
    assertEquals(List.of("40", "3", "3"), RECEIVED.get(path));
    session.disconnect().block(WAIT);
  }

  @Test
  void anAckThatNeverComesTimesOut(TestInfo test) {
    SocketIoSession session = client(test, (s, n) -> accepting(s, 1_000_000, Flux.empty()))
        .ackTimeout(Duration.ofMillis(200))
        .connect(uri()).block(WAIT);
    StepVerifier.create(session.emitWithAck("hello", 1))
        .expectErrorMessage("no ack for 'hello' on / within 200 ms")
        .verify(WAIT);
    awaitReceived(2);
    assertEquals("420[\"hello\",1]", RECEIVED.get(path).get(1));
    session.disconnect().block(WAIT);
  }

  @Test
  void metersCountPacketsAcksAndAckTimeouts(TestInfo test) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SocketIoSession session = client(test, (s, n) -> accepting(s, 1_000_000, Flux.empty()))
        .ackTimeout(Duration.ofMillis(200))
        .metrics(meters)
        .connect(uri()).block(WAIT);
    StepVerifier.create(session.emitWithAck("lost", 1))
        .expectErrorMessage("no ack for 'lost' on / within 200 ms")
        .verify(WAIT);
    session.disconnect().block(WAIT);

    assertEquals(1, meters.get("reactivews.socketio.ack.timeouts").counter().count());
    assertEquals(0, meters.get("reactivews.socketio.ack.duration").timer().count());
    assertEquals(1, meters.get("reactivews.socketio.packets.received").tag("type", "connect")
        .counter().count());
    assertEquals(1, meters.get("reactivews.socketio.packets.sent").tag("type", "event")
        .counter().count());
    assertEquals(1, meters.get("reactivews.socketio.packets.sent").tag("type", "connect")
        .counter().count());
    // The WebSocket under it is metered in the same registry.
    assertEquals(1, meters.get("reactivews.client.handshakes").tag("status", "101")
        .timer().count());
  }

  @Test
  void anAckMeasuresItsRoundTrip(TestInfo test) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SocketIoSession session = client(test, (s, n) -> {
      Flux<Message> replies = s.receive().concatMap(m -> m.text().startsWith("40")
          ? Flux.just(Message.text("40{\"sid\":\"n1\"}"))
          : m.text().startsWith("420") ? Flux.just(Message.text("430[\"ok\"]")) : Flux.empty());
      return s.send(Flux.just(Message.text(String.format(OPEN, 1_000_000))).concatWith(replies))
          .onErrorResume(e -> Mono.empty());
    }).metrics(meters).connect(uri()).block(WAIT);
    assertEquals("[\"ok\"]", session.emitWithAck("ask").block(WAIT).toString());
    session.disconnect().block(WAIT);
    assertEquals(1, meters.get("reactivews.socketio.ack.duration").timer().count());
    assertEquals(1, meters.get("reactivews.socketio.packets.received").tag("type", "ack")
        .counter().count());
  }

  @Test
  void emitsOverTheServersMaxPayloadAreRefused(TestInfo test) {
    SocketIoSession session = client(test, (s, n) -> accepting(s, 16, Flux.empty()))
        .connect(uri()).block(WAIT);
    StepVerifier.create(session.emit("e", "0123456789"))
        .expectErrorMessage("a 20-byte message exceeds the server's maxPayload of 16 bytes")
        .verify(WAIT);
    session.emit("e", "short").block(WAIT); // 42["e","short"] is 15 bytes
    assertTrue(session.isConnected(), "a refused emit does not end the session");
    session.disconnect().block(WAIT);
  }

  @Test
  void theOfflineBufferIsBoundedAndKeepsOrder(TestInfo test) {
    // First connection: accepted, then closed by the server packet "1". Second: accepted only
    // after the client has buffered its emits.
    SocketIoSession session = client(test, droppedThenBackAfter(Duration.ofMillis(300)))
        .offlineBuffer(2)
        .connect(uri()).block(WAIT);
    session.states().filter(st -> st.phase() == SocketIoState.Phase.DISCONNECTED)
        .blockFirst(WAIT);
    Mono<Void> first = session.emit("n", 1).cache();
    Mono<Void> second = session.emit("n", 2).cache();
    first.subscribe();
    second.subscribe();
    StepVerifier.create(session.emit("n", 3))
        .expectErrorMessage("/ is not connected and 2 emits already wait, the offline buffer's"
            + " limit")
        .verify(WAIT);
    first.then(second).block(WAIT);
    awaitReceived(4);
    assertEquals(List.of("40", "40", "42[\"n\",1]", "42[\"n\",2]"), RECEIVED.get(path));
    assertEquals(2, CONNECTIONS.get(path).get());
    session.disconnect().block(WAIT);
  }

  @Test
  void closingTheManagerClosesEveryNamespace(TestInfo test) {
    SocketIoClient client = client(test, (s, n) -> accepting(s, 1_000_000, Flux.empty()));
    SocketIoManager manager = client.manager(uri());
    SocketIoSession session = manager.connect("/").block(WAIT);
    assertEquals(1, client.webSocket.openSessions().size());
    manager.close().block(WAIT);
    // A session leaves the client's list just after its close completes.
    Flux.interval(Duration.ofMillis(10)).filter(i -> client.webSocket.openSessions().isEmpty())
        .blockFirst(WAIT);
    assertEquals(SocketIoState.Phase.CLOSED, session.state().phase());
    StepVerifier.create(session.events()).verifyComplete();
    StepVerifier.create(manager.states().last())
        .expectNextMatches(s -> s.phase() == ConnectionState.Phase.CLOSED)
        .verifyComplete();
    StepVerifier.create(session.emit("late"))
        .expectErrorMessage("/ is closed")
        .verify(WAIT);
    StepVerifier.create(manager.connect("/other"))
        .expectErrorMessage("this manager is closed")
        .verify(WAIT);
  }

  @Test
  void aNamespaceIsConnectedOnlyOncePerManager(TestInfo test) {
    SocketIoManager manager = client(test, (s, n) -> accepting(s, 1_000_000, Flux.empty()))
        .manager(uri());
    SocketIoSession session = manager.connect("/").block(WAIT);
    StepVerifier.create(manager.connect("/"))
        .expectErrorMessage("/ is connected already on " + "ws://127.0.0.1:" + server.port()
            + path + "?EIO=4&transport=websocket")
        .verify(WAIT);
    assertTrue(session.isConnected());
    session.disconnect().block(WAIT);
  }
  @Test
  void aLatePacketOfAConnectionGivenUpIsIgnoredAndTheClientReconnects(TestInfo test) {
    String quickPings = "0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":150,"
        + "\"pingTimeout\":150,\"maxPayload\":1000000}";
    SocketIoSession session = client(test, (s, n) -> {
      if (n > 1) {
        return accepting(s, 1_000_000, Flux.empty());
      }
      // Accepts the namespace, then stalls: no pings, nothing read (so the client's close is
      // not answered) until its own ping goes out, late, after the client gave up on it.
      Sinks.Many<Message> out = Sinks.many().unicast().onBackpressureBuffer();
      out.tryEmitNext(Message.text(quickPings));
      s.receive().subscribe(new BaseSubscriber<Message>() {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
          subscription.request(1); // the namespace's connect, and nothing after it
        }

        @Override
        protected void hookOnNext(Message connect) {
          out.tryEmitNext(Message.text("40{\"sid\":\"n1\"}"));
          Mono.delay(Duration.ofMillis(700)).subscribe(t -> out.tryEmitNext(Message.text("2")));
        }
      });
      return s.send(out.asFlux()).onErrorResume(e -> Mono.empty());
    }).connect(uri()).block(WAIT);
    Flux.interval(Duration.ofMillis(20))
        .filter(i -> CONNECTIONS.get(path).get() >= 2 && session.isConnected())
        .blockFirst(Duration.ofSeconds(20));
    assertTrue(session.isConnected(), "back on a new connection: " + session.state());
    session.disconnect().block(WAIT);
  }

  @Test
  void anEmitGivenUpOnWhileOfflineIsNotSentLater(TestInfo test) {
    SocketIoSession session = client(test, droppedThenBackAfter(Duration.ofMillis(1500)))
        .ackTimeout(Duration.ofMillis(200))
        .connect(uri()).block(WAIT);
    session.states().filter(st -> st.phase() == SocketIoState.Phase.DISCONNECTED)
        .blockFirst(WAIT);
    // Three tries, each given up after 200 ms, all while the server is away.
    StepVerifier.create(session.emitWithAck("result", 42).retry(2))
        .expectErrorMessage("no ack for 'result' on / within 200 ms")
        .verify(WAIT);
    session.states().filter(st -> st.phase() == SocketIoState.Phase.CONNECTED)
        .blockFirst(WAIT);
    session.emit("after").block(WAIT);
    awaitReceived(3);
    assertEquals(List.of("40", "40", "42[\"after\"]"), RECEIVED.get(path),
        "none of the three copies given up on was sent");
    session.disconnect().block(WAIT);
  }

  @Test
  void aManagerWhoseFirstConnectTimedOutConnectsLater(TestInfo test) {
    SocketIoManager manager = client(test, (s, n) -> n == 1
        ? Mono.never() // upgraded, then silent: the server is not ready yet
        : accepting(s, 1_000_000, Flux.empty()))
        .connectTimeout(Duration.ofMillis(300))
        .manager(uri());
    StepVerifier.create(manager.connect("/"))
        .expectErrorMessage("/ was not connected within 300 ms")
        .verify(WAIT);
    SocketIoSession session = manager.connect("/").block(WAIT);
    assertTrue(session.isConnected());
    session.disconnect().block(WAIT);
  }
  @Test
  void aSubscriberThatFallsBehindHoldsNobodyUpAndFailsAlone(TestInfo test) {
    // On "ready", the server sends 5,000 ticks, then a kick.
    SocketIoSession session = client(test, (s, n) -> {
      List<String> received = RECEIVED.get(s.handshake().path());
      Flux<Message> replies = s.receive()
          .doOnNext(m -> received.add(m.text()))
          .concatMap(m -> m.text().startsWith("40") ? Flux.just(Message.text("40{\"sid\":\"n1\"}"))
              : m.text().contains("ready") ? Flux.range(0, 5_000)
                  .map(i -> Message.text("42[\"tick\"," + i + "]"))
                  .concatWithValues(Message.text("42[\"kick\",\"alice\"]"))
              : Flux.empty());
      return s.send(Flux.just(Message.text(String.format(OPEN, 1_000_000))).concatWith(replies))
          .onErrorResume(e -> Mono.empty());
    }).connect(uri()).block(WAIT);
    List<Integer> ticks = new CopyOnWriteArrayList<>();
    List<String> kicks = new CopyOnWriteArrayList<>();
    Throwable[] stalled = {null};
    AtomicInteger stalledGot = new AtomicInteger();
    BaseSubscriber<SocketIoEvent> stalling = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        // asks for nothing: it falls behind by everything, until it asks below
      }

      @Override
      protected void hookOnNext(SocketIoEvent event) {
        stalledGot.incrementAndGet();
      }

      @Override
      protected void hookOnError(Throwable error) {
        stalled[0] = error;
      }
    };
    session.events().subscribe(stalling);
    session.on("tick", Integer.class).subscribe(ticks::add);
    session.on("kick", String.class).subscribe(kicks::add);
    session.emit("ready").block(WAIT);
    Flux.interval(Duration.ofMillis(20)).filter(i -> kicks.size() == 1).blockFirst(WAIT);
    assertEquals(List.of("alice"), kicks);
    assertEquals(5_000, ticks.size(), "every tick, though another subscriber read none");
    // The one that fell behind gets what its own buffer held, then the overflow.
    stalling.request(Long.MAX_VALUE);
    Flux.interval(Duration.ofMillis(20)).filter(i -> stalled[0] != null).blockFirst(WAIT);
    assertTrue(reactor.core.Exceptions.isOverflow(stalled[0]), String.valueOf(stalled[0]));
    assertEquals(SocketIoSession.SUBSCRIBER_BUFFER, stalledGot.get());
    session.disconnect().block(WAIT);
  }
  @Test
  void anAckWhoseConnectionIsLostFailsAtOnceNotAtItsTimeout(TestInfo test) {
    // The server takes the event asking for an ack, then closes the Engine.IO session ("1").
    SocketIoSession session = client(test, (s, n) -> {
      Flux<Message> replies = s.receive()
          .concatMap(m -> m.text().startsWith("40") ? Flux.just(Message.text("40{\"sid\":\"n1\"}"))
              : m.text().contains("unanswered") ? Flux.just(Message.text("1"))
              : Flux.empty());
      return s.send(Flux.just(Message.text(String.format(OPEN, 1_000_000))).concatWith(replies))
          .onErrorResume(e -> Mono.empty());
    }).ackTimeout(Duration.ofSeconds(30))
        .connect(uri()).block(WAIT);
    StepVerifier.create(session.emitWithAck("unanswered"))
        .expectErrorMessage("the connection was lost before the ack came on /")
        .verify(WAIT);
    session.disconnect().block(WAIT);
  }
}
