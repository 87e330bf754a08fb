package io.reactivews.examples.events;

import io.reactivews.core.json.EventError;
import io.reactivews.core.json.EventRouter;
import io.reactivews.core.json.JsonCodec;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.examples.ServerProgram;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Typed JSON events routed to handlers by type, with request/response by correlation id: the
 * shape of a game's event service. Clients report what happens and ask questions:
 *
 * <pre>
 * -> {"type":"player_death","victim":"bob","killer":"alice","weapon":"rail"}
 * -> {"type":"get_scores","id":7}
 * <- {"type":"scores","id":7,"scores":{"alice":1}}
 * -> {"type":"nonsense"}
 * <- {"type":"error","message":"unknown event type: nonsense"}
 * </pre>
 *
 * Bad events are answered, never fatal: the session stays open.
 */
public final class EventsServer {

  record PlayerDeath(String victim, String killer, String weapon) {}

  record GetScores() {}

  record Scores(Map<String, Integer> scores) {}

  record Problem(String message) {}

  private final JsonCodec json = JsonCodec.create();
  private final Map<String, Integer> kills = new ConcurrentHashMap<>();

  private EventsServer() {}

  public static BoundServer start(String host, int port) {
    return start(host, port, PrometheusMetrics.off());
  }

  /** Starts the server, with meters if {@code metrics} is on; the caller stops it. */
  public static BoundServer start(String host, int port, PrometheusMetrics metrics) {
    EventsServer events = new EventsServer();
    return metrics.apply(WebSocketServer.create().host(host).port(port)
        .route("/events", events::handle))
        .bindNow();
  }

  private Publisher<Void> handle(WebSocketSession session) {
    EventRouter router = EventRouter.create(json)
        .on("player_death", PlayerDeath.class, this::recordDeath)
        .on("get_scores", GetScores.class, ask -> Mono.just(json.toEvent("scores", scores())))
        .otherwise(event -> Mono.just(
            json.toEvent("error", new Problem("unknown event type: " + event.type()))))
        .onError(error -> session.tryEmit(
            json.event("error", new Problem(describe(error)))));
    return session.send(session.receive().transform(router));
  }

  private static String describe(EventError error) {
    return error.cause().map(Throwable::getMessage).orElse(error.kind().toString());
  }

  private Mono<Void> recordDeath(PlayerDeath death) {
    if (death.killer() != null && !death.killer().equals(death.victim())) {
      kills.merge(death.killer(), 1, Integer::sum);
    }
    return Mono.empty();
  }

  private Scores scores() {
    return new Scores(new TreeMap<>(kills));
  }

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv, "usage: events [--host 127.0.0.1] [--port 8090] [--metrics]\n"
        + "Typed JSON events on /events: player_death, get_scores (with an id for the reply).\n"
        + PrometheusMetrics.USAGE,
        8090, (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          BoundServer server = start(host, port, metrics);
          return new ServerProgram.Running("events server on ws://" + host + ":" + server.port()
              + "/events\ntry: {\"type\":\"player_death\",\"victim\":\"bob\",\"killer\":\"alice\"}"
              + " then {\"type\":\"get_scores\",\"id\":1}" + metrics.banner(host, server.port()),
              () -> server.shutdown(Duration.ofSeconds(2)).block());
        });
  }
}
