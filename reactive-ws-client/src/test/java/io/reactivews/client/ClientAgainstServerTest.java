package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.OriginPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The client against our own server over loopback: echo, headers, subprotocols, refusals. */
class ClientAgainstServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SessionOptions BIG = SessionOptions.defaults().maxMessageSize(32 << 20);

  private static BoundServer server;
  /** How the sessions of "/closed" ended, as the server saw them. */
  private static final Sinks.Many<CloseStatus> serverSaw = Sinks.many().replay().all();
  /** How the sessions of "/goodbye" ended, as the server saw them. */
  private static final Sinks.Many<CloseStatus> goodbyeSaw = Sinks.many().replay().all();

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.exact("/echo", session -> session.send(session.receive())).options(BIG))
        .route("/whoami", session -> session.send(Mono.just(Message.text(
            session.handshake().headers().get("Authorization") + " "
                + session.handshake().headers().get("X-Player")))))
        .route(Route.exact("/chat", session -> session.send(Mono.just(Message.text(
                String.valueOf(session.handshake().subprotocol())))))
            .subprotocols("v2.chat", "v1.chat"))
        .route("/fails", session -> Mono.error(new IllegalStateException("é".repeat(100))))
        .route("/closed", session -> session.closeStatus().doOnNext(serverSaw::tryEmitNext).then())
        // Says goodbye, closes with 1001, and closes the connection 200 ms later if unanswered.
        .route(Route.exact("/goodbye", session -> {
          session.closeStatus().subscribe(goodbyeSaw::tryEmitNext);
          return session.send(Mono.just(Message.text("goodbye")))
              .then(Mono.defer(() -> session.close(CloseStatus.GOING_AWAY)));
        }).options(SessionOptions.defaults().closeTimeout(Duration.ofMillis(200))))
        .route(Route.exact("/private", session -> session.receive().then())
            .origins(OriginPolicy.allow("https://good.example")))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  private static String uri(String path) {
    return "ws://127.0.0.1:" + server.port() + path;
  }

  @Test
  void echoesTextAndBinary() {
    WebSocketSession session = WebSocketClient.create().connect(uri("/echo")).block(WAIT);
    session.send(Flux.just(Message.text("héllo"), Message.binary(new byte[] {1, 2, 3})))
        .block(WAIT);
    StepVerifier.create(session.receive().take(2))
        .expectNext(Message.text("héllo"))
        .expectNext(Message.binary(new byte[] {1, 2, 3}))
        .verifyComplete();
    session.close().block(WAIT);
    assertEquals(1000, session.closeStatus().block(WAIT).code());
  }

  @Test
  void echoesASixteenMebibyteBinaryMessage() {
    byte[] big = new byte[16 << 20];
    new Random(6455).nextBytes(big);
    Message echoed = WebSocketClient.create().options(BIG).connect(uri("/echo"))
        .flatMap(session -> session.send(Mono.just(Message.binary(big)))
            .then(session.receive().next())
            .flatMap(m -> session.close().thenReturn(m)))
        .block(Duration.ofSeconds(30));
    assertArrayEquals(big, echoed.bytes());
  }

  @Test
  void connectWithAHandlerCompletesWhenTheSessionEnds() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    StepVerifier.create(WebSocketClient.create().connect(uri("/echo"), session ->
            session.send(Mono.just(Message.text("once")))
                .then(session.receive().next().doOnNext(m -> seen.add(m.text())).then())))
        .expectComplete()
        .verify(WAIT);
    assertEquals(List.of("once"), seen);
  }

  @Test
  void aServerHandlerFailingWithALongMessageClosesWith1011AndAReasonCutToFit() {
    WebSocketSession session = WebSocketClient.create().connect(uri("/fails")).block(WAIT);
    // Read, or the close frame waits behind the unread messages.
    StepVerifier.create(session.receive()).expectComplete().verify(Duration.ofSeconds(1));
    // 100 two-byte characters do not fit a close frame's 123 bytes: the first 61 do.
    assertEquals(CloseStatus.describing(1011, "é".repeat(61)), session.closeStatus().block(WAIT));
  }

  @Test
  void aClientHandlerFailingWithALongMessageClosesWith1011AndAReasonCutToFit() {
    String json = "{\"error\":\"" + "x".repeat(300) + "\"}";
    StepVerifier.create(WebSocketClient.create().connect(uri("/closed"),
            session -> Mono.error(new IllegalArgumentException(json))))
        .expectComplete()
        .verify(Duration.ofSeconds(1));
    assertEquals(CloseStatus.describing(1011, json.substring(0, 123)),
        serverSaw.asFlux().blockFirst(WAIT));
  }

  @Test
  void customHeadersReachTheServer() {
    WebSocketClient client = WebSocketClient.create()
        .header("Authorization", "Bearer t0ken")
        .header("X-Player", "7");
    String answer = client.connect(uri("/whoami"))
        .flatMap(session -> session.receive().next()).block(WAIT).text();
    assertEquals("Bearer t0ken 7", answer);
  }

  @Test
  void theServersSubprotocolChoiceIsNegotiated() {
    WebSocketSession session = WebSocketClient.create().subprotocols("v3.chat", "v1.chat")
        .connect(uri("/chat")).block(WAIT);
    assertEquals("v1.chat", session.handshake().subprotocol());
    assertEquals("v1.chat", session.receive().next().block(WAIT).text());
    assertEquals("v1.chat", session.handshake().headers().get("Sec-WebSocket-Protocol"));
  }

  @Test
  void noSharedSubprotocolMeansNone() {
    WebSocketSession session = WebSocketClient.create().subprotocols("v9.chat")
        .connect(uri("/chat")).block(WAIT);
    assertNull(session.handshake().subprotocol());
    session.close().block(WAIT);
  }

  @Test
  void anUnknownPathFailsWith404AndTheServersExplanation() {
    HandshakeException e = refusal(WebSocketClient.create().connect(uri("/nowhere")));
    assertEquals(404, e.status());
    assertTrue(e.body().contains("no route for /nowhere"), e.body());
    assertEquals("close", e.headers().get("Connection"));
  }

  @Test
  void aRefusedOriginFailsWith403() {
    HandshakeException e = refusal(WebSocketClient.create().origin("https://evil.example")
        .connect(uri("/private")));
    assertEquals(403, e.status());
    assertTrue(e.body().contains("origin not allowed"), e.body());
  }

  @Test
  void anAllowedOriginIsSent() {
    WebSocketSession session = WebSocketClient.create().origin("https://good.example")
        .connect(uri("/private")).block(WAIT);
    assertTrue(session.isOpen());
    session.close().block(WAIT);
  }

  @Test
  void whatTheServerSentBeforeClosingTheConnectionIsStillReadAndDecidesTheStatus() {
    WebSocketSession session = WebSocketClient.create().connect(uri("/goodbye")).block(WAIT);
    Flux<Message> messages = session.receive(); // asked for, not read yet
    // The server, unanswered, closed the connection; our end closes at its end of stream.
    assertEquals(1006, goodbyeSaw.asFlux().blockFirst(WAIT).code());
    StepVerifier.create(session.closeStatus())
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(300)) // the session waits for its reader
        .thenCancel()
        .verify();

    StepVerifier.create(messages)
        .expectNext(Message.text("goodbye"))
        .verifyComplete();
    assertEquals(CloseStatus.GOING_AWAY, session.closeStatus().block(WAIT));
  }

  @Test
  void copiesOfAClientListAndCloseTheirSessionsTogether() {
    WebSocketClient client = WebSocketClient.create();
    WebSocketSession a = client.connect(uri("/echo")).block(WAIT);
    WebSocketSession b = client.header("X-Player", "2").connect(uri("/echo")).block(WAIT);
    assertEquals(2, client.openSessions().size());
    assertTrue(client.openSessions().containsAll(List.of(a, b)));
    client.closeAll(CloseStatus.GOING_AWAY).block(WAIT);
    assertEquals(1001, a.closeStatus().block(WAIT).code());
    assertEquals(1001, b.closeStatus().block(WAIT).code());
    assertEquals(List.of(), client.openSessions());
  }

  @Test
  void aConnectionRefusedFailsTheMono() throws Exception {
    int unused;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      unused = s.getLocalPort();
    }
    StepVerifier.create(WebSocketClient.create().connect("ws://127.0.0.1:" + unused + "/"))
        .expectError(java.net.ConnectException.class)
        .verify(WAIT);
  }

  @Test
  void anInvalidUriFailsTheMono() {
    StepVerifier.create(WebSocketClient.create().connect("ftp://127.0.0.1/"))
        .expectErrorMatches(e -> e instanceof IllegalArgumentException
            && e.getMessage().contains("ws://"))
        .verify(WAIT);
  }

  static HandshakeException refusal(Mono<?> connect) {
    Throwable error = null;
    try {
      connect.block(WAIT);
    } catch (RuntimeException e) {
      error = e;
    }
    return assertInstanceOf(HandshakeException.class, error);
  }
}
