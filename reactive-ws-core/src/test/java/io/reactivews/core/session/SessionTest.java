package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.ClosePayload;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A whole session over an in-memory connection: RFC 6455 sections 5.5 and 7. */
class SessionTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SessionOptions OPTIONS =
      SessionOptions.defaults().closeTimeout(Duration.ofSeconds(2));

  private static DefaultWebSocketSession server(InMemoryTransport transport) {
    return DefaultWebSocketSession.open(transport, Role.SERVER, OPTIONS, HandshakeInfo.root());
  }

  private static DefaultWebSocketSession client(Transport transport) {
    return client(transport, OPTIONS);
  }

  private static DefaultWebSocketSession client(Transport transport, SessionOptions options) {
    return DefaultWebSocketSession.open(transport, Role.CLIENT, options, HandshakeInfo.root());
  }

  @Test
  void echoesTextAndBinaryAcrossTinyReads() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(64, 3);
    DefaultWebSocketSession server = server(pair.server());
    server.run(s -> s.send(s.receive())).subscribe();
    DefaultWebSocketSession client = client(pair.client());

    byte[] blob = new byte[5000];
    for (int i = 0; i < blob.length; i++) {
      blob[i] = (byte) i;
    }
    List<Message> sent = List.of(Message.text("héllo"), Message.binary(blob), Message.text(""));
    client.send(Flux.fromIterable(sent)).subscribe();
    StepVerifier.create(client.receive().take(3))
        .expectNextSequence(sent)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(client.close()).expectComplete().verify(WAIT);
    assertEquals(1000, client.closeStatus().block(WAIT).code());
    assertEquals(1000, server.closeStatus().block(WAIT).code());
    assertEquals(ReadyState.CLOSED, server.state());
  }

  @Test
  void clientInitiatedCloseIsAnsweredAndBothSidesSeeTheCode() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    List<ReadyState> serverStates = new CopyOnWriteArrayList<>();
    server.states().subscribe(serverStates::add);
    Mono<Void> handler = server.run(s -> s.receive().then());
    DefaultWebSocketSession client = client(pair.client());
    client.receive().subscribe(m -> { }, e -> { });

    client.close(CloseStatus.of(4001, "match over")).block(WAIT);
    handler.block(WAIT);
    assertEquals(CloseStatus.describing(4001, "match over"), server.closeStatus().block(WAIT));
    assertEquals(4001, client.closeStatus().block(WAIT).code());
    assertEquals(List.of(ReadyState.OPEN, ReadyState.CLOSING, ReadyState.CLOSED), serverStates);
  }

  @Test
  void closingASessionNobodyReadsStillSeesThePeersCloseFrame() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    server(pair.server()).run(s -> s.receive().then()).subscribe();
    DefaultWebSocketSession client = client(pair.client());

    client.close(CloseStatus.GOING_AWAY).block(WAIT);
    // The server's echo, read although the application never called receive(); not 1006.
    assertEquals(1001, client.closeStatus().block(WAIT).code());
  }

  @Test
  void serverAnswersPingWithPongCarryingTheSamePayload() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    server(pair.server()).run(s -> s.receive().then()).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(true, Opcode.PING, "are you there".getBytes(StandardCharsets.UTF_8));
    Frame pong = peer.nextFrame();
    assertEquals(Opcode.PONG, pong.opcode());
    assertEquals("are you there", new String(pong.payloadArray(), StandardCharsets.UTF_8));
  }

  @Test
  void unsolicitedPongIsIgnored() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    server(pair.server()).run(s -> s.send(s.receive())).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(true, Opcode.PONG, new byte[] {1, 2, 3});
    peer.writeFrame(true, Opcode.TEXT, "after".getBytes(StandardCharsets.UTF_8));
    Frame echo = peer.nextFrame();
    assertEquals(Opcode.TEXT, echo.opcode());
    assertEquals("after", new String(echo.payloadArray(), StandardCharsets.UTF_8));
  }

  @Test
  void unmaskedClientFrameFailsTheConnectionWith1002() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    Mono<Void> handler = server.run(s -> s.send(s.receive()));
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeHex("81 05 48656c6c6f"); // "Hello", not masked
    assertCloseFrame(peer.nextFrame(), 1002);
    peer.shutdownOutput();
    peer.expectEnd();
    handler.block(WAIT);
    CloseStatus status = server.closeStatus().block(WAIT);
    assertEquals(1002, status.code());
    assertTrue(status.reason().contains("unmasked"), status.reason());
  }

  @Test
  void invalidUtf8FailsWith1007AndTheApplicationSeesWhy() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    server.receive().subscribe(m -> { }, errors::add);
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(true, Opcode.TEXT, new byte[] {'a', (byte) 0xC0, (byte) 0x80});
    assertCloseFrame(peer.nextFrame(), 1007);
    peer.shutdownOutput();
    peer.expectEnd();
    assertEquals(1, errors.size());
    assertEquals(1007, assertInstanceOf(WebSocketException.class, errors.get(0)).code());
  }

  @Test
  void messageOverTheLimitFailsWith1009() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
        OPTIONS.maxMessageSize(1000), HandshakeInfo.root());
    server.run(s -> s.send(s.receive())).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(false, Opcode.BINARY, new byte[600]);
    peer.writeFrame(true, Opcode.CONTINUATION, new byte[600]);
    assertCloseFrame(peer.nextFrame(), 1009);
    peer.shutdownOutput();
    assertEquals(1009, server.closeStatus().block(WAIT).code());
  }

  @Test
  void closeFramesWithBadBodiesFailTheConnection() throws Exception {
    assertPeerCloseAnsweredWith("88 81 00000000 03", 1002); // 1-byte body
    assertPeerCloseAnsweredWith("88 82 00000000 03e7", 1002); // code 999
    assertPeerCloseAnsweredWith("88 82 00000000 03ed", 1002); // code 1005
    assertPeerCloseAnsweredWith("88 84 00000000 03e8 c080", 1007); // reason not UTF-8
    assertPeerCloseAnsweredWith("88 80 00000000", -1); // empty: echoed empty
    assertPeerCloseAnsweredWith("88 82 00000000 0bb8", 3000);
  }

  private static void assertPeerCloseAnsweredWith(String closeHex, int expected) throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    server.run(s -> s.send(s.receive())).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
    peer.writeHex(closeHex);
    Frame reply = peer.nextFrame();
    peer.shutdownOutput();
    if (expected < 0) {
      assertEquals(Opcode.CLOSE, reply.opcode());
      assertEquals(0, reply.length(), closeHex);
      assertEquals(1005, server.closeStatus().block(WAIT).code());
    } else {
      assertCloseFrame(reply, expected);
    }
    peer.expectEnd(); // the server half-closes once both close frames were exchanged
  }

  @Test
  void handlerCompletionClosesWith1000AndHandlerErrorWith1011() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    server(pair.server()).run(s -> s.send(Flux.just(Message.text("bye")))).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
    assertEquals("bye", new String(peer.nextFrame().payloadArray(), StandardCharsets.UTF_8));
    assertCloseFrame(peer.nextFrame(), 1000);

    InMemoryTransport.Pair pair2 = InMemoryTransport.pair();
    server(pair2.server()).run(s -> Mono.error(new IllegalStateException("boom"))).subscribe();
    RawPeer peer2 = new RawPeer(pair2.client(), Role.CLIENT);
    Frame close = peer2.nextFrame();
    assertCloseFrame(close, 1011);
    assertEquals("boom", ClosePayload.parse(close.payloadArray()).reason());
  }

  @Test
  void aHandlerErrorOfAnyLengthClosesWith1011AndTheStartOfItsMessage() throws Exception {
    String message = "ü".repeat(100); // 200 bytes of UTF-8: more than a close frame holds
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    server.run(s -> Mono.error(new IllegalStateException(message))).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    Frame close = peer.nextFrame();
    assertCloseFrame(close, 1011);
    assertEquals("ü".repeat(61), ClosePayload.parse(close.payloadArray()).reason());
    peer.writeFrame(true, Opcode.CLOSE, close.payloadArray());
    assertEquals(CloseStatus.describing(1011, "ü".repeat(61)), server.closeStatus().block(WAIT));
  }

  @Test
  void closeCutsAReasonTooLongForTheFrameAndRefusesACodeThatMayNotBeSent() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    server.receive().subscribe(m -> { }, e -> { });
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    StepVerifier.create(server.close(CloseStatus.ABNORMAL_CLOSURE))
        .expectErrorMessage("close code 1006 may not be sent").verify(WAIT);
    assertEquals(ReadyState.OPEN, server.state());
    server.close(CloseStatus.GOING_AWAY.withReason("x".repeat(500))).subscribe();
    Frame close = peer.nextFrame();
    assertCloseFrame(close, 1001);
    assertEquals("x".repeat(123), ClosePayload.parse(close.payloadArray()).reason());
    assertEquals(ReadyState.CLOSING, server.state());
    pair.server().close();
  }

  @Test
  void handlersThatNeverReadStillCompleteTheCloseHandshake() {
    assertHandlerCloses(1011, s -> {
      throw new IllegalStateException("boom");
    });
    assertHandlerCloses(1011, s -> null);
    // Asked for the messages, never subscribed to them.
    assertHandlerCloses(1011, s -> {
      s.receive();
      return Mono.error(new IllegalStateException("boom"));
    });
    assertHandlerCloses(1000, s -> {
      s.receive();
      return Mono.empty();
    });
    // An error whose own message fails.
    assertHandlerCloses(1011, s -> Mono.error(new IllegalStateException() {
      @Override
      public String getMessage() {
        throw new UnsupportedOperationException("no message");
      }
    }));
  }

  private static void assertHandlerCloses(
      int code, Function<WebSocketSession, Mono<Void>> handler) {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    server.run(handler).subscribe();
    DefaultWebSocketSession client = client(pair.client());
    client.receive().subscribe(m -> { }, e -> { });
    assertEquals(code, client.closeStatus().block(WAIT).code());
    // The server read the client's answer rather than timing out with 1006.
    assertEquals(code, server.closeStatus().block(WAIT).code());
  }

  @Test
  void closeTimesOutWhenThePeerNeverAnswers() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
        OPTIONS.closeTimeout(Duration.ofMillis(200)), HandshakeInfo.root());
    server.receive().subscribe(m -> { }, e -> { });
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    server.close(CloseStatus.GOING_AWAY).block(WAIT);
    assertCloseFrame(peer.nextFrame(), 1001);
    CloseStatus status = server.closeStatus().block(WAIT);
    assertEquals(1006, status.code());
    assertTrue(status.reason().contains("no close frame"), status.reason());
  }

  /** The peer's last message and its close frame, as they wait unread for the application. */
  private static Flux<ByteBuf> lastWordsAndClose() {
    HexFormat hex = HexFormat.of();
    return Flux.just("81046c617374", "880203e9") // "last", then close 1001
        .map(frame -> Unpooled.wrappedBuffer(hex.parseHex(frame)));
  }

  @Test
  void aCloseFrameReadAfterTheConnectionClosedStillGivesThePeersCode() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession client = client(pair.client().withInbound(lastWordsAndClose()));
    Flux<Message> messages = client.receive();
    pair.client().close(); // as Netty closes a connection at the peer's end of stream

    StepVerifier.create(messages)
        .expectNext(Message.text("last"))
        .verifyComplete();
    assertEquals(1001, client.closeStatus().block(WAIT).code());
  }

  @Test
  void aReaderThatAsksForNothingHoldsTheEndOnlyUntilTheCloseTimeout() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession client = client(pair.client().withInbound(lastWordsAndClose()),
        OPTIONS.closeTimeout(Duration.ofMillis(200)));
    Flux<Message> messages = client.receive();
    StepVerifier.create(messages, 0)
        .expectSubscription()
        .then(pair.client()::close)
        .then(() -> {
          CloseStatus status = client.closeStatus().block(WAIT);
          assertEquals(1006, status.code());
          assertTrue(status.reason().contains("not read within 200 ms"), status.reason());
        })
        // A reader reads on at its own pace; its messages end with the session's status.
        .thenRequest(2)
        .expectNext(Message.text("last"))
        .expectErrorSatisfies(e -> assertEquals(1006, ((WebSocketException) e).code()))
        .verify(WAIT);
  }

  @Test
  void aSessionNobodyReadsEndsAsSoonAsItsConnectionCloses() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession client = client(pair.client().withInbound(lastWordsAndClose()));
    pair.client().close();

    assertEquals(ReadyState.CLOSED, client.state());
    assertEquals(1006, client.closeStatus().block(WAIT).code());
    // What came is dropped: a reader that comes late hears how the session ended.
    StepVerifier.create(client.receive())
        .expectErrorSatisfies(e -> assertEquals(1006, ((WebSocketException) e).code()))
        .verify(WAIT);
  }

  @Test
  void endOfStreamWithoutCloseIs1006AndAnErrorForTheReader() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    Flux<Message> messages = server.receive();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
    peer.writeFrame(true, Opcode.TEXT, "last words".getBytes(StandardCharsets.UTF_8));
    peer.shutdownOutput();

    StepVerifier.create(messages)
        .expectNext(Message.text("last words"))
        .expectErrorSatisfies(e -> assertEquals(1006, ((WebSocketException) e).code()))
        .verify(WAIT);
    assertEquals(1006, server.closeStatus().block(WAIT).code());
  }

  @Test
  void sinkReportsOverflowInsteadOfQueueingWithoutBound() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(4096, 4096);
    DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
        OPTIONS.outboundQueueMessages(100), HandshakeInfo.root());
    // Nobody reads the client end: the window fills, then the queue, then emits fail.
    Message chunk = Message.binary(new byte[1000]);
    int accepted = 0;
    Sinks.EmitResult result;
    while ((result = server.tryEmit(chunk)) == Sinks.EmitResult.OK) {
      accepted++;
      assertTrue(accepted < 1000, "the sink never pushed back");
    }
    assertEquals(Sinks.EmitResult.FAIL_OVERFLOW, result);
    assertEquals(100, server.queuedMessages());
    assertTrue(pair.server().bytesInFlight() <= 4096 + 1010, "window exceeded");
    pair.server().close();
    pair.client().close();
  }

  @Test
  void aReaderThatRequestsNothingStopsTheSender() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(8192, 8192);
    DefaultWebSocketSession server = server(pair.server());
    DefaultWebSocketSession client = client(pair.client());
    StepVerifier.FirstStep<Message> reader = StepVerifier.create(server.receive(), 0);

    Flux<Message> plenty = Flux.range(0, 10_000).map(i -> Message.binary(new byte[1024]));
    client.send(plenty).subscribe(null, e -> { });
    reader.expectSubscription().expectNoEvent(Duration.ofMillis(200))
        .then(() -> assertHeldWithinWindow(pair.client()))
        .thenRequest(3).expectNextCount(3)
        .then(() -> assertHeldWithinWindow(pair.client()))
        .then(() -> pair.client().close())
        .thenCancel().verify(WAIT);
  }

  private static void assertHeldWithinWindow(InMemoryTransport writer) {
    // The window, plus the one message the writer had in hand: nothing else buffers.
    long held = writer.bytesInFlight();
    assertTrue(held > 0 && held <= 8192 + 1034, "bytes held: " + held);
  }

  @Test
  void silentPeerIsPingedThenDeclaredDeadWith1011() throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    try {
      InMemoryTransport.Pair pair = InMemoryTransport.pair();
      DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
          OPTIONS.pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5))
              .closeTimeout(Duration.ofSeconds(1)).scheduler(clock),
          HandshakeInfo.root());
      server.run(s -> s.send(s.receive())).subscribe();
      RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

      clock.advanceTimeBy(Duration.ofSeconds(10));
      assertEquals(Opcode.PING, peer.nextFrame().opcode());
      clock.advanceTimeBy(Duration.ofSeconds(5));
      Frame close = peer.nextFrame();
      assertCloseFrame(close, 1011);
      assertEquals("keepalive timeout", ClosePayload.parse(close.payloadArray()).reason());
      clock.advanceTimeBy(Duration.ofSeconds(1));
      assertEquals(CloseStatus.describing(1011, "keepalive timeout"),
          server.closeStatus().block(WAIT));
    } finally {
      clock.dispose();
    }
  }

  @Test
  void answeredPingsKeepTheSessionOpen() throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    try {
      InMemoryTransport.Pair pair = InMemoryTransport.pair();
      DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
          OPTIONS.pingInterval(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(5))
              .scheduler(clock),
          HandshakeInfo.root());
      server.run(s -> s.send(s.receive())).subscribe();
      RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
      int pongs = 0;
      // A minute, a second at a time; each ping is answered in the second it came (the first
      // comes 5 to 10 s in, each session at a silence of its own).
      for (int second = 0; second < 60; second++) {
        clock.advanceTimeBy(Duration.ofSeconds(1));
        for (Object seen : peer.drainNow()) {
          Frame ping = assertInstanceOf(Frame.class, seen);
          assertEquals(Opcode.PING, ping.opcode());
          peer.writeFrame(true, Opcode.PONG, ping.payloadArray());
          pongs++;
        }
      }
      assertTrue(pongs >= 5, "pinged at least every 10 s: " + pongs);
      assertEquals(ReadyState.OPEN, server.state());
      pair.server().close();
    } finally {
      clock.dispose();
    }
  }

  @Test
  void idleSessionIsClosedWith1001WhileMessagesKeepItOpenAndPingsDoNot() throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    try {
      InMemoryTransport.Pair pair = InMemoryTransport.pair();
      DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
          OPTIONS.idleTimeout(Duration.ofSeconds(10)).pingInterval(Duration.ofSeconds(3))
              .scheduler(clock),
          HandshakeInfo.root());
      server.run(s -> s.send(s.receive())).subscribe();
      RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

      clock.advanceTimeBy(Duration.ofSeconds(6));
      peer.writeFrame(true, Opcode.TEXT, "still here".getBytes(StandardCharsets.UTF_8));
      clock.advanceTimeBy(Duration.ofSeconds(9)); // 15 s in, 9 s after the last message
      assertEquals(ReadyState.OPEN, server.state());
      Frame close = null;
      for (int i = 0; i < 20 && close == null; i++) {
        clock.advanceTimeBy(Duration.ofSeconds(1));
        for (Object seen : peer.drainNow()) {
          if (seen instanceof Frame f && f.opcode() == Opcode.PING) {
            peer.writeFrame(true, Opcode.PONG, f.payloadArray()); // pongs are not messages
          } else if (seen instanceof Frame f && f.opcode() == Opcode.CLOSE) {
            close = f;
          }
        }
      }
      assertCloseFrame(close, 1001);
      assertEquals("idle timeout", ClosePayload.parse(close.payloadArray()).reason());
    } finally {
      clock.dispose();
    }
  }

  @Test
  void secondSubscriberToReceiveIsRefused() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = server(pair.server());
    server.receive().subscribe(m -> { }, e -> { });
    StepVerifier.create(server.receive()).expectError(IllegalStateException.class).verify(WAIT);
    pair.server().close();
  }

  private static void assertCloseFrame(Frame frame, int code) {
    assertEquals(Opcode.CLOSE, frame.opcode(), "expected a close frame");
    assertTrue(frame.length() >= 2, "close frame without a code");
    assertEquals(code, ClosePayload.parse(frame.payloadArray()).code(), frame.toString());
  }

  @SuppressWarnings("unused")
  private static void assertBytes(byte[] expected, Frame frame) {
    assertArrayEquals(expected, frame.payloadArray());
  }
}
