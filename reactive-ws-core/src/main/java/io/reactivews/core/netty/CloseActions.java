package io.reactivews.core.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * What runs when a connection closes, behind one listener on its close future.
 *
 * <p>A server's connection has three things waiting for its close all its life: the server's
 * count, the session's end and the session's writer. As listeners of the future they cost a
 * wrapper each for the first two, and Netty a list and its array once a future has two: about
 * 90 bytes on every connection, idle or not. Here the first three take a field each, and only a
 * fourth makes a list.
 *
 * <p>They run on the connection's event loop, in the order they were added, each on its own: one
 * that throws is logged and the next still runs. One added after the close runs at once (on the
 * event loop), as a late listener of the future would.
 */
final class CloseActions implements ChannelFutureListener {

  private static final Logger log = Loggers.getLogger(CloseActions.class);

  // Each a Runnable or a ChannelFutureListener, in the order added; guarded by "this".
  private Object first;
  private Object second;
  private Object third;
  private List<Object> more;
  /** Set once the channel closed; then nothing is kept. */
  private ChannelFuture closed;

  CloseActions(Channel channel) {
    channel.closeFuture().addListener(this);
  }

  /** Runs {@code action} once the channel is closed. */
  void whenClosed(Runnable action) {
    add(action);
  }

  /** Tells {@code listener} of the close, until {@link #unlisten} (a writer that finished). */
  void listen(ChannelFutureListener listener) {
    add(listener);
  }

  void unlisten(ChannelFutureListener listener) {
    synchronized (this) {
      if (first == listener) {
        first = null;
      } else if (second == listener) {
        second = null;
      } else if (third == listener) {
        third = null;
      } else if (more != null) {
        more.remove(listener);
      }
    }
  }

  private void add(Object entry) {
    ChannelFuture future;
    synchronized (this) {
      future = closed;
      if (future == null) {
        // After the last one taken, never in a gap a removal left: the order holds.
        boolean tail = more == null || more.isEmpty();
        if (tail && third == null && second == null && first == null) {
          first = entry;
        } else if (tail && third == null && second == null) {
          second = entry;
        } else if (tail && third == null) {
          third = entry;
        } else {
          if (more == null) {
            more = new ArrayList<>(2);
          }
          more.add(entry);
        }
        return;
      }
    }
    EventLoop loop = future.channel().eventLoop();
    if (loop.inEventLoop()) {
      run(entry, future);
    } else {
      loop.execute(() -> run(entry, future));
    }
  }

  @Override
  public void operationComplete(ChannelFuture future) {
    Object a;
    Object b;
    Object c;
    List<Object> rest;
    synchronized (this) {
      closed = future;
      a = first;
      b = second;
      c = third;
      rest = more;
      first = null;
      second = null;
      third = null;
      more = null;
    }
    run(a, future);
    run(b, future);
    run(c, future);
    if (rest != null) {
      rest.forEach(entry -> run(entry, future));
    }
  }

  private static void run(Object entry, ChannelFuture future) {
    if (entry == null) {
      return;
    }
    try {
      if (entry instanceof ChannelFutureListener listener) {
        listener.operationComplete(future);
      } else {
        ((Runnable) entry).run();
      }
    } catch (Throwable t) {
      log.warn("an action on a connection's close failed", t);
    }
  }
}
