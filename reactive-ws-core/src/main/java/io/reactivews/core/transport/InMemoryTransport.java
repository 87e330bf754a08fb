package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One end of a connection held in memory, for testing sessions without sockets. It keeps TCP's
 * shape: bytes flow through a bounded window, so a reader that stops reading stops the writer;
 * reads can be cut into small chunks, as TCP segments cut frames; half-close and close behave as
 * on a socket.
 *
 * <pre>{@code
 * InMemoryTransport.Pair pair = InMemoryTransport.pair();          // 64 KiB window
 * InMemoryTransport.Pair tiny = InMemoryTransport.pair(1024, 7);  // 1 KiB window, 7-byte reads
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class InMemoryTransport implements Transport {

  /** The two ends of one connection. */
  public record Pair(InMemoryTransport client, InMemoryTransport server) {}

  private final Pipe in;
  private final Pipe out;
  private final Sinks.Empty<Void> closed = Sinks.empty();
  private final AtomicBoolean open = new AtomicBoolean(true);

  private InMemoryTransport(Pipe in, Pipe out) {
    this.in = in;
    this.out = out;
  }

  /** A connected pair with a 64 KiB window each way and reads of up to 64 KiB. */
  public static Pair pair() {
    return pair(64 * 1024, 64 * 1024);
  }

  /**
   * A connected pair.
   *
   * @param window bytes that may be written and not yet read, per direction, before the writer
   *     is paused
   * @param chunk the most bytes one read delivers
   */
  public static Pair pair(int window, int chunk) {
    if (window < 1 || chunk < 1) {
      throw new IllegalArgumentException("window and chunk must be positive");
    }
    Pipe toServer = new Pipe(window, chunk);
    Pipe toClient = new Pipe(window, chunk);
    return new Pair(new InMemoryTransport(toClient, toServer),
        new InMemoryTransport(toServer, toClient));
  }

  @Override
  public Flux<ByteBuf> receive() {
    return in.read();
  }

  @Override
  public Mono<Void> send(Publisher<? extends ByteBuf> frames) {
    return out.write(frames);
  }

  @Override
  public void shutdownOutput() {
    out.endWriting();
  }

  /**
   * Closes this end, as a socket close does: the peer reads what was already written, then an
   * end of stream; what was sent to this end and not read is dropped, and the peer's further
   * writes fail. Buffers in flight are released once both ends are closed, as a kernel frees a
   * connection's buffers.
   */
  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      out.endWriting();
      in.abortReading();
      closed.tryEmitEmpty();
    }
  }

  /** Completes when this end is closed (the peer learns of a close by reading its end). */
  @Override
  public Mono<Void> onClose() {
    return closed.asMono();
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  /** Bytes this end wrote that the other end has not read yet. */
  public long bytesInFlight() {
    return out.bytesInFlight();
  }

  @Override
  public ByteBufAllocator alloc() {
    return PooledByteBufAllocator.DEFAULT;
  }

  @Override
  public SocketAddress remoteAddress() {
    return null;
  }

  @Override
  public SocketAddress localAddress() {
    return null;
  }
}
