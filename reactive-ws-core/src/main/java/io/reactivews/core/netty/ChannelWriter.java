package io.reactivews.core.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * Writes a stream of buffers to a channel, paced by the channel's writability: the {@link
 * NettyTransport#send} of a connection.
 *
 * <p>It asks for {@value #WINDOW} buffers and asks again, in batches, as they are written while
 * the channel is writable; once the channel's outbound buffer passes its high-water mark it asks
 * for nothing until the bytes queued so far have reached the socket. Writes made in one
 * event-loop turn share one flush, run at the end of the turn ({@link TurnEnd}: one task per
 * loop for all its writers), or, for writes made while the channel's own reads are handled,
 * when that read batch ends ({@link ReadBatchEnd}). Small frames written in one turn are
 * gathered into one buffer ({@link Gathering}), so a burst of them costs one write, not one per
 * frame.
 *
 * <p>Why not Reactor Netty's own {@code send}: that keeps a 128-slot prefetch queue per
 * connection, about 1 KB held for the connection's life even while it is idle, when our
 * outbound queue already holds what waits. Here a buffer is written as soon as it arrives on the
 * event loop; one emitted from another thread waits in a queue that exists only until the event
 * loop has written it, which keeps the order of writes.
 *
 * <p>The {@code Mono} completes once the source completed and every byte reached the socket, and
 * errors if the channel closes first; cancelling it cancels the source.
 */
final class ChannelWriter extends Mono<Void> {

  /** Buffers asked for ahead; about what a socket takes in one write. */
  static final int WINDOW = 128;
  /** Asks again once this many were written. */
  private static final int REFILL = WINDOW - (WINDOW >> 2);

  private final Channel channel;
  private final Publisher<? extends ByteBuf> frames;
  private final CloseActions closeActions;

  /** A writer that hears of the close from the connection's own {@link CloseActions}. */
  ChannelWriter(Channel channel, Publisher<? extends ByteBuf> frames, CloseActions closeActions) {
    this.channel = channel;
    this.frames = frames;
    this.closeActions = closeActions;
  }

  ChannelWriter(Channel channel, Publisher<? extends ByteBuf> frames) {
    this(channel, frames, new CloseActions(channel));
  }

  @Override
  public void subscribe(CoreSubscriber<? super Void> actual) {
    frames.subscribe(new Writer(actual, channel, closeActions));
  }

  private static final class Writer extends Gathering
      implements CoreSubscriber<ByteBuf>, Subscription, Runnable, ChannelFutureListener {

    private final CoreSubscriber<? super Void> actual;
    private final Channel channel;
    /** Kept: a closed channel leaves its loop, and a late cancel still runs there. */
    private final EventLoop loop;
    /** Tells this writer of the close while it runs: the connection's one close listener. */
    private final CloseActions closeActions;
    private Subscription upstream;

    // Event-loop state.
    private int written;
    private boolean awaitingWritable;
    private boolean finished;
    /** A turn-end run is queued for writes made on the event loop: no lock per such write. */
    private boolean flushQueued;

    // Guarded by "this": what arrived off the event loop, and the source's end.
    private volatile ArrayDeque<ByteBuf> pending;
    private boolean scheduled;
    private boolean sourceDone;
    private Throwable sourceError;

    Writer(CoreSubscriber<? super Void> actual, Channel channel, CloseActions closeActions) {
      super(channel.alloc());
      this.actual = actual;
      this.channel = channel;
      this.loop = channel.eventLoop();
      this.closeActions = closeActions;
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        actual.onSubscribe(this);
        closeActions.listen(this);
        s.request(WINDOW);
      }
    }

    @Override
    public void onNext(ByteBuf buf) {
      // Only the event loop empties the queue, so seeing none here, on it, means none is needed.
      if (pending == null && loop.inEventLoop()) {
        write(buf);
        if (!flushQueued) {
          flushQueued = true;
          if (!TurnEnd.schedule(loop, channel, this)) {
            execute();
          }
        }
        return;
      }
      synchronized (this) {
        if (pending == null) {
          pending = new ArrayDeque<>(4);
        }
        pending.add(buf);
      }
      scheduleFlush();
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        sourceError = t;
        sourceDone = true;
      }
      scheduleFlush();
    }

    @Override
    public void onComplete() {
      synchronized (this) {
        sourceDone = true;
      }
      scheduleFlush();
    }

    @Override
    public void request(long n) {
      // A Mono<Void> has nothing to deliver: demand changes nothing.
    }

    @Override
    public void cancel() {
      upstream.cancel();
      loop.execute(() -> {
        finished = true;
        closeActions.unlisten(this);
        releasePending();
        writeGathered(); // written before the cancel, as if it had not been gathered
      });
    }

    /** The turn's end: writes what waited, flushes, and ends once the source has. */
    @Override
    public void run() {
      flushQueued = false;
      boolean done;
      Throwable error;
      for (; ; ) {
        ByteBuf buf;
        synchronized (this) {
          buf = pending == null ? null : pending.poll();
          if (buf == null) {
            pending = null;
            scheduled = false;
            done = sourceDone;
            error = sourceError;
            break;
          }
        }
        write(buf);
      }
      if (finished) {
        return;
      }
      writeGathered();
      if (!done) {
        channel.flush();
        return;
      }
      finished = true;
      // A connection sends its handshake head first: that writer must not stay reachable from
      // the channel, holding the handshake's subscribers, for the connection's whole life.
      closeActions.unlisten(this);
      if (error != null) {
        channel.flush();
        actual.onError(error);
        return;
      }
      // Completes once everything before it reached the socket.
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> {
        if (future.isSuccess()) {
          actual.onComplete();
        } else {
          actual.onError(future.cause());
        }
      });
    }

    /** The channel closed. */
    @Override
    public void operationComplete(ChannelFuture future) {
      if (!finished) {
        finished = true;
        upstream.cancel();
        releasePending();
        dropGathered();
        actual.onError(new ClosedChannelException());
      }
    }

    private void write(ByteBuf buf) {
      if (finished) {
        buf.release();
        return;
      }
      ByteBuf ready = gather(buf);
      if (ready != null) {
        channel.write(ready, quiet());
      }
      if (++written >= REFILL) {
        refill();
      }
    }

    /**
     * Failures of single writes are not news: the channel's closing is, and is seen through the
     * close actions. The channel's own void promise that fires no exception says so, and costs
     * no object of ours.
     */
    private ChannelPromise quiet() {
      return channel.unsafe().voidPromise();
    }

    /** Writes what was gathered so far: before a flush, or a marker that must come after it. */
    private void writeGathered() {
      ByteBuf ready = takeGathered();
      if (ready != null) {
        channel.write(ready, quiet());
      }
    }

    /** Asks for what was written, unless the channel is full: then once it has drained. */
    private void refill() {
      writeGathered(); // the water marks count only what the channel holds
      if (channel.isWritable()) {
        requestWritten();
      } else if (!awaitingWritable) {
        awaitingWritable = true;
        // Not isWritable() again when it completes: the marker write itself still counts
        // against the water marks then, and asking again would queue marker after marker.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> {
          awaitingWritable = false;
          if (future.isSuccess() && !finished) {
            requestWritten();
          }
        });
      }
    }

    private void requestWritten() {
      int n = written;
      written = 0;
      if (n > 0) {
        upstream.request(n);
      }
    }

    private void scheduleFlush() {
      synchronized (this) {
        if (scheduled) {
          return;
        }
        scheduled = true;
      }
      execute();
    }

    /** Queues {@link #run} on the event loop; one that has shut down gets nothing written. */
    private void execute() {
      try {
        loop.execute(this);
      } catch (RejectedExecutionException e) {
        finished = true;
        releasePending();
      }
    }

    private void releasePending() {
      ArrayDeque<ByteBuf> unwritten;
      synchronized (this) {
        unwritten = pending;
        pending = null;
      }
      if (unwritten != null) {
        unwritten.forEach(ByteBuf::release);
      }
    }
  }
}
