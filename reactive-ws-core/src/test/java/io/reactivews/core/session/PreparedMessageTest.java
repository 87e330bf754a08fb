package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.message.Message;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.RawFrame;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

/**
 * A message encoded once and written by many sessions: RFC 6455 section 5.1 (servers do not
 * mask, so one frame serves every connection; clients mask each frame) and the ownership of its
 * one network buffer on every path: written, closed, cancelled, late.
 */
class PreparedMessageTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SessionOptions OPTIONS =
      SessionOptions.defaults().pingInterval(Duration.ZERO);

  private final List<PreparedMessage> created = new ArrayList<>();

  private PreparedMessage prepare(Message message) {
    PreparedMessage prepared = PreparedMessage.of(message, PooledByteBufAllocator.DEFAULT);
    created.add(prepared);
    return prepared;
  }

  @AfterEach
  void releaseCreatorsReference() {
    for (PreparedMessage prepared : created) {
      assertEquals(1, prepared.refCnt(), "only the creator's reference may be left");
      prepared.release();
    }
  }

  private static DefaultWebSocketSession open(CapturingTransport transport, Role role) {
    return DefaultWebSocketSession.open(transport, role, OPTIONS, HandshakeInfo.root());
  }

  @Test
  void encodesOneUnmaskedFinalFrame() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
    open(transport, Role.SERVER).sendPrepared(Mono.fromSupplier(hello::retain)).block(WAIT);

    // FIN + text, no mask bit, length 5, "Hello"
    assertEquals("810548656c6c6f", ByteBufUtil.hexDump(transport.written.get(0)));
    assertEquals(5, hello.size());
    assertEquals(7, hello.frameSize());
    assertEquals(Opcode.TEXT, hello.opcode());
    transport.releaseWritten();
  }

  @Test
  void messageIsDecodedBackFromTheFrame() {
    byte[] blob = new byte[300]; // 16-bit length: a 4-byte header
    for (int i = 0; i < blob.length; i++) {
      blob[i] = (byte) (i * 7);
    }
    assertEquals(Message.binary(blob), prepare(Message.binary(blob)).message());
    assertEquals(304, created.get(0).frameSize());
    assertEquals(Message.text("héllo"), prepare(Message.text("héllo")).message());
  }

  @Test
  void serverSessionsWriteTheSameFrameThroughTheirOwnDuplicates() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    List<CapturingTransport> transports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
      transports.add(transport);
      open(transport, Role.SERVER).sendPrepared(Mono.fromSupplier(hello::retain)).block(WAIT);
    }

    assertEquals(4, hello.refCnt(), "the creator and one written duplicate per session");
    ByteBuf first = transports.get(0).written.get(0);
    ByteBuf second = transports.get(1).written.get(0);
    assertNotSame(first, second);
    for (CapturingTransport transport : transports) {
      assertTrue(hello.isFrameOf(transport.written.get(0)), "shares the one encoded frame");
    }
    first.skipBytes(7); // one transport reading its copy moves nobody else's index
    assertEquals(7, second.readableBytes());
    for (CapturingTransport transport : transports) {
      transport.releaseWritten();
    }
  }

  @Test
  void writersOnManyThreadsEachCarryTheirOwnReferenceAndIndices() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    FrameEncoder server = FrameEncoder.forRole(Role.SERVER);
    for (int round = 0; round < 200; round++) {
      hello.retain(2); // two queues hold it, and write it at once on their threads
      ByteBuf[] written = new ByteBuf[2];
      RaceTestUtils.race(
          () -> written[0] = hello.writeWith(server, PooledByteBufAllocator.DEFAULT),
          () -> written[1] = hello.writeWith(server, PooledByteBufAllocator.DEFAULT));
      assertEquals(3, hello.refCnt(), "the creator's, and one per written buffer");
      written[0].skipBytes(2);
      assertEquals(7, written[1].readableBytes(), "one reader moves nobody else's index");
      RaceTestUtils.race(written[0]::release, written[1]::release);
      assertEquals(1, hello.refCnt(), "writing released the queues' references");
    }
  }

  @Test
  void clientSessionMasksAFreshCopyAndGivesTheSharedFrameBack() throws IOException {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
    open(transport, Role.CLIENT).sendPrepared(Mono.fromSupplier(hello::retain)).block(WAIT);

    ByteBuf written = transport.written.get(0);
    assertFalse(hello.isFrameOf(written), "a client may not share a frame");
    assertEquals(1, hello.refCnt(), "the client's reference was released once copied");
    assertEquals(0x81, written.getUnsignedByte(0));
    assertEquals(0x80 | 5, written.getUnsignedByte(1), "mask bit set, length 5");
    assertEquals("Hello", RawFrame.read(new ByteBufInputStream(written.duplicate())).text());
    transport.releaseWritten();
  }

  @Test
  void clientSessionMasksALongPayloadStraightFromTheSharedFrame() throws IOException {
    byte[] payload = Bytes.pattern(2 * 4096 + 13);
    PreparedMessage big = prepare(Message.binary(payload));
    CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
    open(transport, Role.CLIENT).sendPrepared(Mono.fromSupplier(big::retain)).block(WAIT);

    ByteBuf written = transport.written.get(0);
    assertFalse(big.isFrameOf(written), "a client may not share a frame");
    assertEquals(1, big.refCnt(), "the client's reference was released once masked");
    assertArrayEquals(payload,
        RawFrame.read(new ByteBufInputStream(written.duplicate())).payload());
    assertArrayEquals(payload, big.message().bytes(), "the shared frame is untouched");
    transport.releaseWritten();
  }

  @Test
  void queuedFramesAreWrittenBeforeTheCloseFrame() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(0);
    DefaultWebSocketSession session = open(transport, Role.SERVER);
    session.sendPrepared(Mono.fromSupplier(hello::retain)).subscribe();
    session.close(CloseStatus.NORMAL).subscribe();
    assertEquals(2, hello.refCnt(), "queued in the session");

    transport.request(10);
    assertEquals(2, transport.written.size());
    assertTrue(hello.isFrameOf(transport.written.get(0)));
    assertEquals("8802 03e8".replace(" ", ""), ByteBufUtil.hexDump(transport.written.get(1)));
    transport.releaseWritten();
  }

  @Test
  void queuedFrameIsReleasedWhenTheConnectionCloses() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(0);
    DefaultWebSocketSession session = open(transport, Role.SERVER);
    // Retains only what the session asks for: one, the rest stays with the source.
    Mono<Void> sent = session.sendPrepared(Flux.range(0, 5).map(i -> hello.retain()));
    StepVerifier.create(sent)
        .then(() -> assertEquals(2, hello.refCnt()))
        .then(transport::close)
        .expectError(WebSocketException.class)
        .verify(WAIT);
    assertTrue(transport.written.isEmpty());
  }

  @Test
  void queuedFrameIsReleasedWhenTheTransportCancels() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(0);
    DefaultWebSocketSession session = open(transport, Role.SERVER);
    session.sendPrepared(Mono.fromSupplier(hello::retain)).subscribe(null, e -> { });
    assertEquals(2, hello.refCnt());

    transport.cancelWrites();
    assertEquals(1, hello.refCnt());
  }

  @Test
  void frameArrivingAfterTheConnectionClosedIsReleased() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
    DefaultWebSocketSession session = open(transport, Role.SERVER);
    AtomicReference<Subscriber<? super PreparedMessage>> late = new AtomicReference<>();
    // A source that ignores cancellation, as a racing producer may.
    session.sendPrepared(subscriber -> {
      late.set(subscriber);
      subscriber.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
      });
    }).subscribe(null, e -> { });
    transport.close();

    late.get().onNext(hello.retain());
    assertEquals(1, hello.refCnt());
    assertTrue(transport.written.isEmpty());
  }

  @Test
  void sessionsWithoutSharedFramesEncodeEachMessageThroughSend() {
    PreparedMessage hello = prepare(Message.text("Hello"));
    CapturingTransport transport = new CapturingTransport(Long.MAX_VALUE);
    WebSocketSession real = open(transport, Role.SERVER);
    // Another implementation of the application's interface: every call goes to the real one.
    InvocationHandler delegate = (proxy, method, args) -> method.invoke(real, args);
    WebSocketSession plain = (WebSocketSession) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {WebSocketSession.class}, delegate);

    Sessions.sendPrepared(plain, Mono.fromSupplier(hello::retain)).block(WAIT);
    ByteBuf written = transport.written.get(0);
    assertEquals("810548656c6c6f", ByteBufUtil.hexDump(written));
    assertFalse(hello.isFrameOf(written), "encoded afresh");
    assertEquals(1, hello.refCnt(), "the session's reference was given back");
    transport.releaseWritten();
  }

  @Test
  void eachWriteReadsTheFrameThroughItsOwnIndexesUpToTheLastHolder() {
    PreparedMessage shared =
        PreparedMessage.of(Message.text("shared"), PooledByteBufAllocator.DEFAULT);
    shared.retain().retain(); // three holders: the creator and two queues
    FrameEncoder server = FrameEncoder.forRole(Role.SERVER);
    ByteBuf first = shared.writeWith(server, PooledByteBufAllocator.DEFAULT);
    ByteBuf second = shared.writeWith(server, PooledByteBufAllocator.DEFAULT);
    ByteBuf last = shared.writeWith(server, PooledByteBufAllocator.DEFAULT); // the frame itself
    byte[] expected = ByteBufUtil.getBytes(first);
    first.skipBytes(first.readableBytes()); // as a channel does as it writes
    second.skipBytes(3);
    assertArrayEquals(expected, ByteBufUtil.getBytes(last));
    assertEquals(expected.length - 3, second.readableBytes());
    assertTrue(shared.isFrameOf(first) && shared.isFrameOf(second) && shared.isFrameOf(last));
    assertTrue(last.refCnt() > 0);
    first.release();
    second.release();
    last.release();
    assertEquals(0, shared.refCnt(), "every write held one reference, and gave it back");
  }
}
