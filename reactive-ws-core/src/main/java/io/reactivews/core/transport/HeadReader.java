package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

/**
 * Reads a head (an HTTP request or response) off the start of a byte stream, then lends the
 * rest of the stream, starting with the bytes that followed the head in the same read.
 *
 * <pre>
 * bytes:  --[GET / HTTP/1.1 ...]--[...\r\n\r\n 81 85 ...]--[...]--
 * head:                              GET /chat (Mono)
 * rest:                                        [81 85 ...]--[...]--  (Flux, leftover first)
 * </pre>
 *
 * <p>A connection's inbound stream has one subscriber, so the handshake and the frames must
 * share it: this reads one buffer at a time until {@code parser} returns a head, and the rest
 * continues on the same subscription. The parser must consume exactly the head's bytes (moving
 * the reader index) and return {@code null} until it has all of them; it may throw to refuse the
 * input. The leftover is retained until the rest is read, and released if it never is.
 *
 * @param <T> the head type
 */
public final class HeadReader<T> {

  /**
   * The head and the rest of the stream.
   *
   * @param head what the parser returned
   * @param rest the following bytes, lent like the source's: one subscriber
   */
  public record Split<T>(T head, Flux<ByteBuf> rest) {}

  private HeadReader() {}

  /**
   * Reads a head from {@code inbound}. The {@code Mono} is empty if the stream ends before a head
   * is complete, and errors with whatever the parser threw.
   */
  public static <T> Mono<Split<T>> read(Flux<ByteBuf> inbound, Function<ByteBuf, T> parser) {
    Objects.requireNonNull(parser, "parser");
    return Mono.create(sink -> inbound.subscribe(new Reader<>(sink, parser, false)));
  }

  /**
   * As {@link #read}, but what is cancelled (the head's {@code Mono}, say by a timeout, or the
   * rest) or refused by the parser is not cancelled upstream: the reader reads on to the end of
   * the stream and drops what comes, as {@link Lingering} does and for the same reason (unread
   * input would turn our close into a reset). A server keeps one object for this, not two.
   */
  public static <T> Mono<Split<T>> readLingering(
      Flux<ByteBuf> inbound, Function<ByteBuf, T> parser) {
    Objects.requireNonNull(parser, "parser");
    return Mono.create(sink -> inbound.subscribe(new Reader<>(sink, parser, true)));
  }

  /**
   * Reads the head, then relays the rest; it is also the rest, as a flux and as its
   * subscription, so an open connection keeps one object here, not three.
   */
  private static final class Reader<T> extends Flux<ByteBuf>
      implements CoreSubscriber<ByteBuf>, Subscription {
    // Both let go once the head is read: the connection outlives the handshake by far.
    private MonoSink<Split<T>> sink;
    private Function<ByteBuf, T> parser;
    private Subscription upstream;
    private boolean headDone;
    /** Whether to read on and drop rather than cancel upstream. */
    private final boolean linger;
    /** Reading on and dropping everything: cancelled or refused, with {@link #linger}. */
    private volatile boolean draining;

    // After the head; guarded by "this".
    private ByteBuf leftover;
    private CoreSubscriber<? super ByteBuf> rest;
    private boolean ended;
    private Throwable error;
    /** The leftover is being handed to the rest's subscriber: the end waits for it. */
    private boolean delivering;
    /** Asked for while the leftover was being handed over; passed on after it. */
    private long askedMeanwhile;
    /** The rest's subscriber was told of the end. */
    private boolean restFinished;

    Reader(MonoSink<Split<T>> sink, Function<ByteBuf, T> parser, boolean linger) {
      this.sink = sink;
      this.parser = parser;
      this.linger = linger;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      sink.onCancel(this::cancelAll);
      s.request(1);
    }

    @Override
    public void onNext(ByteBuf buf) {
      if (draining) {
        return; // dropped; the source, which owns it, releases it
      }
      if (headDone) {
        CoreSubscriber<? super ByteBuf> target;
        synchronized (this) {
          target = rest;
        }
        if (target != null) {
          target.onNext(buf);
        }
        return;
      }
      T head;
      try {
        head = parser.apply(buf);
      } catch (Throwable t) {
        headDone = true;
        stopReading();
        release().error(t);
        return;
      }
      if (head == null) {
        upstream.request(1);
        return;
      }
      headDone = true;
      synchronized (this) {
        leftover = buf.isReadable() ? buf.retainedSlice() : null;
      }
      release().success(new Split<>(head, this));
    }

    /** The sink, to signal one last time: the reader keeps neither it nor the parser. */
    private MonoSink<Split<T>> release() {
      MonoSink<Split<T>> last = sink;
      sink = null;
      parser = null;
      return last;
    }

    @Override
    public void onError(Throwable t) {
      if (draining) {
        return; // nobody listens any more
      }
      if (!headDone) {
        headDone = true;
        release().error(t);
        return;
      }
      end(t);
    }

    @Override
    public void onComplete() {
      if (draining) {
        return;
      }
      if (!headDone) {
        headDone = true;
        release().success();
        return;
      }
      end(null);
    }

    /**
     * The stream ended. The rest's subscriber hears it now, or, while the leftover still waits
     * for its request, right after the leftover; with no subscriber the leftover is dropped.
     */
    private void end(Throwable t) {
      CoreSubscriber<? super ByteBuf> target = null;
      ByteBuf unread = null;
      synchronized (this) {
        ended = true;
        error = t;
        if (rest == null) {
          unread = leftover;
          leftover = null;
        } else if (leftover == null && !delivering) {
          target = rest;
          restFinished = true;
        }
      }
      if (unread != null) {
        unread.release();
      }
      if (target != null) {
        finishLate(target, t);
      }
    }

    /** Cancels upstream, or, when lingering, reads on to the end and drops what comes. */
    private void stopReading() {
      if (linger) {
        draining = true;
        upstream.request(Long.MAX_VALUE);
      } else {
        upstream.cancel();
      }
    }

    private void cancelAll() {
      stopReading();
      ByteBuf unread;
      synchronized (this) {
        unread = leftover;
        leftover = null;
      }
      if (unread != null) {
        unread.release();
      }
    }

    /** The rest's subscriber: one is allowed. */
    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
      attach(actual);
    }

    private void attach(CoreSubscriber<? super ByteBuf> actual) {
      synchronized (this) {
        if (rest != null) {
          Operators.error(actual, new IllegalStateException("the rest allows one subscriber"));
          return;
        }
        rest = actual;
      }
      actual.onSubscribe(this);
    }

    /** The rest's demand: the leftover first, then the upstream's buffers. */
    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      ByteBuf first;
      CoreSubscriber<? super ByteBuf> actual;
      synchronized (this) {
        if (restFinished) {
          return;
        }
        if (delivering) {
          askedMeanwhile = Operators.addCap(askedMeanwhile, n);
          return;
        }
        first = leftover;
        leftover = null;
        delivering = first != null;
        actual = rest;
      }
      if (first != null) {
        try {
          actual.onNext(first);
        } finally {
          first.release();
        }
        n--;
      }
      boolean finish;
      Throwable failure;
      synchronized (this) {
        delivering = false;
        n = Operators.addCap(n, askedMeanwhile);
        askedMeanwhile = 0;
        // The stream ended before the rest was read: end() left the telling to us.
        finish = ended && !restFinished;
        restFinished |= finish;
        failure = error;
      }
      if (finish) {
        finishLate(actual, failure);
      } else if (n > 0) {
        upstream.request(n);
      }
    }

    @Override
    public void cancel() {
      cancelAll();
    }

    private void finishLate(CoreSubscriber<? super ByteBuf> actual, Throwable failure) {
      if (failure != null) {
        actual.onError(failure);
      } else {
        actual.onComplete();
      }
    }
  }
}
