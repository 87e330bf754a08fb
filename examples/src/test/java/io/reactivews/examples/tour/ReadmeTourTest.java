package io.reactivews.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.client.ConnectionState;
import io.reactivews.client.ReconnectingSession;
import io.reactivews.client.WebSocketClient;
import io.reactivews.client.socketio.SocketIoClient;
import io.reactivews.client.socketio.SocketIoSession;
import io.reactivews.testing.ChildProcess;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OriginPolicy;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * The README's tour, as code that must compile and work: a server with routes and a hook, a
 * reconnecting client, a broadcast with a policy per viewer, and the Socket.IO client against the
 * examples' backend.
 */
class ReadmeTourTest {

  @Test
  void serverClientAndBroadcastWorkAsTheReadmeSays() {
    Sinks.Many<Message> scores = Sinks.many().multicast().directBestEffort();
    Broadcast scoreboard = Broadcast.of(scores.asFlux());
    BoundServer server = WebSocketServer.create()
        .host("127.0.0.1").port(0)
        .options(SessionOptions.defaults().maxMessageSize(64 * 1024)
            .idleTimeout(Duration.ofMinutes(5)))
        .origins(OriginPolicy.allow("https://game.example.org").orNoOrigin())
        .route("/echo", session -> session.send(session.receive()))
        .route(Route.prefix("/admin/", session -> session.send(Mono.just(Message.text("hi admin"))))
            .onHandshake(ctx -> "s3cret".equals(ctx.queryParameter("token"))
                ? Mono.empty() : ctx.reject(401, "bad token")))
        .route("/stats", session -> scoreboard.subscribe(session, OverflowPolicy.latest()).onEnd())
        .bindNow();
    String base = "ws://127.0.0.1:" + server.port();
    WebSocketClient client = WebSocketClient.create().header("Authorization", "Bearer t");
    try {
      StepVerifier.create(client.connect(base + "/admin/x?token=s3cret")
              .flatMapMany(session -> session.receive().take(1).map(Message::text)))
          .expectNext("hi admin").verifyComplete();
      StepVerifier.create(client.connect(base + "/admin/x?token=nope"))
          .expectErrorSatisfies(e -> assertTrue(e.getMessage().contains("401"), e.getMessage()))
          .verify(Duration.ofSeconds(10));

      ReconnectingSession live = client.reconnecting(base + "/echo")
          .retry(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50)))
          .queueLimit(1000)
          .onSession(session -> Mono.empty())
          .start();
      assertEquals(Sinks.EmitResult.OK, live.tryEmit(Message.text("queued until open")));
      StepVerifier.create(live.receive().take(1).map(Message::text))
          .expectNext("queued until open").verifyComplete();
      assertEquals(ConnectionState.Phase.OPEN, live.state().phase());
      live.close().block(Duration.ofSeconds(10));

      List<String> seen = client.connect(base + "/stats")
          .flatMapMany(session -> {
            Flux<String> texts = session.receive().map(Message::text).take(2);
            Flux.range(1, 2).delayElements(Duration.ofMillis(200))
                .subscribe(i -> scores.tryEmitNext(Message.text("board " + i)));
            return texts;
          })
          .collectList().block(Duration.ofSeconds(10));
      assertEquals(List.of("board 1", "board 2"), seen);
    } finally {
      client.closeAll().block(Duration.ofSeconds(10));
      server.shutdown(Duration.ofSeconds(5)).block();
      scoreboard.dispose();
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Ack(boolean accepted) {}

  record Start(String matchId, String map, List<String> players) {}

  record End(String matchId, String winner) {}

  @Test
  void theSocketIoClientTalksToTheExamplesBackendAsTheReadmeSays() throws Exception {
    try (ChildProcess backend = ChildProcess.start(List.of(
        "node", "socketio-backend/server.mjs", "--port", "0", "--token", "demo-token"))) {
      String ready = backend.awaitLine(l -> l.contains("listening"), Duration.ofSeconds(30));
      String url = ready.substring(ready.indexOf("http://"));
      SocketIoClient socketIo = SocketIoClient.create()
          .webSocket(WebSocketClient.create().header("X-Game-Server", "eu-1"))
          .ackTimeout(Duration.ofSeconds(5))
          .offlineBuffer(500);
      SocketIoSession matches = socketIo.connect(url, Map.of("token", "demo-token"))
          .block(Duration.ofSeconds(10));
      List<JsonNode> boards = new CopyOnWriteArrayList<>();
      matches.on("leaderboard", JsonNode.class).subscribe(boards::add);
      matches.on("pause").flatMap(event -> event.ack("paused")).subscribe();
      Ack ack = matches.emitWithAck(Ack.class, "match:start",
          new Start("m1", "harbor", List.of("Nova", "Rook"))).block(Duration.ofSeconds(10));
      assertTrue(ack.accepted());
      matches.emit("match:end", new End("m1", "Nova"), new byte[] {1, 2, 3})
          .block(Duration.ofSeconds(10));
      backend.awaitLine(l -> l.contains("m1 won by Nova") && l.contains("replay 3 bytes"),
          Duration.ofSeconds(10));
      StepVerifier.create(Flux.interval(Duration.ofMillis(20)).filter(i -> !boards.isEmpty())
              .take(1)).expectNextCount(1).verifyComplete();
      assertEquals("Nova", boards.get(0).path(0).path("player").asText());
      matches.disconnect().block(Duration.ofSeconds(10));
    }
  }
}
