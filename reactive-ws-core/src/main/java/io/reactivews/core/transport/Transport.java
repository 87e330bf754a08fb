package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The few things a WebSocket session needs from a byte stream: bytes in, bytes out, close. The
 * server and client adapt a Reactor Netty connection to it; {@link InMemoryTransport} connects two
 * sessions in memory, so whole conversations are tested without sockets.
 *
 * <p>Buffer ownership: inbound buffers are lent (valid during {@code onNext} only, released by
 * the transport right after); outbound buffers are given (the transport releases each one once
 * written, or when it discards it).
 */
public interface Transport {

  /**
   * Inbound bytes, demand-driven: reading stops while nothing is requested. One subscriber. Each
   * buffer is released by the transport when {@code onNext} returns. Completes at end of stream;
   * cancelling stops reading.
   */
  Flux<ByteBuf> receive();

  /**
   * Writes every buffer of {@code frames}, in order, pacing requests by what the connection can
   * take. The returned {@code Mono} completes once {@code frames} completed and everything was
   * written, and errors if the connection closed first. One send at a time: a connection sends
   * its handshake head, and once that completed, the session's frames.
   */
  Mono<Void> send(Publisher<? extends ByteBuf> frames);

  /**
   * The same connection reading from {@code rest} instead, for when the opening handshake has
   * consumed the start of the stream (see {@link HeadReader}); everything else is this one's.
   */
  default Transport withInbound(Flux<ByteBuf> rest) {
    return new RestOfStream(this, rest);
  }

  /**
   * Half-closes: tells the peer no more bytes will come (a TCP FIN), while inbound bytes can still
   * be read. Takes effect after pending writes.
   */
  void shutdownOutput();

  /** Closes the connection, both ways, now. Idempotent. */
  void close();

  /** Completes when the connection is closed, by either side. */
  Mono<Void> onClose();

  /**
   * Runs {@code action} once the connection is closed, like subscribing to {@link #onClose()}
   * but without keeping a subscriber for the connection's life.
   */
  default void whenClosed(Runnable action) {
    onClose().subscribe(null, e -> action.run(), action);
  }

  /** Whether the connection is still open. */
  boolean isOpen();

  /**
   * The one thread this connection's reads and writes run on (its event loop), or {@code null}
   * when there is none (in memory). Work handed to it runs in order with the connection's own, so
   * a broadcast fans out there, one task per burst for all the connections that share the loop.
   */
  default Executor executor() {
    return null;
  }

  /** The allocator outbound buffers should come from. */
  ByteBufAllocator alloc();

  /** The peer's address, or {@code null} when there is none (in memory). */
  SocketAddress remoteAddress();

  /** Our address, or {@code null} when there is none (in memory). */
  SocketAddress localAddress();
}
