package io.reactivews.server;

import static io.reactivews.server.EventLog.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import io.reactivews.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * What a server decides before the 101 (RFC 6455 section 4.2.2): a hook that refuses or
 * attaches attributes, and the subprotocol chosen by the server's order of preference.
 */
class HandshakePolicyTest {

  private static BoundServer server;
  private static EventLog events;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    // Accepts ?token=secret, after an asynchronous "lookup" that names the user.
    HandshakeHook tokens = ctx -> "secret".equals(ctx.queryParameter("token"))
        ? Mono.delay(Duration.ofMillis(20)).doOnNext(t -> ctx.attribute("user", "alice")).then()
        : ctx.reject(401, "a valid token is required");
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .handshakeTimeout(Duration.ofSeconds(2))
        .route(Route.exact("/auth", session -> session.send(
                Mono.just(Message.text("hello " + session.attributes().get("user")))))
            .onHandshake(tokens))
        .route(Route.exact("/proto", session -> session.send(
                Mono.just(Message.text(String.valueOf(session.handshake().subprotocol())))))
            .subprotocols("game.v2", "game.v1"))
        .route(Route.exact("/stuck", session -> session.receive().then())
            .onHandshake(ctx -> Mono.never()))
        .route(Route.exact("/broken", session -> session.receive().then())
            .onHandshake(ctx -> Mono.error(new IllegalStateException("auth backend down"))))
        .route(Route.exact("/page", session -> session.receive().then())
            .page(StaticPage.html("<h1>hello</h1>")))
        .bindNow();
    events = new EventLog(server);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    events.close();
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void hookRefusalIsSentWithItsStatusAndReason() throws Exception {
    int mark = events.mark();
    String response;
    try (RawClient client = RawClient.connect(server.port())) {
      response = client.write(RawHttp.upgradeRequest("/auth?token=wrong")).readResponse();
    }
    assertTrue(response.startsWith("HTTP/1.1 401 "), response);
    assertTrue(response.endsWith("\r\n\r\na valid token is required\n"), response);
    ServerEvent.Refused event = (ServerEvent.Refused) events.awaitAfter(mark, refused(401));
    assertEquals("/auth", event.path());
    assertEquals("a valid token is required", event.reason());
  }

  @Test
  void aHookThatFailsIsAnsweredWith500AndItsCauseGoesToTheEvents() throws Exception {
    int mark = events.mark();
    String response;
    try (RawClient client = RawClient.connect(server.port())) {
      response = client.write(RawHttp.upgradeRequest("/broken")).readResponse();
    }
    assertTrue(response.startsWith("HTTP/1.1 500 "), response);
    assertFalse(response.contains("auth backend down"), "the cause stays on the server");
    events.awaitAfter(mark, refused(500));
    ServerEvent.Failed failed = (ServerEvent.Failed) events.awaitAfter(mark,
        e -> e instanceof ServerEvent.Failed f && "auth backend down".equals(f.error().getMessage()));
    assertTrue(failed.error() instanceof IllegalStateException);
  }

  @Test
  void aHeadRequestForAPageGetsTheLengthOfTheGetsBodyAndNoBody() throws Exception {
    String get;
    String head;
    try (RawClient client = RawClient.connect(server.port())) {
      get = client.write("GET /page HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
    }
    try (RawClient client = RawClient.connect(server.port())) {
      head = client.write("HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
    }
    assertTrue(get.endsWith("\r\n\r\n<h1>hello</h1>"), get);
    assertTrue(get.contains("Content-Length: 14\r\n"), get);
    assertTrue(head.contains("Content-Length: 14\r\n"), head);
    assertTrue(head.endsWith("\r\n\r\n"), "no body: " + head);
  }

  @Test
  void attributesAttachedByTheHookReachTheHandler() throws Exception {
    RecordingListener client = RecordingListener.open(http,
        "ws://127.0.0.1:" + server.port() + "/auth?token=secret");
    assertEquals("hello alice", client.nextText());
    assertEquals(1000, client.awaitClose());
  }

  @Test
  void serverPreferenceChoosesTheSubprotocol() throws Exception {
    // The client lists game.v1 first; the server prefers game.v2 and both speak it.
    RecordingListener listener = new RecordingListener();
    listener.socket = http.newWebSocketBuilder().subprotocols("game.v1", "game.v2")
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/proto"), listener)
        .get(5, TimeUnit.SECONDS);
    assertEquals("game.v2", listener.socket.getSubprotocol());
    assertEquals("game.v2", listener.nextText());
  }

  @Test
  void noCommonSubprotocolOpensWithoutOne() throws Exception {
    try (RawClient client = RawClient.connect(server.port())) {
      client.write(RawHttp.upgradeRequest("/proto")
          .replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat, game.v9\r\n\r\n"));
      String head = client.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertTrue(!head.toLowerCase().contains("sec-websocket-protocol"), head);
      assertEquals("null", client.readFrame().text());
    }
  }

  @Test
  void hookThatNeverAnswersIsCutOffByTheHandshakeTimeout() throws Exception {
    int mark = events.mark();
    long start = System.nanoTime();
    try (RawClient client = RawClient.connect(server.port())) {
      client.write(RawHttp.upgradeRequest("/stuck"));
      // Told why, then dropped.
      String response = client.readResponse();
      assertTrue(response.startsWith("HTTP/1.1 408 Request Timeout\r\n"), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 1900 && millis < 4000, "dropped after " + millis + " ms");
    events.awaitAfter(mark, refused(408));
  }
}
