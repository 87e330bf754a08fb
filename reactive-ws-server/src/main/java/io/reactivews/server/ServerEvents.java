package io.reactivews.server;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Where a server's events go: many event-loop threads emit, every subscriber sees each event
 * once. A Reactor sink refuses concurrent emissions (it reports them as failures and drops the
 * event), so emissions take turns here. Subscribers without demand miss events rather than slow
 * the server. Thread-safe.
 */
final class ServerEvents {

  private final Sinks.Many<ServerEvent> sink = Sinks.many().multicast().directBestEffort();

  synchronized void emit(ServerEvent event) {
    sink.tryEmitNext(event);
  }

  synchronized void complete() {
    sink.tryEmitComplete();
  }

  Flux<ServerEvent> flux() {
    return sink.asFlux();
  }
}
