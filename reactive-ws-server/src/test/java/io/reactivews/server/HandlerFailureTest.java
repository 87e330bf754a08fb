package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A handler that fails closes its connection with 1011 whatever its error says: over real
 * sockets, the JDK's client sees the close frame within a second, its reason the start of the
 * error's message cut to the 123 bytes a close frame holds (RFC 6455 section 5.5), and the
 * server reports the session closed with the same code.
 */
class HandlerFailureTest {

  /** Messages a close frame cannot carry whole, and some awkward ones it can. */
  private static final List<String> MESSAGES = List.of(
      "x".repeat(124),
      "{\"error\":\"validation failed\",\"fields\":[" + "{\"name\":\"email\",\"problem\":\"missing\"},"
          .repeat(8) + "]}",
      new IOException("upstream unavailable: " + "timeout ".repeat(30)).toString(),
      "é".repeat(100),
      "€".repeat(100),
      "😀".repeat(40),
      "a" + "😀".repeat(40), // the cut falls inside a surrogate pair unless it is careful
      "line one\nline two\r\n\ttabbed " + "z".repeat(200),
      "\ud800 lone surrogate " + "y".repeat(200),
      "short");

  /** The ways a handler fails. */
  private static final List<Failure> FAILURES = List.of(
      new Failure("throws", message -> session -> {
        throw new IllegalStateException(message);
      }),
      new Failure("returns an error", message -> session ->
          Mono.error(new IllegalStateException(message))),
      new Failure("fails later, on another thread", message -> session ->
          Mono.delay(Duration.ofMillis(10)).then(Mono.error(new IllegalStateException(message)))),
      new Failure("fails with a wrapped cause", message -> session ->
          Mono.error(new UncheckedIOException(new IOException(message)))),
      new Failure("fails after sending", message -> session -> session.send(
          Flux.just(io.reactivews.core.message.Message.text("hello")))
          .then(Mono.error(new IllegalArgumentException(message)))));

  private record Failure(
      String name, Function<String, WebSocketHandler> handler) {}

  private static BoundServer server;
  private static EventLog events;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    WebSocketServer builder = WebSocketServer.create().host("127.0.0.1").port(0);
    for (int f = 0; f < FAILURES.size(); f++) {
      for (int m = 0; m < MESSAGES.size(); m++) {
        builder = builder.route(
            "/" + f + "/" + m, FAILURES.get(f).handler().apply(MESSAGES.get(m)));
      }
    }
    server = builder.bindNow();
    events = new EventLog(server);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    events.close();
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  static Stream<Arguments> failures() {
    List<Arguments> all = new ArrayList<>();
    for (int f = 0; f < FAILURES.size(); f++) {
      for (int m = 0; m < MESSAGES.size(); m++) {
        all.add(Arguments.of(f, m, FAILURES.get(f).name(), MESSAGES.get(m).length()));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "handler {2}, message of {3} chars")
  @MethodSource("failures")
  void closesWith1011AndAReasonThatFits(int failure, int message, String name, int length)
      throws Exception {
    String path = "/" + failure + "/" + message;
    int mark = events.mark();
    RecordingListener client =
        RecordingListener.open(http, "ws://127.0.0.1:" + server.port() + path);

    assertEquals(1011, client.closeCode.get(1, TimeUnit.SECONDS));
    String reason = client.closeReason.get(1, TimeUnit.SECONDS);
    String error = expectedError(FAILURES.get(failure), MESSAGES.get(message));
    assertTrue(reason.getBytes(StandardCharsets.UTF_8).length <= CloseStatus.MAX_REASON_BYTES,
        reason);
    assertEquals(CloseStatus.fitReason(error), reason);
    ServerEvent.Closed closed = (ServerEvent.Closed) events.awaitAfter(mark,
        e -> e instanceof ServerEvent.Closed c && c.session().handshake().path().equals(path));
    assertEquals(1011, closed.status().code(), closed.toString());
  }

  /** What the handler's error says: a wrapped cause says so, as its toString does. */
  private static String expectedError(Failure failure, String message) {
    String error = failure.name().contains("wrapped")
        ? new UncheckedIOException(new IOException(message)).getMessage() : message;
    // A lone surrogate cannot be encoded: UTF-8 writes '?' for it, and the peer reads that.
    return error.replace('\ud800', '?');
  }
}
