package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The client's meters count what its sessions did, come back to zero when they end, and live in
 * the registry it was given: echo sessions closed by either side or refused, and a reconnecting
 * session that loses its server, retries, and is closed.
 */
class ClientMeterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private BoundServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.disposeNow();
    }
  }

  @Test
  void sessionsHandshakesAndClosesAreCountedAndGaugesReturnToZero() throws Exception {
    int globalBefore = Metrics.globalRegistry.getMeters().size();
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .route("/bye", session -> session.send(Mono.just(Message.text("bye"))))
        .bindNow();
    WebSocketClient client = WebSocketClient.create().metrics(meters);
    int echoes = 0;
    long bytes = 0;
    for (int i = 0; i < 100; i++) {
      WebSocketSession session = client.connect(uri("/echo")).block(WAIT);
      String text = "echo " + i;
      session.tryEmit(Message.text(text));
      assertEquals(text, session.receive().blockFirst(WAIT).text());
      echoes++;
      bytes += text.length();
      session.close().block(WAIT);
    }
    for (int i = 0; i < 20; i++) {
      WebSocketSession session = client.connect(uri("/bye")).block(WAIT);
      session.receive().then().block(WAIT); // the server closes when its handler ends
      session.onClose().block(WAIT);
    }
    for (int i = 0; i < 10; i++) {
      Object refused = client.connect(uri("/nowhere"))
          .map(Object.class::cast).onErrorResume(e -> Mono.just(e)).block(WAIT);
      assertEquals(404, ((HandshakeException) refused).status());
    }

    assertEquals(0, gauge("reactivews.client.sessions.active"));
    assertEquals(echoes, count("reactivews.client.messages.sent"));
    assertEquals(echoes + 20, count("reactivews.client.messages.received"));
    assertEquals(bytes, count("reactivews.client.data.sent"));
    assertEquals(100, closes("1000", "local"));
    assertEquals(20, closes("1000", "remote"));
    assertEquals(120, handshakes("101"));
    assertEquals(10, handshakes("404"));
    for (Meter meter : meters.getMeters()) {
      meter.getId().getTags().forEach(tag -> assertTrue(
          Set.of("status", "code", "closed.by", "phase", "direction").contains(tag.getKey()),
          meter.getId() + " carries a per-connection tag"));
    }
    assertEquals(globalBefore, Metrics.globalRegistry.getMeters().size());
  }

  @Test
  void aReconnectingSessionIsInOnePhaseAtATimeAndInNoneOnceClosed() throws Exception {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    int port = server.port();
    ReconnectingSession live = WebSocketClient.create().metrics(meters)
        .reconnecting(uri("/echo"))
        .retry(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(20)))
        .start();
    await(() -> phase("open"), 1);
    assertEquals(0, phase("connecting") + phase("reconnecting"));

    server.disposeNow(); // the link is lost, and every retry fails: nobody listens
    server = null;
    await(() -> phase("reconnecting"), 1);
    await(() -> count("reactivews.client.reconnect.attempts") >= 3 ? 1 : 0, 1);
    assertEquals(0, phase("open") + phase("connecting"));

    live.close().block(WAIT);
    assertEquals(0, phase("open") + phase("connecting") + phase("reconnecting"));
    assertEquals(0, gauge("reactivews.client.sessions.active"));
    assertEquals(1, closes("1006", "none") + closes("1001", "remote"), "the lost link");
    assertTrue(port > 0);
  }

  @Test
  void compressionBytesBeforeAndAfterAreMeteredOnBothSides() {
    SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .metrics(serverMeters)
        .bindNow();
    WebSocketSession session =
        WebSocketClient.create().metrics(meters).connect(uri("/echo")).block(WAIT);
    String text = "{\"score\":1234,\"player\":\"alice\"}".repeat(100);
    session.tryEmit(Message.text(text));
    assertEquals(text, session.receive().blockFirst(WAIT).text());
    session.close().block(WAIT);

    // Negotiated by default: the message went compressed both ways.
    assertEquals(text.length(), compression(meters, "client", "uncompressed", "sent"));
    assertEquals(text.length(), compression(serverMeters, "server", "uncompressed", "received"));
    long compressed = compression(meters, "client", "compressed", "sent");
    assertTrue(compressed > 0 && compressed < text.length() / 5, "compressed to " + compressed);
    assertEquals(compressed, compression(serverMeters, "server", "compressed", "received"));
    assertEquals(compression(serverMeters, "server", "compressed", "sent"),
        compression(meters, "client", "compressed", "received"));
  }

  private static long compression(
      SimpleMeterRegistry registry, String side, String name, String direction) {
    return (long) registry.get("reactivews." + side + ".compression." + name)
        .tag("direction", direction).functionCounter().count();
  }

  private String uri(String path) {
    return "ws://127.0.0.1:" + server.port() + path;
  }

  private double phase(String phase) {
    return meters.get("reactivews.client.reconnecting.sessions").tag("phase", phase)
        .gauge().value();
  }

  private double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  private long count(String name) {
    return (long) meters.get(name).counter().count();
  }

  private long closes(String code, String by) {
    return (long) meters.find("reactivews.client.closes").tag("code", code)
        .tag("closed.by", by).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private long handshakes(String status) {
    return meters.find("reactivews.client.handshakes").tag("status", status).timers().stream()
        .mapToLong(t -> t.count()).sum();
  }

  private static void await(DoubleSupplier value, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (value.getAsDouble() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, value.getAsDouble());
  }
}
