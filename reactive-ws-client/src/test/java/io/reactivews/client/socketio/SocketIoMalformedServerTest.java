package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.client.ConnectionState;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Our own WebSocket server plays a Socket.IO server that breaks the protocol, one script per
 * Engine.IO path; each broken packet must end the namespace session and the connection for good
 * with a {@link SocketIoProtocolException} that says what was wrong, close the WebSocket with
 * 1002, and not reconnect.
 */
class SocketIoMalformedServerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Message OPEN = Message.text("0{\"sid\":\"e1\",\"upgrades\":[],"
      + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
  private static final Message CONNECTED = Message.text("40{\"sid\":\"n1\"}");

  private static final Map<String, List<Message>> SCRIPTS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, CloseStatus> CLOSES = new ConcurrentHashMap<>();
  private static BoundServer server;

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.prefix("/bad/", SocketIoMalformedServerTest::play))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  /**
   * Sends the script's messages up to a {@code null}, waits for the client's CONNECT, then
   * sends the rest (a script without {@code null} is sent at once); records how the client
   * closed.
   */
  private static Mono<Void> play(WebSocketSession session) {
    String path = session.handshake().path();
    CONNECTIONS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    List<Message> script = SCRIPTS.get(path);
    int split = script.indexOf(null);
    List<Message> before = split < 0 ? script : script.subList(0, split);
    List<Message> after = split < 0 ? List.of() : script.subList(split + 1, script.size());
    // Reading goes on either way, or the client's close frame would never be seen.
    Flux<Message> rest = split < 0
        ? session.receive().thenMany(Flux.empty())
        : session.receive().filter(m -> m.isText() && m.text().startsWith("40")).next()
            .flatMapMany(m -> Flux.fromIterable(after));
    return session.send(Flux.fromIterable(before).concatWith(rest))
        .onErrorResume(e -> Mono.empty()) // the client closed while we were still reading
        .then(session.closeStatus())
        .doOnNext(status -> CLOSES.put(path, status))
        .then();
  }

  static Stream<Arguments> brokenServers() {
    return Stream.of(
        broken("unknown Engine.IO packet type '9'", OPEN, null, CONNECTED, text("9")),
        broken("unknown Socket.IO packet type '7'", OPEN, null, CONNECTED, text("47[\"x\"]")),
        broken("Socket.IO packet data is not JSON", OPEN, null, CONNECTED, text("42[\"x\",")),
        broken("attachment count is not a number", OPEN, null, CONNECTED, text("45x-[\"x\"]")),
        broken("points past the 1 attachment(s)", OPEN, null, CONNECTED,
            text("451-[\"f\",{\"_placeholder\":true,\"num\":3}]"),
            // 01 02 03: the one announced attachment
            Message.binary(new byte[] {1, 2, 3})),
        broken("binary message of 3 bytes when no attachment was due", OPEN, null, CONNECTED,
            Message.binary(new byte[] {1, 2, 3})),
        broken("attachment(s) of a BINARY_EVENT were still due", OPEN, null, CONNECTED,
            text("451-[\"f\",{\"_placeholder\":true,\"num\":0}]"), text("42[\"x\"]")),
        broken("namespace /nowhere, which this client never connected", OPEN, null, CONNECTED,
            text("42/nowhere,[\"x\"]")),
        broken("EVENT with a payload the protocol does not allow", OPEN, null, CONNECTED,
            text("42{\"not\":\"an array\"}")),
        broken("Engine.IO open packet needs a positive integer pingInterval",
            text("0{\"sid\":\"e1\",\"upgrades\":[],\"pingTimeout\":20000,\"maxPayload\":1}")),
        broken("Engine.IO open packet is not JSON", text("0{sid")),
        broken("before the open packet", text("42[\"early\"]")),
        broken("a second Engine.IO open packet", OPEN, null, CONNECTED, OPEN),
        broken("upgrade packet on a WebSocket connection", OPEN, null, CONNECTED, text("5")),
        broken("CONNECT for / without a sid", OPEN, null, text("40{}")));
  }

  private static Arguments broken(String expected, Message... script) {
    return Arguments.of(expected, new ArrayList<>(java.util.Arrays.asList(script)));
  }

  private static Message text(String packet) {
    return Message.text(packet);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenServers")
  void aBrokenPacketEndsTheSessionWithAClearError(String expected, List<Message> script) {
    String path = "/bad/" + Integer.toHexString(expected.hashCode()) + "/";
    SCRIPTS.put(path, script);
    SocketIoClient client = SocketIoClient.create().path(path)
        .reconnect(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(50)))
        .connectTimeout(WAIT);
    SocketIoManager manager = client.manager("http://127.0.0.1:" + server.port());
    Throwable cause = manager.connect("/")
        .flatMap(session -> session.events().then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just))
        .onErrorResume(Mono::just)
        .block(WAIT);
    assertInstanceOf(SocketIoProtocolException.class, cause, String.valueOf(cause));
    assertTrue(cause.getMessage().contains(expected), cause.getMessage());

    StepVerifier.create(manager.states().last())
        .expectNextMatches(s -> s.phase() == ConnectionState.Phase.CLOSED)
        .expectComplete()
        .verify(WAIT);
    Mono.delay(Duration.ofMillis(200)).block(); // a reconnection would have come by now
    assertEquals(1, CONNECTIONS.get(path).get(), "no reconnection after a protocol error");
    assertEquals(1002, awaitClose(path).code());
    // A session leaves the client's list just after its close completes.
    Flux.interval(Duration.ofMillis(10)).filter(i -> client.webSocket.openSessions().isEmpty())
        .blockFirst(WAIT);
  }

  private static CloseStatus awaitClose(String path) {
    return Flux.interval(Duration.ofMillis(10)).map(i -> CLOSES.getOrDefault(path,
            CloseStatus.NORMAL.withReason("none yet")))
        .filter(s -> !s.reason().equals("none yet"))
        .blockFirst(WAIT);
  }
}
