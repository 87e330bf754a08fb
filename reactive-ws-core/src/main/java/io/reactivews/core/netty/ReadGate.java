package io.reactivews.core.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;
import reactor.util.context.Context;

/**
 * A connection's inbound buffers, read as downstream asks.
 *
 * <p>Reactor Netty's receive flux is asked for everything, so it hands each buffer straight on;
 * asked for less, it would pass every buffer through a queue that it keeps for the connection's
 * whole life (112 bytes on every idle connection). Demand is kept here instead. A buffer that
 * arrives unasked waits in a queue made for the occasion and dropped once empty, and turns
 * auto-read off until a request covers what waits; as in Reactor Netty, reading stops at the
 * first buffer nobody asked for, not at the last one asked for, so a reader that asks for one
 * buffer at a time from inside {@code onNext} never switches reading off and on.
 *
 * <pre>
 * socket:      --b1--b2--b3------------------b4--|
 * requests:    1   1                 1    1
 * auto-read:   on        off         on
 * downstream:  --b1--b2--------------b3------b4--|
 * </pre>
 *
 * <p>Buffers are borrowed, as from Reactor Netty: each is released after {@code onNext} returns,
 * and one that waited is released after its delivery. Every signal and all state belong to the
 * channel's event loop; a request or cancel from another thread is carried over to it.
 */
final class ReadGate extends Flux<ByteBuf> implements CoreSubscriber<Object>, Subscription {

  /** Marks {@link #end} for a stream that completed. */
  private static final Throwable COMPLETED = new Throwable("completed", null, false, false) {};

  private final Connection connection;
  /** Kept: a closed channel leaves its loop, and what waits is still delivered there. */
  private final EventLoop loop;
  private CoreSubscriber<? super ByteBuf> actual;
  private Subscription upstream;
  private long demand;
  /** Buffers that came with no demand, retained; null while there are none. */
  private ArrayDeque<ByteBuf> waiting;
  /** How upstream ended, once it has: {@link #COMPLETED} or the error. */
  private Throwable end;
  private boolean cancelled;
  /** Downstream has had its last signal. */
  private boolean terminated;
  /** Auto-read is off: a buffer came that nobody asked for. */
  private boolean paused;
  /** A drain is under way further up the stack: it delivers what a nested request asks for. */
  private boolean draining;

  ReadGate(Connection connection) {
    this.connection = connection;
    this.loop = connection.channel().eventLoop();
  }

  @Override
  public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
    // One reader, as for the receive flux below, which this subscribes once.
    if (this.actual != null) {
      Operators.error(actual, new IllegalStateException("a connection's input allows one reader"));
      return;
    }
    this.actual = actual;
    connection.inbound().receiveObject().subscribe(this);
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.validate(upstream, s)) {
      upstream = s;
      actual.onSubscribe(this);
      s.request(Long.MAX_VALUE); // everything, at once: the straight path
    }
  }

  @Override
  public void onNext(Object o) {
    ByteBuf buf = (ByteBuf) o;
    if (cancelled || terminated) {
      return; // the source releases it
    }
    if (demand > 0 && waiting == null) {
      demand--;
      actual.onNext(buf);
      return;
    }
    if (!paused) {
      paused = true;
      connection.channel().config().setAutoRead(false);
    }
    if (waiting == null) {
      waiting = new ArrayDeque<>(4);
    }
    waiting.offer(buf.retain());
  }

  @Override
  public void onError(Throwable t) {
    if (end != null || cancelled || terminated) {
      Operators.onErrorDropped(t, currentContext());
      return;
    }
    end = t;
    drain();
  }

  @Override
  public void onComplete() {
    if (end != null || cancelled || terminated) {
      return;
    }
    end = COMPLETED;
    drain();
  }

  @Override
  public void request(long n) {
    if (!Operators.validate(n)) {
      return;
    }
    if (!loop.inEventLoop()) {
      onLoop(() -> request(n));
      return;
    }
    demand = Operators.addCap(demand, n);
    drain();
    if (paused && demand > 0 && waiting == null && end == null && !cancelled) {
      paused = false;
      connection.channel().config().setAutoRead(true); // and reads at once
    }
  }

  @Override
  public void cancel() {
    if (!loop.inEventLoop() && onLoop(this::cancel)) {
      return;
    }
    if (cancelled) {
      return;
    }
    cancelled = true;
    upstream.cancel();
    releaseWaiting();
  }

  /**
   * Runs {@code task} on the channel's event loop; false if the loop has shut down, and with it
   * the connection: then nothing more arrives and nothing else touches this state.
   */
  private boolean onLoop(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Hands over what waited while demand covers it, then the end once nothing waits. */
  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (waiting != null && demand > 0 && !cancelled && !terminated) {
        ByteBuf next = waiting.poll();
        if (waiting.isEmpty()) {
          waiting = null;
        }
        demand--;
        try {
          actual.onNext(next);
        } finally {
          next.release();
        }
      }
      if (end != null && waiting == null && !cancelled && !terminated) {
        terminated = true;
        if (end == COMPLETED) {
          actual.onComplete();
        } else {
          actual.onError(end);
        }
      }
    } finally {
      draining = false;
    }
  }

  private void releaseWaiting() {
    ArrayDeque<ByteBuf> left = waiting;
    waiting = null;
    if (left != null) {
      for (ByteBuf buf : left) {
        ReferenceCountUtil.safeRelease(buf);
      }
    }
  }
}
