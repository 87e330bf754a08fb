package io.reactivews.client.socketio;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The one way out to the connection: groups of messages are sent one group at a time, in the
 * order they were queued, so the binary frames of a Socket.IO packet follow its text with
 * nothing in between (a session's concurrent sends would interleave them).
 *
 * <p>Thread-safe and lock-free: whichever thread finds the lane idle starts the next send, so
 * no lock is held while a completed write's subscribers run (they may well write again).
 */
final class WriteLane {

  private record Write(WebSocketSession target, List<Message> frames, Sinks.Empty<Void> done) {}

  private final Queue<Write> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean sending;

  /**
   * Queues {@code frames} for {@code target}; completes when they were handed to the network,
   * fails when {@code target} is null (no connection) or closed first.
   */
  Mono<Void> write(WebSocketSession target, List<Message> frames) {
    Write write = new Write(target, frames, Sinks.empty());
    queue.offer(write);
    drain();
    return write.done().asMono();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (!sending) {
        Write next = queue.poll();
        if (next != null) {
          sending = true;
          start(next);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void start(Write write) {
    Mono<Void> send = write.target() == null
        ? Mono.error(new SocketIoException("not connected"))
        : write.target().send(Flux.fromIterable(write.frames()));
    send.subscribe(null, e -> finished(write, e), () -> finished(write, null));
  }

  private void finished(Write write, Throwable error) {
    sending = false;
    if (error == null) {
      write.done().tryEmitEmpty();
    } else {
      write.done().tryEmitError(error);
    }
    drain();
  }
}
