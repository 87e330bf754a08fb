package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import io.reactivews.core.flow.RelaySubscriber;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * Keeps reading a connection after its consumer has gone, and reports when the peer ends it.
 *
 * <pre>
 * bytes:      --b1--b2--b3--b4--b5--|
 * consumer:   --b1--b2--X                (cancels after the close frame, or at an error)
 * lingering:              b3--b4--b5--|  (read and dropped; onEnd runs at the end of stream)
 * </pre>
 *
 * <p>Why: closing a socket with unread bytes in its receive buffer sends a reset, and a reset
 * can destroy our close frame before the peer reads it. So after the protocol stops caring about
 * input (a close frame arrived, or the input broke a rule) the bytes are drained until the peer
 * closes or the session's close timeout closes the transport. Dropped buffers are released by
 * their owner, the transport.
 */
public final class Lingering extends FluxOperator<ByteBuf, ByteBuf> {

  private final Runnable onEnd;

  private Lingering(Flux<ByteBuf> source, Runnable onEnd) {
    super(source);
    this.onEnd = onEnd;
  }

  /** {@code source}, read to its end even after the subscriber cancels; then {@code onEnd}. */
  public static Flux<ByteBuf> read(Flux<ByteBuf> source, Runnable onEnd) {
    return new Lingering(source, onEnd);
  }

  @Override
  public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
    source.subscribe(new LingeringSubscriber(actual, onEnd));
  }

  private static final class LingeringSubscriber extends RelaySubscriber<ByteBuf, ByteBuf> {
    private final Runnable onEnd;
    private volatile boolean draining;

    LingeringSubscriber(CoreSubscriber<? super ByteBuf> actual, Runnable onEnd) {
      super(actual);
      this.onEnd = onEnd;
    }

    @Override
    public void onNext(ByteBuf buf) {
      if (!draining) {
        actual.onNext(buf);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!draining) {
        actual.onError(t);
      }
      onEnd.run();
    }

    @Override
    public void onComplete() {
      if (!draining) {
        actual.onComplete();
      }
      onEnd.run();
    }

    @Override
    public void request(long n) {
      if (!draining) {
        upstream.request(n);
      }
    }

    @Override
    public void cancel() {
      if (!draining) {
        draining = true;
        upstream.request(Long.MAX_VALUE);
      }
    }
  }
}
