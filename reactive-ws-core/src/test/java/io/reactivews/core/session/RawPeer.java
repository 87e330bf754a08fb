package io.reactivews.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.reactivews.core.Role;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.transport.InMemoryTransport;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The far end of an in-memory connection, driven byte by byte: writes raw frames (valid or not)
 * and reads back what the session under test sent, decoded. Stands in for a misbehaving peer.
 */
final class RawPeer {

  private final InMemoryTransport transport;
  private final Role role;
  private final Sinks.Many<ByteBuf> out = Sinks.many().unicast().onBackpressureBuffer();
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private static final Object END = new Object();

  /** A peer playing {@code role} (a raw client talks to a server session). */
  RawPeer(InMemoryTransport transport, Role role) {
    this.transport = transport;
    this.role = role;
    transport.send(out.asFlux().doOnDiscard(ByteBuf.class, ByteBuf::release))
        .subscribe(null, e -> { });
    transport.receive()
        .transform(FrameDecoder.forRole(role).maxFrameSize(1 << 26).allowRsv(FrameHeader.RSV1))
        .subscribe(received::add, received::add, () -> received.add(END));
  }

  /** Writes raw bytes given in hex, such as {@code "81 85 37fa213d 7f9f4d5158"}. */
  RawPeer writeHex(String hex) {
    return write(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  RawPeer write(byte[] bytes) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
    out.tryEmitNext(buf);
    return this;
  }

  /** Writes one well-formed frame, masked if this peer is a client. */
  RawPeer writeFrame(boolean fin, Opcode opcode, byte[] payload) {
    return writeFrame(fin, 0, opcode, payload);
  }

  /** Writes one frame with these RSV bits, masked if this peer is a client. */
  RawPeer writeFrame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
    FrameEncoder encoder = role == Role.CLIENT ? FrameEncoder.masking(() -> 0x1234abcd)
        : FrameEncoder.forRole(Role.SERVER);
    out.tryEmitNext(
        encoder.encode(PooledByteBufAllocator.DEFAULT, Frame.of(fin, rsv, opcode, payload)));
    return this;
  }

  /** Stops writing: the session reads an end of stream. */
  void shutdownOutput() {
    out.tryEmitComplete();
    transport.shutdownOutput();
  }

  /** The next whole frame the session sent; pieces of data frames are joined. */
  Frame nextFrame() throws InterruptedException {
    Object first = poll();
    if (!(first instanceof Frame frame)) {
      throw new AssertionError("expected a frame, got " + describe(first));
    }
    if (frame.isWhole()) {
      return frame;
    }
    ByteBuf joined = Unpooled.buffer();
    joined.writeBytes(frame.payloadArray());
    while (!frame.endsFrame()) {
      frame = (Frame) poll();
      joined.writeBytes(frame.payloadArray());
    }
    byte[] bytes = new byte[joined.readableBytes()];
    joined.readBytes(bytes);
    return Frame.of(frame.fin(), frame.rsv(), frame.opcode(), bytes);
  }

  /** Asserts the session's stream ended (TCP closed) with nothing more sent. */
  void expectEnd() throws InterruptedException {
    Object next = poll();
    if (next != END) {
      throw new AssertionError("expected the end of stream, got " + describe(next));
    }
  }

  List<Object> drainNow() {
    List<Object> all = new java.util.ArrayList<>();
    received.drainTo(all);
    return all;
  }

  private Object poll() throws InterruptedException {
    Object next = received.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("nothing received within 5 s");
    }
    return next;
  }

  private static String describe(Object o) {
    return o == END ? "end of stream" : String.valueOf(o);
  }

  static Duration shortly() {
    return Duration.ofSeconds(5);
  }
}
