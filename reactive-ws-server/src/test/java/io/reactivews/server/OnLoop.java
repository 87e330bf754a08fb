package io.reactivews.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An in-memory connection that says it runs on {@code loop}, as a socket's says it does. */
final class OnLoop implements Transport {

  private final Transport connection;
  private final Executor loop;

  OnLoop(Transport connection, Executor loop) {
    this.connection = connection;
    this.loop = loop;
  }

  @Override
  public Executor executor() {
    return loop;
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
