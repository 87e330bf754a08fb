package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.ScriptedServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The client's frames on the wire (RFC 6455 section 5.3: every one masked) and what it does
 * when a server breaks the rules (section 7.1.7: fail the connection with the right code).
 */
class ClientFramingTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private ScriptedServer server;
  private ScriptedServer.Peer peer;
  private WebSocketSession session;

  @BeforeEach
  void connect() throws Exception {
    server = new ScriptedServer();
    CompletableFuture<WebSocketSession> connecting = WebSocketClient.create()
        .options(SessionOptions.defaults().maxMessageSize(1024))
        .connect(server.uri("/")).toFuture();
    peer = server.accept();
    peer.upgrade();
    session = connecting.get(5, TimeUnit.SECONDS);
    session.receive().subscribe(m -> { }, e -> { });
  }

  @AfterEach
  void close() throws Exception {
    peer.close();
    server.close();
  }

  @Test
  void everyClientFrameIsMasked() throws Exception {
    session.send(Mono.just(Message.text("hi"))).block(WAIT);
    RawFrame text = peer.readFrame();
    assertTrue(text.isMasked());
    assertEquals(0x1, text.opcode());
    assertEquals("hi", text.text());

    session.close(CloseStatus.of(4000, "bye")).subscribe();
    RawFrame close = peer.readFrame();
    assertTrue(close.isMasked());
    assertEquals(0x8, close.opcode());
    assertEquals(4000, close.closeCode());
    peer.writeHex("88 02 0f a0"); // close 4000, unmasked
    peer.close(); // the server closes TCP first (section 7.1.1)
    assertEquals(4000, session.closeStatus().block(WAIT).code());
  }

  @Test
  void aMaskedServerFrameFailsTheConnectionWith1002() throws Exception {
    peer.writeHex("81 85 37 fa 21 3d 7f 9f 4d 51 58"); // masked "Hello" (section 5.7)
    assertClientFailsWith(1002);
  }

  @Test
  void invalidUtf8InATextMessageFailsTheConnectionWith1007() throws Exception {
    peer.writeHex("81 02 c3 28"); // text: C3 starts a 2-byte sequence, 28 cannot continue it
    assertClientFailsWith(1007);
  }

  @Test
  void aReservedOpcodeFailsTheConnectionWith1002() throws Exception {
    peer.writeHex("83 00"); // opcode 0x3 is reserved for further non-control frames
    assertClientFailsWith(1002);
  }

  @Test
  void aFrameOverTheLimitFailsTheConnectionWith1009() throws Exception {
    peer.writeHex("82 7e 04 01"); // binary, 16-bit length 1025: one byte over maxMessageSize
    assertClientFailsWith(1009);
  }

  @Test
  void aServerCloseIsEchoedAndEndsTheSession() throws Exception {
    peer.writeHex("88 02 03 e9"); // close 1001
    RawFrame echo = peer.readFrame();
    assertTrue(echo.isMasked());
    assertEquals(1001, echo.closeCode());
    peer.close();
    assertEquals(1001, session.closeStatus().block(WAIT).code());
  }

  private void assertClientFailsWith(int code) throws Exception {
    RawFrame close = peer.readFrame();
    assertEquals(0x8, close.opcode());
    assertTrue(close.isMasked(), "the failing close frame is masked too");
    assertEquals(code, close.closeCode());
    peer.close(); // the server's end of the stream lets the client close at once
    CloseStatus status = session.closeStatus().block(WAIT);
    assertEquals(code, status.code());
    assertTrue(!status.reason().isEmpty(), "the status says what broke");
  }
}
