package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.ScriptedServer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's side of permessage-deflate negotiation (RFC 7692 section 7.1) on the wire. */
class ClientCompressionTest {

  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private static String extensionsHeader(String value) {
    return "Sec-WebSocket-Extensions: " + value + "\r\n";
  }

  @Test
  void offersDeflateByDefaultAndRunsWhatTheServerAccepted() throws Exception {
    CompletableFuture<WebSocketSession> connecting =
        WebSocketClient.create().connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      String head = peer.upgradeWith(extensionsHeader(
          "permessage-deflate; server_no_context_takeover; client_max_window_bits=10"));
      assertEquals("permessage-deflate; client_max_window_bits",
          RawHttp.header(head, "Sec-WebSocket-Extensions"));
      WebSocketSession session = connecting.get(5, TimeUnit.SECONDS);
      assertEquals(new DeflateParameters(true, false, -1, 10), session.compression().orElseThrow());
    }
  }

  @Test
  void offersNothingWhenDisabledAndRunsPlain() throws Exception {
    CompletableFuture<WebSocketSession> connecting = WebSocketClient.create()
        .options(SessionOptions.defaults().compression(DeflateOptions.disabled()))
        .connect(server.uri("/")).toFuture();
    try (ScriptedServer.Peer peer = server.accept()) {
      String head = peer.upgrade();
      assertNull(RawHttp.header(head, "Sec-WebSocket-Extensions"));
      assertEquals(Optional.empty(), connecting.get(5, TimeUnit.SECONDS).compression());
    }
  }

  @Test
  void anAnswerTheClientDidNotAskForFailsTheHandshake() throws Exception {
    for (String answer : new String[] {"permessage-deflate; x=1",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate, permessage-deflate"}) {
      CompletableFuture<WebSocketSession> connecting =
          WebSocketClient.create().connect(server.uri("/")).toFuture();
      try (ScriptedServer.Peer peer = server.accept()) {
        peer.upgradeWith(extensionsHeader(answer));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> connecting.get(5, TimeUnit.SECONDS));
        HandshakeException h = assertInstanceOf(HandshakeException.class, e.getCause());
        assertEquals(101, h.status());
        assertTrue(h.getMessage().startsWith("server"), answer + ": " + h.getMessage());
      }
    }
  }
}
