package io.reactivews.client.socketio;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The one way out to the connection: groups of messages are sent one group at a time, in the
 * order they were queued, so the binary frames of a Socket.IO packet follow its text with
 * nothing in between (a session's concurrent sends would interleave them).
 *
 * <p>Thread-safe.
 */
final class WriteLane {

  private final Sinks.Many<Mono<Void>> tasks = Sinks.many().unicast().onBackpressureBuffer();

  WriteLane() {
    tasks.asFlux().concatMap(task -> task, 1).subscribe();
  }

  /**
   * Queues {@code frames} for {@code target}; completes when they were handed to the network,
   * fails when {@code target} is null (no connection) or closed first.
   */
  Mono<Void> write(WebSocketSession target, List<Message> frames) {
    Sinks.Empty<Void> done = Sinks.empty();
    Mono<Void> send = target == null
        ? Mono.error(new SocketIoException("not connected"))
        : target.send(Flux.fromIterable(frames));
    Mono<Void> task = send
        .doOnSuccess(v -> done.tryEmitEmpty())
        .onErrorResume(e -> {
          done.tryEmitError(e);
          return Mono.empty();
        });
    synchronized (this) { // the unicast sink takes one emitter at a time
      tasks.tryEmitNext(task);
    }
    return done.asMono();
  }
}
