package io.reactivews.server;

import static io.reactivews.server.EventLog.closed;
import static io.reactivews.server.EventLog.connected;
import static io.reactivews.server.EventLog.refused;
import static io.reactivews.testing.RawHttp.upgradeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.session.SessionOptions;
import io.reactivews.testing.RawFrame;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Clients that stall, lie, flood or vanish, and handlers that break: each ends its own
 * connection with the right status while a healthy client on the same server keeps echoing
 * (checked after every test).
 */
class HostileInputTest {

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
  private static final SessionOptions KEEPALIVE = SessionOptions.defaults()
      .pingInterval(Duration.ofMillis(200))
      .pingTimeout(Duration.ofMillis(200))
      .closeTimeout(Duration.ofMillis(500));

  private static BoundServer server;
  private static EventLog events;
  private static HttpClient http;
  private static RawClient healthy;
  private static final AtomicInteger echoes = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .handshakeTimeout(HANDSHAKE_TIMEOUT)
        .maxHead(1024, 20)
        .route("/echo", session -> session.send(session.receive()))
        .route(Route.exact("/quiet", session -> session.receive().then()).options(KEEPALIVE))
        .route("/throws", session -> {
          throw new IllegalStateException("handler bug");
        })
        .route("/error", session -> Mono.error(new IllegalStateException("handler failed")))
        .route("/null", session -> null)
        .bindNow();
    events = new EventLog(server);
    http = HttpClient.newHttpClient();
    healthy = RawClient.open(server.port(), "/echo");
  }

  @AfterEach
  void healthyClientStillEchoes() throws Exception {
    String text = "still here " + echoes.incrementAndGet();
    assertEquals(text, healthy.sendText(text).readFrame().text());
  }

  @AfterAll
  static void stop() throws IOException {
    healthy.close();
    events.close();
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void slowlorisHandshakeIsDroppedAtTheHandshakeTimeout() throws Exception {
    byte[] request = upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
    int mark = events.mark();
    long start = System.nanoTime();
    int sent = 0;
    String end = "open";
    try (RawClient client = RawClient.connect(server.port())) {
      while (end.equals("open") && sent < request.length) {
        try {
          client.write(new byte[] {request[sent++]});
        } catch (IOException e) {
          end = "write failed";
          break;
        }
        end = client.awaitEnd(100); // one byte every 100 ms
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertNotEquals("open", end, "the server waited for the whole slow request");
    assertTrue(sent < request.length, "the request was finished: " + sent);
    assertTrue(millis >= 450 && millis < 2000, "dropped after " + millis + " ms");
    ServerEvent.Refused event = (ServerEvent.Refused) events.awaitAfter(mark, refused(408));
    assertTrue(event.reason().contains("handshake not finished"), event.reason());
  }

  @Test
  void aTlsHelloOnThePlainPortIs400() throws Exception {
    // The start of a TLS 1.2 ClientHello: record type 22, version 3.1, length 0x01fc.
    byte[] hello = HexFormat.of().parseHex("16030101fc010001f80303");
    assertStatus(400, hello);
  }

  @Test
  void garbageLineBeforeTheUpgradeIs400() throws Exception {
    assertStatus(400, ("HELLO THERE\r\n" + upgradeRequest("/echo"))
        .getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void oversizedHeadIs431() throws Exception {
    String big = upgradeRequest("/echo")
        .replace("\r\n\r\n", "\r\nX-Filler: " + "a".repeat(8000) + "\r\n\r\n");
    assertStatus(431, big.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void tooManyHeadersIs431() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      headers.append("X-H").append(i).append(": v\r\n");
    }
    String request = upgradeRequest("/echo").replace("\r\n\r\n", "\r\n" + headers + "\r\n");
    assertStatus(431, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void postUpgradeIs405() throws Exception {
    String response = assertStatus(405, upgradeRequest("/echo").replace("GET", "POST")
        .getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(response.contains("\r\nAllow: GET\r\n"), response);
  }

  @Test
  void upgradeWithoutUpgradeHeadersIs400() throws Exception {
    String request = upgradeRequest("/echo")
        .replace("Upgrade: websocket\r\n", "").replace("Connection: Upgrade\r\n", "");
    String response = assertStatus(400, request.getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(response.contains("Upgrade"), response);
  }

  @Test
  void wrongVersionIs426NamingVersion13() throws Exception {
    String response = assertStatus(426, upgradeRequest("/echo")
        .replace("Version: 13", "Version: 8").getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
  }

  @Test
  void silentPeerIsClosedByKeepaliveWith1011() throws Exception {
    int mark = events.mark();
    long start = System.nanoTime();
    try (RawClient client = RawClient.open(server.port(), "/quiet")) {
      // It reads but never answers: a half-open connection as the server sees it.
      RawFrame ping = client.readFrame();
      assertEquals(0x9, ping.opcode());
      RawFrame close = client.readClose();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1011, close.closeCode());
      String reason = new String(close.closeReason(), StandardCharsets.UTF_8);
      assertTrue(reason.contains("keepalive"), reason);
      // The ping comes after 100-200 ms of silence (each session's own point in the interval's
      // second half), then 200 ms with no answer.
      assertTrue(millis >= 290 && millis < 3000, "closed after " + millis + " ms");
      assertEquals("eof", client.awaitEnd(3000));
    }
    ServerEvent.Closed event = (ServerEvent.Closed) events.awaitAfter(mark,
        e -> e instanceof ServerEvent.Closed c && c.session().handshake().path().equals("/quiet"));
    assertEquals(1011, event.status().code());
  }

  @Test
  void handlerThatThrowsClosesItsSessionWith1011() throws Exception {
    assertHandlerFailureCloses("/throws");
  }

  @Test
  void handlerThatReturnsAnErrorClosesItsSessionWith1011() throws Exception {
    assertHandlerFailureCloses("/error");
  }

  @Test
  void handlerThatReturnsNullClosesItsSessionWith1011() throws Exception {
    assertHandlerFailureCloses("/null");
  }

  @Test
  void connectionsBeyondMaxConnectionsAre503() throws Exception {
    BoundServer small = WebSocketServer.create().host("127.0.0.1").port(0)
        .maxConnections(2)
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    try (EventLog log = new EventLog(small);
        RawClient first = RawClient.open(small.port(), "/echo");
        RawClient second = RawClient.open(small.port(), "/echo")) {
      try (RawClient third = RawClient.connect(small.port())) {
        third.write(upgradeRequest("/echo"));
        String response = third.readResponse();
        assertTrue(response.startsWith("HTTP/1.1 503"), response);
      }
      log.await(refused(503));
      first.sendText("ok").readFrame();
      first.sendClose(1000).readClose();
      first.close();
      log.await(closed(1000));
      // A slot is free again.
      try (RawClient fourth = RawClient.open(small.port(), "/echo")) {
        assertEquals("hi", fourth.sendText("hi").readFrame().text());
      }
      assertEquals(3, log.count(connected()));
    } finally {
      small.shutdown(Duration.ofSeconds(5)).block();
    }
  }

  private static void assertHandlerFailureCloses(String path) throws Exception {
    int mark = events.mark();
    long start = System.nanoTime();
    RecordingListener client =
        RecordingListener.open(http, "ws://127.0.0.1:" + server.port() + path);
    assertEquals(1011, client.awaitClose());
    ServerEvent.Closed event = (ServerEvent.Closed) events.awaitAfter(mark,
        e -> e instanceof ServerEvent.Closed c && c.session().handshake().path().equals(path));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1011, event.status().code(), event.toString());
    // The close handshake completed: no wait for the 5 s close timeout.
    assertTrue(millis < 2000, "closed after " + millis + " ms");
  }

  /** Sends {@code request} raw, reads the whole response, checks status and event. */
  private static String assertStatus(int status, byte[] request) throws Exception {
    int mark = events.mark();
    String response;
    try (RawClient client = RawClient.connect(server.port())) {
      client.write(request);
      response = client.readResponse();
    }
    assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
    ServerEvent.Refused event = (ServerEvent.Refused) events.awaitAfter(mark, refused(status));
    assertTrue(!event.reason().isEmpty() && event.remoteAddress() != null, event.toString());
    return response;
  }
}
