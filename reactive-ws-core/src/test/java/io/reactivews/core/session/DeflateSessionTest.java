package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.deflate.CompressionCounters;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.testing.Deflating;
import io.reactivews.testing.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** permessage-deflate in whole sessions (RFC 7692 section 7.2): both roles, limits, memory. */
class DeflateSessionTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final DeflateParameters DEFAULT_AGREEMENT =
      new DeflateParameters(true, true, -1, -1);
  private static final SessionOptions OPTIONS = SessionOptions.defaults()
      .closeTimeout(Duration.ofSeconds(2)).pingInterval(Duration.ZERO)
      .maxMessageSize(64 * 1024);
  private static final byte[] JSON = ("{\"type\":\"score\",\"team\":\"blue\",\"kills\":12}")
      .repeat(20).getBytes(StandardCharsets.UTF_8);

  private static PerMessageDeflate deflate(Role role, DeflateParameters agreed,
      DeflateOptions options) {
    return PerMessageDeflate.of(role, agreed, options, CompressionCounters.create());
  }

  private static DefaultWebSocketSession open(InMemoryTransport t, Role role,
      PerMessageDeflate deflate) {
    return DefaultWebSocketSession.open(t, role, OPTIONS, HandshakeInfo.root(), deflate);
  }

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakGuard.assertNoLeaks("DeflateSessionTest");
  }

  @Test
  void bothRolesEchoCompressedMessagesAndCountBothDirections() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(64, 7);
    PerMessageDeflate serverDeflate = deflate(Role.SERVER, DEFAULT_AGREEMENT,
        DeflateOptions.defaults());
    PerMessageDeflate clientDeflate = deflate(Role.CLIENT, DEFAULT_AGREEMENT,
        DeflateOptions.defaults());
    DefaultWebSocketSession server = open(pair.server(), Role.SERVER, serverDeflate);
    server.run(s -> s.send(s.receive())).subscribe();
    DefaultWebSocketSession client = open(pair.client(), Role.CLIENT, clientDeflate);

    List<Message> sent = List.of(Message.textUtf8(JSON), Message.text("short"),
        Message.binary(JSON).withoutCompression(), Message.binary(new byte[20000]));
    client.send(Flux.fromIterable(sent)).subscribe();
    StepVerifier.create(client.receive().take(4)).expectNextSequence(sent).expectComplete()
        .verify(WAIT);
    client.close().block(WAIT);

    CompressionCounters c = clientDeflate.stats();
    CompressionCounters s = serverDeflate.stats();
    // "short" is under the threshold; the opted-out binary goes plain, and its echo (a new
    // message, which carries no opt-out) goes compressed.
    assertEquals(2, c.messagesCompressed());
    assertEquals(2, s.messagesInflated());
    assertEquals(3, s.messagesCompressed());
    assertEquals(3, c.messagesInflated());
    assertEquals(JSON.length + 20000, c.bytesSentUncompressed());
    assertEquals(c.bytesSentCompressed(), s.bytesReceivedCompressed());
    assertEquals(c.bytesSentUncompressed(), s.bytesReceivedInflated());
    assertTrue(c.bytesSentCompressed() < c.bytesSentUncompressed() / 10, c.toString());
    assertEquals(client.compressionStats().orElseThrow(), c);
    assertEquals(DEFAULT_AGREEMENT, server.compression().orElseThrow());
  }

  @Test
  void theServersFramesCarryRsv1OnlyWhenCompressed() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    PerMessageDeflate d = deflate(Role.SERVER, DEFAULT_AGREEMENT, DeflateOptions.defaults());
    open(pair.server(), Role.SERVER, d).run(s -> s.send(s.receive())).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(true, FrameHeader.RSV1, Opcode.TEXT, Deflating.compress(JSON));
    Frame echo = peer.nextFrame();
    assertEquals(FrameHeader.RSV1, echo.rsv());
    assertArrayEquals(JSON, Deflating.decompress(echo.payloadArray()));

    peer.writeFrame(true, Opcode.TEXT, "tiny".getBytes(StandardCharsets.UTF_8));
    Frame plain = peer.nextFrame();
    assertEquals(0, plain.rsv());
    assertEquals("tiny", new String(plain.payloadArray(), StandardCharsets.UTF_8));

    byte[] noise = new byte[2000];
    new java.util.SplittableRandom(7).nextBytes(noise);
    peer.writeFrame(true, Opcode.BINARY, noise);
    Frame incompressible = peer.nextFrame();
    assertEquals(0, incompressible.rsv(), "what does not shrink goes plain");
    assertArrayEquals(noise, incompressible.payloadArray());

    peer.writeFrame(true, FrameHeader.RSV1, Opcode.PING, new byte[0]);
    Frame close = peer.nextFrame();
    assertEquals(Opcode.CLOSE, close.opcode());
    assertEquals(1002, ((close.payloadArray()[0] & 0xff) << 8) | (close.payloadArray()[1] & 0xff));
  }

  @Test
  void aBombClosesWith1009AndTheInflaterGoesBack() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    PerMessageDeflate d = deflate(Role.SERVER, DEFAULT_AGREEMENT, DeflateOptions.defaults());
    DefaultWebSocketSession server = open(pair.server(), Role.SERVER, d);
    server.run(s -> s.send(s.receive())).subscribe();
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);

    peer.writeFrame(true, FrameHeader.RSV1, Opcode.BINARY, Deflating.bomb(64 << 20));
    Frame close = peer.nextFrame();
    assertEquals(Opcode.CLOSE, close.opcode());
    assertEquals(1009, server.closeStatus().block(WAIT).code());
    assertFalse(d.holdsInflater());
  }

  @Test
  void aSmallerWindowForUsIsHonouredWithHuffmanCodingAndStillInflates() {
    DeflateParameters limited = new DeflateParameters(true, true, 9, -1);
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    open(pair.server(), Role.SERVER, deflate(Role.SERVER, limited, DeflateOptions.defaults()))
        .run(s -> s.send(s.receive())).subscribe();
    PerMessageDeflate clientSide = deflate(Role.CLIENT, limited, DeflateOptions.defaults());
    DefaultWebSocketSession client = open(pair.client(), Role.CLIENT, clientSide);
    client.send(Mono.just(Message.textUtf8(JSON))).subscribe();
    StepVerifier.create(client.receive().take(1)).expectNext(Message.textUtf8(JSON))
        .expectComplete().verify(WAIT);
    // Entropy coding alone: smaller, but nothing like what back-references achieve.
    long got = clientSide.stats().bytesReceivedCompressed();
    assertTrue(got < JSON.length && got > JSON.length / 4, "received " + got);
    client.close().block(WAIT);
  }

  @Test
  void contextTakeoverModeReleasesItsStreamsWhenTheConnectionEnds() {
    DeflateParameters keeps = new DeflateParameters(false, false, -1, -1);
    DeflateOptions options = DeflateOptions.defaults().contextTakeover(true);
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    PerMessageDeflate serverSide = deflate(Role.SERVER, keeps, options);
    open(pair.server(), Role.SERVER, serverSide).run(s -> s.send(s.receive())).subscribe();
    DefaultWebSocketSession client = open(pair.client(), Role.CLIENT,
        deflate(Role.CLIENT, keeps, options));
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(Message.textUtf8(JSON));
    }
    client.send(Flux.fromIterable(sent)).subscribe();
    StepVerifier.create(client.receive().take(5)).expectNextSequence(sent).expectComplete()
        .verify(WAIT);
    // With context, repeats of a message cost a few bytes each.
    assertTrue(serverSide.stats().bytesSentCompressed() < 2L * JSON.length / 5,
        serverSide.stats().toString());
    client.close().block(WAIT);
    assertThrows(IllegalStateException.class, () -> serverSide.encode(Message.textUtf8(JSON),
        io.reactivews.core.frame.FrameEncoder.forRole(Role.SERVER),
        PooledByteBufAllocator.DEFAULT), "the dedicated deflater was ended at the close");
  }

  @Test
  void aSessionThatKeepsContextCompressesABroadcastForItselfAndTheRestShare() {
    PreparedMessage score = PreparedMessage.of(Message.textUtf8(JSON),
        PooledByteBufAllocator.DEFAULT);
    DeflateParameters keeps = new DeflateParameters(false, false, -1, -1);
    CompressionCounters server = CompressionCounters.create();
    CapturingTransport own = new CapturingTransport(Long.MAX_VALUE);
    DefaultWebSocketSession.open(own, Role.SERVER, OPTIONS, HandshakeInfo.root(),
            PerMessageDeflate.of(Role.SERVER, keeps,
                DeflateOptions.defaults().contextTakeover(true), server.child()))
        .sendPrepared(Flux.just(score.retain(), score.retain())).block(WAIT);
    assertEquals(0, score.compressedFrames(), "nothing shared for a session with context");
    assertEquals(2, server.compressorRuns());
    try (Deflating peer = new Deflating(false, false)) {
      for (ByteBuf written : own.written) {
        assertEquals(0xC1, written.getUnsignedByte(0), "FIN, RSV1, text");
        Frame f = FrameDecoder.forRole(Role.CLIENT).allowRsv(FrameHeader.RSV1)
            .apply(Flux.just(written.duplicate())).reduce((x, y) -> y).block(WAIT);
        assertArrayEquals(JSON, peer.inflate(f.payloadArray()));
      }
    }
    own.releaseWritten();
    assertTrue(score.release());
  }

  @Test
  void aBroadcastIsCompressedOnceForEverySessionOfTheSameShape() {
    PreparedMessage score = PreparedMessage.of(Message.textUtf8(JSON),
        PooledByteBufAllocator.DEFAULT);
    CompressionCounters server = CompressionCounters.create();
    List<CapturingTransport> transports = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CapturingTransport t = new CapturingTransport(Long.MAX_VALUE);
      transports.add(t);
      PerMessageDeflate d = PerMessageDeflate.of(Role.SERVER, DEFAULT_AGREEMENT,
          DeflateOptions.defaults(), server.child());
      DefaultWebSocketSession.open(t, Role.SERVER, OPTIONS, HandshakeInfo.root(), d)
          .sendPrepared(Mono.fromSupplier(score::retain)).block(WAIT);
    }
    CapturingTransport plain = new CapturingTransport(Long.MAX_VALUE);
    DefaultWebSocketSession.open(plain, Role.SERVER, OPTIONS, HandshakeInfo.root())
        .sendPrepared(Mono.fromSupplier(score::retain)).block(WAIT);

    assertEquals(1, server.compressorRuns(), "one compression for five sessions");
    assertEquals(5, server.messagesCompressed());
    assertEquals(1, score.compressedFrames());
    for (CapturingTransport t : transports) {
      ByteBuf written = t.written.get(0);
      assertTrue(score.isCompressedFrameOf(written));
      assertEquals(0xC1, written.getUnsignedByte(0), "FIN, RSV1, text");
    }
    assertTrue(score.isFrameOf(plain.written.get(0)), "the plain session gets the plain frame");
    Frame decoded = FrameDecoder.forRole(Role.CLIENT).allowRsv(FrameHeader.RSV1)
        .apply(Flux.just(transports.get(0).written.get(0).duplicate()))
        .reduce((a, b) -> b).block(WAIT);
    assertArrayEquals(JSON, Deflating.decompress(decoded.payloadArray()));
    for (CapturingTransport t : transports) {
      t.releaseWritten();
    }
    plain.releaseWritten();
    assertTrue(score.release(), "the creator's reference was the last");
  }
}
