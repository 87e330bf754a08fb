package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An application that runs out of memory in its handler: Reactor rethrows JVM errors from
 * operators instead of signalling them, so without care the error would climb into the event
 * loop past the session. Each way still closes that connection with 1011 and a reason, and the
 * next connection to the same server echoes as usual.
 */
class HandlerOutOfMemoryTest {

  private static final String NO_MEMORY = "no memory for the application in this test";

  private static BoundServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/throws", session -> {
          throw new OutOfMemoryError(NO_MEMORY);
        })
        .route("/returns", session -> Mono.error(new OutOfMemoryError(NO_MEMORY)))
        .route("/in-receive", session -> session.send(session.receive().map(m -> {
          throw new OutOfMemoryError(NO_MEMORY);
        })))
        .route("/in-receive-then", session -> session.receive()
            .doOnNext(m -> {
              throw new OutOfMemoryError(NO_MEMORY);
            }).then())
        .route("/in-send", session -> session.send(Flux.<Message>just(Message.text("one"))
            .concatWith(Flux.defer(() -> {
              throw new OutOfMemoryError(NO_MEMORY);
            }))))
        .route("/in-send-later", session -> session.send(Flux.range(1, 10_000).map(i -> {
          if (i == 5_000) {
            throw new OutOfMemoryError(NO_MEMORY);
          }
          return Message.text("message " + i);
        })))
        .route("/on-subscribe", session -> Mono.defer(() -> {
          throw new OutOfMemoryError(NO_MEMORY);
        }))
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/throws", "/on-subscribe", "/returns", "/in-receive", "/in-receive-then",
      "/in-send", "/in-send-later"})
  void closesWith1011AndTheServerGoesOn(String path) throws Exception {
    RecordingListener client =
        RecordingListener.open(http, "ws://127.0.0.1:" + server.port() + path);
    client.socket.sendText("hello", true);

    assertEquals(1011, client.closeCode.get(5, TimeUnit.SECONDS));
    String reason = client.closeReason.get(1, TimeUnit.SECONDS);
    assertTrue(reason.contains(NO_MEMORY), reason);

    RecordingListener next =
        RecordingListener.open(http, "ws://127.0.0.1:" + server.port() + "/echo");
    next.socket.sendText("still here", true);
    assertEquals("still here", next.nextText());
    next.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    assertEquals(1000, next.awaitClose());
  }
}
