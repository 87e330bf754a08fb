package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * One direction of an in-memory connection, behaving like a TCP stream: the writer's buffers
 * wait in a bounded in-flight window (the socket buffers) until the reader asks for them; a full
 * window stops requests to the writer; reads may be cut into small chunks to mimic TCP segments;
 * ending the writer delivers an end of stream after the bytes already in flight.
 *
 * <p>Thread-safe: one lock guards the window, and delivery happens outside it.
 */
final class Pipe {

  private final int window;
  private final int chunk;

  private final ArrayDeque<ByteBuf> inFlight = new ArrayDeque<>();
  private long inFlightBytes;
  private Writer writer;
  private boolean writerEnded;
  private boolean readerGone;

  private CoreSubscriber<? super ByteBuf> reader;
  private long readerDemand;
  private boolean readerDone;
  private int wip;

  Pipe(int window, int chunk) {
    this.window = window;
    this.chunk = chunk;
  }

  /** Bytes written and not yet read. */
  synchronized long bytesInFlight() {
    return inFlightBytes;
  }

  Mono<Void> write(Publisher<? extends ByteBuf> frames) {
    return Mono.defer(() -> {
      Writer w = new Writer();
      synchronized (this) {
        if (writer != null) {
          return Mono.error(new IllegalStateException("one send at a time"));
        }
        if (readerGone || writerEnded) {
          return Mono.error(new ClosedChannelException());
        }
        writer = w;
      }
      frames.subscribe(w);
      return w.done.asMono();
    });
  }

  Flux<ByteBuf> read() {
    return new Flux<>() {
      @Override
      public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        attachReader(actual);
      }
    };
  }

  /** The writer's side is done: the reader gets an end of stream after what is in flight. */
  void endWriting() {
    Writer w;
    synchronized (this) {
      writerEnded = true;
      w = writer;
    }
    if (w != null) {
      w.abort();
    }
    drain();
  }

  /** The reader's side is gone: what is in flight is dropped and the writer fails. */
  void abortReading() {
    Writer w;
    synchronized (this) {
      readerGone = true;
      writerEnded = true;
      w = writer;
    }
    if (w != null) {
      w.abort();
    }
    drain();
  }

  private void attachReader(CoreSubscriber<? super ByteBuf> actual) {
    synchronized (this) {
      if (reader != null) {
        Operators.error(actual, new IllegalStateException("receive may be subscribed once"));
        return;
      }
      reader = actual;
    }
    actual.onSubscribe(new Subscription() {
      @Override
      public void request(long n) {
        if (Operators.validate(n)) {
          synchronized (Pipe.this) {
            readerDemand = Operators.addCap(readerDemand, n);
          }
          drain();
        }
      }

      @Override
      public void cancel() {
        synchronized (Pipe.this) {
          readerDone = true;
        }
        abortReading();
      }
    });
  }

  private void drain() {
    synchronized (this) {
      if (wip++ != 0) {
        return;
      }
    }
    int missed = 1;
    for (; ; ) {
      while (step()) {
        // keep going while something moved
      }
      synchronized (this) {
        wip -= missed;
        missed = wip;
        if (missed == 0) {
          return;
        }
      }
    }
  }

  /**
   * Moves one thing (a read, an end of stream, a request to the writer); false if nothing could.
   */
  private boolean step() {
    ByteBuf next = null;
    boolean complete = false;
    Writer resume = null;
    CoreSubscriber<? super ByteBuf> target;
    synchronized (this) {
      target = reader;
      if (readerGone) {
        releaseAll();
      }
      if (target != null && !readerDone) {
        if (readerGone) {
          readerDone = true;
          complete = true;
        } else if (readerDemand > 0 && !inFlight.isEmpty()) {
          next = take();
          readerDemand--;
        } else if (inFlight.isEmpty() && writerEnded) {
          readerDone = true;
          complete = true;
        }
      }
      Writer w = writer;
      if (w != null && w.subscribed && !w.pending && !writerEnded && inFlightBytes < window) {
        w.pending = true;
        resume = w;
      }
    }
    if (resume != null) {
      resume.request(1);
    }
    if (next != null) {
      try {
        target.onNext(next);
      } finally {
        next.release();
      }
    } else if (complete) {
      target.onComplete();
    }
    return next != null || complete || resume != null;
  }

  private ByteBuf take() {
    ByteBuf head = inFlight.peek();
    if (head.readableBytes() <= chunk) {
      inFlight.poll();
      inFlightBytes -= head.readableBytes();
      return head;
    }
    inFlightBytes -= chunk;
    return head.readRetainedSlice(chunk);
  }

  private void releaseAll() {
    ByteBuf b;
    while ((b = inFlight.poll()) != null) {
      b.release();
    }
    inFlightBytes = 0;
  }

  private void accept(ByteBuf buf) {
    boolean drop;
    synchronized (this) {
      drop = writerEnded;
      if (!drop) {
        inFlight.add(buf);
        inFlightBytes += buf.readableBytes();
        writer.pending = false;
      }
    }
    if (drop) {
      buf.release();
    }
    drain();
  }

  /** Subscribes to what one side sends. */
  private final class Writer extends BaseSubscriber<ByteBuf> {
    final Sinks.Empty<Void> done = Sinks.empty();
    /** Guarded by the pipe: subscribed, and one item requested and not yet received. */
    boolean subscribed;
    boolean pending;

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      synchronized (Pipe.this) {
        subscribed = true;
      }
      drain();
    }

    @Override
    protected void hookOnNext(ByteBuf value) {
      accept(value);
    }

    @Override
    protected void hookOnComplete() {
      // Everything it sent is in flight: the next send (after a handshake head) may begin.
      synchronized (Pipe.this) {
        if (writer == this) {
          writer = null;
        }
      }
      done.tryEmitEmpty();
    }

    @Override
    protected void hookOnError(Throwable throwable) {
      done.tryEmitError(throwable);
    }

    void abort() {
      if (!isDisposed()) {
        cancel();
        done.tryEmitError(new ClosedChannelException());
      }
    }
  }
}
