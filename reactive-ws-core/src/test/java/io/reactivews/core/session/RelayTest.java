package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.close.ClosePayload;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.ForwardingTransport;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * A session whose received messages go straight to a {@code send()}: the frames stay in pooled
 * buffers from the read to the write. What must hold is everything an ordinary echo gives (the
 * same messages at every read size, the same close codes for bad input) with nothing leaked on
 * any path; and that the relay really skips the encoding, which the sending side's allocator
 * shows.
 */
class RelayTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SessionOptions OPTIONS =
      SessionOptions.defaults().closeTimeout(Duration.ofSeconds(2));

  /** Text of 1- to 4-byte characters, and binary across every header length and growth step. */
  private static List<Message> messages(boolean large) {
    List<Message> all = new ArrayList<>();
    all.add(Message.text("héllo ✓ 𝄞"));
    all.add(Message.text(""));
    int[] sizes = large
        ? new int[] {1, 125, 126, 65_535, 65_536, 70_000, 300_000}
        : new int[] {1, 125, 126, 300};
    for (int size : sizes) {
      byte[] bytes = new byte[size];
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) (i * 31 + size);
      }
      all.add(Message.binary(bytes));
    }
    all.add(Message.text("ü".repeat(large ? 40_000 : 100)));
    return all;
  }

  /** Echoes {@code sent} through a server running {@code handler}; returns its data allocations. */
  private static int echo(int chunk, List<Message> sent,
      Function<DefaultWebSocketSession, org.reactivestreams.Publisher<Void>> handler) {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(256 * 1024, chunk);
    CountingTransport serverSide = new CountingTransport(pair.server());
    DefaultWebSocketSession server =
        DefaultWebSocketSession.open(serverSide, Role.SERVER, OPTIONS, HandshakeInfo.root());
    server.run(s -> handler.apply((DefaultWebSocketSession) s)).subscribe();
    DefaultWebSocketSession client =
        DefaultWebSocketSession.open(pair.client(), Role.CLIENT, OPTIONS, HandshakeInfo.root());

    client.send(Flux.fromIterable(sent)).subscribe();
    StepVerifier.create(client.receive().take(sent.size()))
        .expectNextSequence(sent)
        .expectComplete()
        .verify(WAIT);
    int allocations = serverSide.allocations.get();
    StepVerifier.create(client.close()).expectComplete().verify(WAIT);
    assertEquals(1000, server.closeStatus().block(WAIT).code());
    return allocations;
  }

  @Test
  void relayedMessagesComeBackWholeAtEveryReadSizeWithoutANewFrameEach() {
    // One frame is encoded: the empty message's, which is not worth a pooled buffer.
    for (int chunk : new int[] {1, 2, 3, 5, 7, 64}) {
      List<Message> sent = messages(false);
      assertEquals(1, echo(chunk, sent, s -> s.send(s.receive())), "read size " + chunk);
    }
    for (int chunk : new int[] {1000, 16 * 1024, 64 * 1024}) {
      List<Message> sent = messages(true);
      assertEquals(1, echo(chunk, sent, s -> s.send(s.receive())), "read size " + chunk);
    }
  }

  @Test
  void messagesTheApplicationLooksAtAreEncodedAsEver() {
    List<Message> sent = messages(false);
    // Not a relay: the handler reads each message, so each is its own array and its own frame.
    int allocations = echo(64, sent, s -> s.send(s.receive().map(m -> m)));
    assertTrue(allocations >= sent.size(), "allocations: " + allocations);
  }

  @Test
  void oneSessionRelaysToAnother() {
    InMemoryTransport.Pair in = InMemoryTransport.pair(64 * 1024, 1000);
    InMemoryTransport.Pair out = InMemoryTransport.pair(64 * 1024, 777);
    DefaultWebSocketSession source =
        DefaultWebSocketSession.open(in.server(), Role.SERVER, OPTIONS, HandshakeInfo.root());
    DefaultWebSocketSession target =
        DefaultWebSocketSession.open(out.server(), Role.SERVER, OPTIONS, HandshakeInfo.root());
    DefaultWebSocketSession producer =
        DefaultWebSocketSession.open(in.client(), Role.CLIENT, OPTIONS, HandshakeInfo.root());
    DefaultWebSocketSession viewer =
        DefaultWebSocketSession.open(out.client(), Role.CLIENT, OPTIONS, HandshakeInfo.root());
    target.send(source.receive()).subscribe(null, e -> { });

    List<Message> sent = messages(true);
    producer.send(Flux.fromIterable(sent)).subscribe();
    StepVerifier.create(viewer.receive().take(sent.size()))
        .expectNextSequence(sent)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(producer.close()).expectComplete().verify(WAIT);
    StepVerifier.create(viewer.close()).expectComplete().verify(WAIT);
  }

  @Test
  void aClientRelaysWhatTheServerSendsMaskingEachFrame() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(64 * 1024, 5);
    DefaultWebSocketSession client =
        DefaultWebSocketSession.open(pair.client(), Role.CLIENT, OPTIONS, HandshakeInfo.root());
    client.run(s -> s.send(s.receive())).subscribe();
    // The raw server reads with a server's decoder, which refuses an unmasked frame.
    RawPeer server = new RawPeer(pair.server(), Role.SERVER);
    byte[] payload = "relayed by the client".getBytes(StandardCharsets.UTF_8);
    server.writeFrame(true, Opcode.TEXT, payload);
    Frame echoed = server.nextFrame();
    assertEquals(Opcode.TEXT, echoed.opcode());
    assertEquals(new String(payload, StandardCharsets.UTF_8),
        new String(echoed.payloadArray(), StandardCharsets.UTF_8));
  }

  @Test
  void invalidUtf8InARelayedFrameFailsWith1007WhereverTheReadsFall() throws Exception {
    byte[] text = ("valid start " + "é".repeat(50)).getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[text.length + 20];
    System.arraycopy(text, 0, bad, 0, text.length);
    bad[text.length] = (byte) 0xC0; // an overlong lead byte: never valid
    for (int chunk : new int[] {1, 3, 64, 4096}) {
      InMemoryTransport.Pair pair = InMemoryTransport.pair(64 * 1024, chunk);
      DefaultWebSocketSession server =
          DefaultWebSocketSession.open(pair.server(), Role.SERVER, OPTIONS, HandshakeInfo.root());
      server.run(s -> s.send(s.receive())).subscribe(null, e -> { });
      RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
      peer.writeFrame(true, Opcode.TEXT, text); // a good one first: it comes back
      peer.writeFrame(true, Opcode.TEXT, bad);
      assertEquals(new String(text, StandardCharsets.UTF_8),
          new String(peer.nextFrame().payloadArray(), StandardCharsets.UTF_8));
      Frame close = peer.nextFrame();
      assertEquals(Opcode.CLOSE, close.opcode());
      assertEquals(1007, ClosePayload.parse(close.payloadArray()).code(), "read size " + chunk);
      peer.shutdownOutput();
      assertEquals(1007, server.closeStatus().block(WAIT).code());
    }
  }

  @Test
  void aRelayedFrameOverTheMessageLimitFailsWith1009() throws Exception {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(64 * 1024, 100);
    DefaultWebSocketSession server = DefaultWebSocketSession.open(pair.server(), Role.SERVER,
        OPTIONS.maxMessageSize(1000), HandshakeInfo.root());
    server.run(s -> s.send(s.receive())).subscribe(null, e -> { });
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
    peer.writeFrame(true, Opcode.BINARY, new byte[1000]);
    peer.writeFrame(true, Opcode.BINARY, new byte[1001]);
    assertEquals(1000, peer.nextFrame().length());
    Frame close = peer.nextFrame();
    assertEquals(1009, ClosePayload.parse(close.payloadArray()).code());
    peer.shutdownOutput();
    assertEquals(1009, server.closeStatus().block(WAIT).code());
  }

  @Test
  void aConnectionThatBreaksMidRelayReleasesEveryFrame() throws Exception {
    // The peer writes and never reads: the server's writes back up in a small window, frames
    // wait in the relay, one is cut in half, and then the connection goes.
    InMemoryTransport.Pair pair = InMemoryTransport.pair(4096, 1500);
    DefaultWebSocketSession server =
        DefaultWebSocketSession.open(pair.server(), Role.SERVER, OPTIONS, HandshakeInfo.root());
    server.run(s -> s.send(s.receive())).subscribe(null, e -> { });
    InMemoryTransport raw = pair.client();
    List<ByteBuf> frames = new ArrayList<>();
    io.reactivews.core.frame.FrameEncoder masking =
        io.reactivews.core.frame.FrameEncoder.masking(() -> 0x5a5a1234);
    for (int i = 0; i < 200; i++) {
      frames.add(masking.encode(PooledByteBufAllocator.DEFAULT,
          Frame.of(Opcode.BINARY, new byte[1000 + i])));
    }
    ByteBuf half = masking.encode(PooledByteBufAllocator.DEFAULT,
        Frame.of(Opcode.BINARY, new byte[5000]));
    frames.add(half.retainedSlice(0, 2500));
    half.release();
    raw.send(Flux.fromIterable(frames).doOnDiscard(ByteBuf.class, ByteBuf::release))
        .subscribe(null, e -> { });
    Thread.sleep(200);
    raw.close();
    pair.server().close();
    assertEquals(1006, server.closeStatus().block(WAIT).code());
  }

  @Test
  void aFrameThatEndsAfterTheRelayStoppedIsReleasedUnread() throws Exception {
    // The relay stops (the server closes) while a pooled frame is half read; the rest of it
    // arrives before the peer's close frame, and the whole frame is dropped, not written.
    InMemoryTransport.Pair pair = InMemoryTransport.pair(256 * 1024, 4096);
    DefaultWebSocketSession server =
        DefaultWebSocketSession.open(pair.server(), Role.SERVER, OPTIONS, HandshakeInfo.root());
    server.run(s -> s.send(s.receive())).subscribe(null, e -> { });
    RawPeer peer = new RawPeer(pair.client(), Role.CLIENT);
    ByteBuf frame = io.reactivews.core.frame.FrameEncoder.masking(() -> 0x01020304)
        .encode(PooledByteBufAllocator.DEFAULT, Frame.of(Opcode.BINARY, new byte[100_000]));
    byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(frame);
    frame.release();
    peer.write(java.util.Arrays.copyOf(bytes, 50_000));
    Thread.sleep(100);
    server.close().subscribe();
    Frame close = peer.nextFrame();
    assertEquals(Opcode.CLOSE, close.opcode());
    peer.write(java.util.Arrays.copyOfRange(bytes, 50_000, bytes.length));
    peer.writeFrame(true, Opcode.CLOSE, close.payloadArray());
    peer.shutdownOutput();
    assertEquals(1000, server.closeStatus().block(WAIT).code());
  }

  /** The server's transport, counting the buffers the session allocates to write. */
  private static final class CountingTransport extends ForwardingTransport {
    final AtomicInteger allocations = new AtomicInteger();
    private final ByteBufAllocator counting = new AbstractByteBufAllocator(true) {
      @Override
      protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        allocations.incrementAndGet();
        return PooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
      }

      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        allocations.incrementAndGet();
        return PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
      }

      @Override
      public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        allocations.incrementAndGet();
        return super.compositeDirectBuffer(maxNumComponents);
      }

      @Override
      public boolean isDirectBufferPooled() {
        return true;
      }
    };

    CountingTransport(Transport connection) {
      super(connection);
    }

    @Override
    public ByteBufAllocator alloc() {
      return counting;
    }
  }
}
