package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection whose inbound bytes are what its opening handshake left unread, as {@link
 * Transport#withInbound} makes it; everything else is the connection's own.
 */
final class RestOfStream implements Transport {

  private final Transport connection;
  private final Flux<ByteBuf> rest;

  RestOfStream(Transport connection, Flux<ByteBuf> rest) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.rest = Objects.requireNonNull(rest, "rest");
  }

  @Override
  public Flux<ByteBuf> receive() {
    return rest;
  }

  @Override
  public Mono<Void> send(Publisher<? extends ByteBuf> frames) {
    return connection.send(frames);
  }

  @Override
  public void shutdownOutput() {
    connection.shutdownOutput();
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public Mono<Void> onClose() {
    return connection.onClose();
  }

  @Override
  public void whenClosed(Runnable action) {
    connection.whenClosed(action);
  }

  @Override
  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public Executor executor() {
    return connection.executor();
  }

  @Override
  public ByteBufAllocator alloc() {
    return connection.alloc();
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return connection.localAddress();
  }
}
