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
  private final Sinks.Empty<Void> closed;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicBoolean closedHere = new AtomicBoolean();
  private InMemoryTransport peer;

  private InMemoryTransport(Pipe in, Pipe out, Sinks.Empty<Void> closed) {
    this.in = in;
    this.out = out;
    this.closed = closed;
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
    Sinks.Empty<Void> closed = Sinks.empty();
    InMemoryTransport client = new InMemoryTransport(toClient, toServer, closed);
    InMemoryTransport server = new InMemoryTransport(toServer, toClient, closed);
    client.peer = server;
    server.peer = client;
    return new Pair(client, server);
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
   * Closes both directions, as a socket close does for both ends. Each end's first call also drops
   * what it has not read, even when the peer closed first, as closing a socket frees its receive
   * buffer.
   */
  @Override
  public void close() {
    if (closedHere.compareAndSet(false, true)) {
      open.set(false);
      peer.open.set(false);
      out.endWriting();
      in.abortReading();
      closed.tryEmitEmpty();
    }
  }

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
