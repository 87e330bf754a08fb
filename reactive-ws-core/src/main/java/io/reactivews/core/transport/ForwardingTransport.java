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
 * A connection that hands every call to another one; a subclass overrides only what it changes,
 * as {@link Transport#withInbound} does for the inbound bytes.
 *
 * <pre>{@code
 * Transport onLoop = new ForwardingTransport(connection) {
 *   @Override
 *   public Executor executor() {
 *     return loop;
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingTransport implements Transport {

  private final Transport connection;

  protected ForwardingTransport(Transport connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public Flux<ByteBuf> receive() {
    return connection.receive();
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
