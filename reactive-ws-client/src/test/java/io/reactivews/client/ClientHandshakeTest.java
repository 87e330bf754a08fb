package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.ScriptedServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's half of the opening handshake (RFC 6455 section 4.1) against a scripted server. */
class ClientHandshakeTest {

  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void theRequestIsAnRfc6455UpgradeWithAFreshKeyPerAttempt() throws Exception {
    WebSocketClient client = WebSocketClient.create().header("Authorization", "Bearer x");
    String[] keys = new String[2];
    for (int i = 0; i < 2; i++) {
      CompletableFuture<WebSocketSession> connecting =
          client.connect(server.uri("/game?room=1")).toFuture();
      try (ScriptedServer.Peer peer = server.accept()) {
        String head = peer.upgrade();
        assertTrue(head.startsWith("GET /game?room=1 HTTP/1.1\r\n"), head);
        assertEquals("127.0.0.1:" + server.port(), RawHttp.header(head, "Host"));
        assertEquals("websocket", RawHttp.header(head, "Upgrade"));
        assertEquals("13", RawHttp.header(head, "Sec-WebSocket-Version"));
        assertEquals("Bearer x", RawHttp.header(head, "Authorization"));
        keys[i] = RawHttp.header(head, "Sec-WebSocket-Key");
        WebSocketSession session = connecting.get(5, TimeUnit.SECONDS);
        assertEquals("/game", session.handshake().path());
        assertEquals("1", session.handshake().queryParameter("room"));
      }
    }
    assertNotEquals(keys[0], keys[1]);
  }

  @Test
  void aPlain200FailsWithItsStatusHeadersAndBody() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
      peer.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 16\r\n\r\n"
          + "<h1>a page</h1>\n");
      HandshakeException e = failure(connecting);
      assertEquals(200, e.status());
      assertEquals("text/html", e.headers().get("Content-Type"));
      assertEquals("<h1>a page</h1>\n", e.body());
      assertTrue(e.getMessage().contains("expected 101"), e.getMessage());
    }
  }

  @Test
  void theBodyIsCutAfterOneKibibyte() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
      peer.write("HTTP/1.1 503 Service Unavailable\r\n\r\n" + "x".repeat(5000));
      HandshakeException e = failure(connecting);
      assertEquals(503, e.status());
      assertEquals("x".repeat(1024), e.body());
    }
  }

  @Test
  void aWrongAcceptFailsTheHandshake() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      // The accept of the RFC's sample key, which this attempt did not send.
      peer.upgrade("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      HandshakeException e = failure(connecting);
      assertEquals(101, e.status());
      assertTrue(e.getMessage().contains("does not answer the key"), e.getMessage());
      assertTrue(peer.readsEndOfStream(), "the client closes the connection");
    }
  }

  @Test
  void aSubprotocolThatWasNotOfferedFailsTheHandshake() throws Exception {
    CompletableFuture<WebSocketSession> connecting = WebSocketClient.create()
        .subprotocols("v1").connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      String key = RawHttp.header(peer.readHead(), "Sec-WebSocket-Key");
      peer.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + io.reactivews.core.handshake.WebSocketAccept.of(key)
          + "\r\nSec-WebSocket-Protocol: v2\r\n\r\n");
      HandshakeException e = failure(connecting);
      assertTrue(e.getMessage().contains("not offered"), e.getMessage());
    }
  }

  @Test
  void garbageInsteadOfHttpFailsWithNoStatus() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
      peer.write("SSH-2.0-OpenSSH_9.6\r\n\r\n");
      assertEquals(HandshakeException.NO_STATUS, failure(connecting).status());
    }
  }

  @Test
  void aServerThatClosesWithoutAnswerFailsTheHandshake() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
    }
    HandshakeException e = failure(connecting);
    assertEquals(HandshakeException.NO_STATUS, e.status());
    assertTrue(e.getMessage().contains("without answering"), e.getMessage());
  }

  @Test
  void aSilentServerFailsTheHandshakeAfterTheTimeout() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<WebSocketSession> connecting = WebSocketClient.create()
        .handshakeTimeout(Duration.ofMillis(300)).connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
      HandshakeException e = failure(connecting);
      assertEquals(HandshakeException.NO_STATUS, e.status());
      assertInstanceOf(TimeoutException.class, e.getCause());
      assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
      assertTrue(System.nanoTime() - start >= 300_000_000L);
      assertTrue(peer.readsEndOfStream(), "the client closes the connection");
    }
  }

  @Test
  void cancellingAConnectClosesTheConnection() throws Exception {
    reactor.core.Disposable connecting =
        WebSocketClient.create().connect(server.uri("/")).subscribe();
    try (ScriptedServer.Peer peer = server.accept()) {
      peer.readHead();
      connecting.dispose();
      assertTrue(peer.readsEndOfStream());
    }
  }

  static HandshakeException failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return assertInstanceOf(HandshakeException.class, e.getCause());
    }
    throw new AssertionError("the handshake succeeded");
  }
}
