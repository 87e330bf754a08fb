package io.reactivews.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.transport.Transport;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A transport that keeps every buffer the session writes, unreleased, so a test can look at the
 * very buffers (their memory, their reference counts) before it releases them. Writes follow the
 * demand the test gives: none at first stands for a peer that never reads.
 */
final class CapturingTransport implements Transport {

  final List<ByteBuf> written = new CopyOnWriteArrayList<>();
  private final Sinks.Empty<Void> closed = Sinks.empty();
  private final long initialDemand;
  private volatile Writer writer;

  CapturingTransport(long initialDemand) {
    this.initialDemand = initialDemand;
  }

  @Override
  public Flux<ByteBuf> receive() {
    return Flux.never();
  }

  @Override
  public Mono<Void> send(Publisher<? extends ByteBuf> frames) {
    Writer w = new Writer();
    writer = w;
    frames.subscribe(w);
    return w.done.asMono();
  }

  /** Lets the session write {@code n} more buffers. */
  void request(long n) {
    writer.request(n);
  }

  /** Stops taking writes, as a transport does when its connection fails. */
  void cancelWrites() {
    writer.cancel();
  }

  void releaseWritten() {
    for (ByteBuf buf : written) {
      buf.release();
    }
    written.clear();
  }

  @Override
  public void shutdownOutput() {
  }

  @Override
  public void close() {
    closed.tryEmitEmpty();
  }

  @Override
  public Mono<Void> onClose() {
    return closed.asMono();
  }

  @Override
  public boolean isOpen() {
    return closed.scan(reactor.core.Scannable.Attr.TERMINATED) != Boolean.TRUE;
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

  private final class Writer extends BaseSubscriber<ByteBuf> {
    final Sinks.Empty<Void> done = Sinks.empty();

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      if (initialDemand > 0) {
        subscription.request(initialDemand);
      }
    }

    @Override
    protected void hookOnNext(ByteBuf value) {
      written.add(value);
    }

    @Override
    protected void hookOnComplete() {
      done.tryEmitEmpty();
    }

    @Override
    protected void hookOnError(Throwable throwable) {
      done.tryEmitError(throwable);
    }
  }
}
