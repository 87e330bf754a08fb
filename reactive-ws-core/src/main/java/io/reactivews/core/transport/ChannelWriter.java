package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Writes a stream of buffers to a channel, flushing once per burst instead of once per buffer,
 * with no promise or listener per buffer: what {@link NettyTransport#send} subscribes.
 *
 * <p>Buffers may arrive on any thread (one at a time, as Reactive Streams requires); they are
 * queued and written on the channel's event loop, in order. A flush is scheduled with the first
 * write after the last flush, so it runs once the event loop has finished what it is doing (the
 * rest of a read, typically), and a burst of echoes goes out in one system call.
 *
 * <p>Demand follows the channel: {@value #WINDOW} buffers are requested up front and more in
 * batches of half that as they are written, while the channel is writable. Once it is not, the
 * next batch waits until everything written so far has reached the socket. So at most {@value
 * #WINDOW} buffers are queued here or unflushed, beyond the channel's own high water mark.
 *
 * <p>Every buffer is released: written (the channel releases it), or discarded on cancel, error
 * or close.
 */
final class ChannelWriter implements CoreSubscriber<ByteBuf>, Runnable {

  static final int WINDOW = 128;
  private static final int BATCH = WINDOW / 2;

  private final Channel channel;
  private final EventLoop loop;
  private final MonoSink<Void> sink;
  private final Queue<ByteBuf> queue = Queues.<ByteBuf>get(WINDOW).get();
  private final Runnable flush = this::flushNow;

  private volatile Subscription upstream;
  private volatile boolean done;
  private volatile boolean stopped;
  private volatile int ended;
  private static final AtomicIntegerFieldUpdater<ChannelWriter> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(ChannelWriter.class, "ended");
  private volatile int wip;
  private static final AtomicIntegerFieldUpdater<ChannelWriter> WIP =
      AtomicIntegerFieldUpdater.newUpdater(ChannelWriter.class, "wip");

  // Event loop only.
  private int unrequested;
  private boolean waitingForSocket;
  private boolean flushScheduled;
  private boolean finished;

  ChannelWriter(Channel channel, MonoSink<Void> sink) {
    this.channel = channel;
    this.loop = channel.eventLoop();
    this.sink = sink;
  }

  /** Subscribes to {@code frames} and ends {@code sink} when they are all written. */
  void start(org.reactivestreams.Publisher<? extends ByteBuf> frames) {
    sink.onCancel(this::stop);
    channel.closeFuture().addListener(f -> fail(new ClosedChannelException()));
    frames.subscribe(this);
  }

  @Override
  public Context currentContext() {
    return sink.contextView() instanceof Context c ? c : Context.of(sink.contextView());
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.validate(upstream, s)) {
      upstream = s;
      if (stopped) {
        s.cancel();
        schedule();
        return;
      }
      s.request(WINDOW);
    }
  }

  @Override
  public void onNext(ByteBuf buf) {
    if (stopped || !queue.offer(buf)) {
      buf.release();
      if (!stopped) {
        fail(Operators.onOperatorError(upstream,
            new IllegalStateException("more buffers than requested"), buf, currentContext()));
      }
      return;
    }
    schedule();
  }

  @Override
  public void onError(Throwable error) {
    done = true;
    fail(error);
  }

  @Override
  public void onComplete() {
    done = true;
    schedule();
  }

  private void stop() {
    stopped = true;
    Subscription s = upstream;
    if (s != null && !done) {
      s.cancel();
    }
    schedule();
  }

  private void fail(Throwable error) {
    stop();
    if (ENDED.compareAndSet(this, 0, 1)) {
      sink.error(error);
    }
  }

  private void succeed() {
    if (ENDED.compareAndSet(this, 0, 1)) {
      sink.success();
    }
  }

  private void schedule() {
    if (WIP.getAndIncrement(this) != 0) {
      return;
    }
    if (loop.inEventLoop()) {
      run();
    } else {
      try {
        loop.execute(this);
      } catch (RuntimeException rejected) {
        // The event loop is gone: nothing can be written any more.
        stopped = true;
        releaseQueued();
        if (ENDED.compareAndSet(this, 0, 1)) {
          sink.error(rejected);
        }
      }
    }
  }

  /** The drain loop, on the event loop. */
  @Override
  public void run() {
    int missed = 1;
    for (; ; ) {
      if (stopped) {
        releaseQueued();
      } else {
        writeQueued();
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void writeQueued() {
    int written = 0;
    ByteBuf buf;
    while ((buf = queue.poll()) != null) {
      channel.write(buf, channel.voidPromise());
      written++;
    }
    if (written != 0) {
      unrequested += written;
      if (!flushScheduled) {
        flushScheduled = true;
        loop.execute(flush);
      }
      if (unrequested >= BATCH && !waitingForSocket && !done) {
        if (channel.isWritable()) {
          requestMore();
        } else {
          waitingForSocket = true;
          whenWritten(f -> {
            waitingForSocket = false;
            if (f.isSuccess() && !stopped && !done) {
              requestMore();
            }
          });
        }
      }
    }
    if (done && !finished && queue.isEmpty()) {
      finished = true;
      whenWritten(f -> {
        if (f.isSuccess()) {
          succeed();
        } else {
          fail(f.cause() != null ? f.cause() : new ClosedChannelException());
        }
      });
      flushNow();
    }
  }

  private void requestMore() {
    int n = unrequested;
    unrequested = 0;
    upstream.request(n);
  }

  /** Runs {@code then} on the event loop once everything written so far reached the socket. */
  private void whenWritten(io.netty.channel.ChannelFutureListener then) {
    ChannelFuture marker = channel.write(Unpooled.EMPTY_BUFFER);
    marker.addListener(then);
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(flush);
    }
  }

  private void flushNow() {
    flushScheduled = false;
    channel.flush();
  }

  private void releaseQueued() {
    ByteBuf buf;
    while ((buf = queue.poll()) != null) {
      buf.release();
    }
  }
}
