package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's meters are exact under churn: 1,000 real connections that end every way a
 * connection can (a clean close, an abort, a refusal, a handshake timeout, an idle timeout, a
 * keepalive timeout, a protocol error, the server's shutdown, and on a TLS server a failed TLS
 * handshake) leave every gauge at 0, and each counter equals what the clients saw.
 */
class MeterChurnTest {

  private static final int CYCLES = 1_000;
  private static final int THREADS = 8;
  private static final Set<String> TAG_KEYS = Set.of("route", "status", "code", "closed.by", "direction");

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Map<String, LongAdder> seen = new ConcurrentHashMap<>();
  private BoundServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.disposeNow();
    }
  }

  @Test
  void gaugesReturnToZeroAndCountersMatchTheClientsOnEveryEnding() throws Exception {
    int globalBefore = Metrics.globalRegistry.getMeters().size();
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .route(Route.exact("/idle", session -> session.send(session.receive()))
            .options(SessionOptions.defaults().idleTimeout(Duration.ofMillis(50))))
        .route(Route.exact("/keepalive", session -> session.send(session.receive()))
            .options(SessionOptions.defaults().pingInterval(Duration.ofMillis(20))
                .pingTimeout(Duration.ofMillis(40))))
        .handshakeTimeout(Duration.ofMillis(300))
        .metrics(meters)
        .bindNow();

    ExecutorService clients = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        runs.add(clients.submit(() -> {
          for (int i = first; i < CYCLES; i += THREADS) {
            cycle(i);
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
      // The last ending: sessions still open when the server shuts down are closed with 1001.
      List<Future<?>> lastOnes = new ArrayList<>();
      // Shut down only once every last session has echoed: a shutdown that wins the race with an
      // echo closes its session before the echo, which is right, but not what this counts.
      CountDownLatch echoed = new CountDownLatch(THREADS);
      for (int t = 0; t < THREADS; t++) {
        lastOnes.add(clients.submit(() -> {
          try (RawClient client = upgrade("/echo")) {
            echo(client, "until shutdown");
            echoed.countDown();
            answerClose(client, "shutdown");
          }
          return null;
        }));
      }
      awaitGauge("reactivews.server.sessions.active", "/echo", THREADS);
      assertTrue(echoed.await(10, TimeUnit.SECONDS), "every last session echoed");
      server.shutdown(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
      for (Future<?> run : lastOnes) {
        run.get(10, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }

    // Gauges: the server reaches them when its side of each connection closes.
    awaitGauge("reactivews.server.connections.active", null, 0);
    for (String route : List.of("/echo", "/idle", "/keepalive")) {
      awaitGauge("reactivews.server.sessions.active", route, 0);
      assertEquals(0, gauge("reactivews.server.outbound.queued.messages", route));
      assertEquals(0, gauge("reactivews.server.outbound.queued.bytes", route));
    }

    // Counters: equal to what the clients counted.
    assertEquals(count("connections"), counter("reactivews.server.connections"));
    for (String status : List.of("101", "404", "426", "408")) {
      assertEquals(count("status " + status), handshakes(status), "handshakes " + status);
    }
    assertEquals(count("echo"), sum("reactivews.server.messages.received"));
    assertEquals(count("echo"), sum("reactivews.server.messages.sent"));
    assertEquals(count("echo bytes"), sum("reactivews.server.data.received"));
    assertEquals(count("echo bytes"), sum("reactivews.server.data.sent"));
    assertEquals(count("normal"), closes("1000", "remote"));
    assertEquals(count("abort"), closes("1006", "none"));
    assertEquals(count("idle") + count("shutdown"), closes("1001", "local"));
    assertEquals(count("keepalive"), closes("1011", "local"));
    assertEquals(count("keepalive"), sum("reactivews.server.keepalive.timeouts"));
    assertEquals(count("protocol"), closes("1002", "local"));
    assertEquals(count("protocol"), sum("reactivews.server.protocol.errors"));
    assertEquals(count("status 101"), sum("reactivews.server.closes"));
    assertEquals(count("status 101"), timerCount("reactivews.server.session.duration"));
    assertTrue(count("abort") > 0 && count("idle") > 0 && count("keepalive") > 0
        && count("protocol") > 0 && count("status 408") > 0 && count("shutdown") == THREADS,
        "every ending happened: " + seen);

    assertOnlyRouteLevelTags();
    // The application's registry, and nowhere else.
    assertEquals(globalBefore, Metrics.globalRegistry.getMeters().size());
    assertTrue(Metrics.globalRegistry.getMeters().stream()
        .noneMatch(m -> m.getId().getName().startsWith("reactivews")));
  }

  @Test
  void aFailedTlsHandshakeIsCountedAndLeavesNoConnectionOpen() throws Exception {
    TestCertificates certificates = TestCertificates.generate("ip:127.0.0.1");
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .secure(certificates.serverContext())
        .metrics(meters)
        .bindNow();
    for (int i = 0; i < 20; i++) {
      try (RawClient plain = RawClient.connect(server.port())) {
        plain.write(RawHttp.upgradeRequest("/echo"));
        String end = plain.awaitEnd(5000);
        assertTrue(end.equals("eof") || end.equals("reset"), end);
      }
    }
    awaitCounter("reactivews.server.tls.handshake.failures", 20);
    awaitGauge("reactivews.server.connections.active", null, 0);
    // Reactor Netty hands over a TLS connection once its handshake is done: these never were.
    assertEquals(0, counter("reactivews.server.connections"));
    assertEquals(0, meters.find("reactivews.server.handshakes").meters().size());
    assertOnlyRouteLevelTags();
  }

  /** One connection, ending the way its number says; tallies what the client saw. */
  private void cycle(int i) throws IOException {
    if (i % 40 == 3) {
      timedOut();
      return;
    }
    switch (i % 20) {
      case 0, 1 -> refused("/nowhere", upgradeRequest("/nowhere"));
      case 2 -> refused("/echo", "GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
      case 4 -> session("/idle", "idle");
      case 5 -> session("/keepalive", "keepalive");
      case 6, 7 -> session("/echo", "protocol");
      case 8, 9, 10, 11 -> session("/echo", "abort");
      default -> session("/echo", "normal");
    }
  }

  private void session(String path, String ending) throws IOException {
    try (RawClient client = connect()) {
      client.write(upgradeRequest(path));
      String head = client.readHead();
      String status = head.substring(9, 12);
      tally("status " + status);
      if (!status.equals("101")) {
        return; // a handshake too slow on a busy machine: counted as the 408 it was
      }
      // The timers' endings echo nothing: on a busy machine they may strike before any echo.
      if (ending.equals("normal") || ending.equals("abort") || ending.equals("protocol")) {
        echo(client, "hello " + ending);
      }
      switch (ending) {
        case "normal" -> {
          client.sendClose(1000);
          assertEquals(1000, client.readClose().closeCode());
          client.awaitEnd(5000);
        }
        case "abort" -> {
          client.socket().setSoLinger(true, 0); // a reset, no close frame
        }
        case "protocol" -> {
          client.sendFrame(0x3, new byte[0]); // a reserved opcode: 1002
          answerClose(client, null);
        }
        default -> answerClose(client, null); // the server's timers close with 1001 or 1011
      }
      tally(ending);
    }
  }

  private RawClient upgrade(String path) throws IOException {
    RawClient client = connect();
    client.write(upgradeRequest(path));
    String head = client.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    tally("status 101");
    return client;
  }

  private void echo(RawClient client, String text) throws IOException {
    client.sendText(text);
    RawFrame echoed = client.readFrame();
    while (echoed.opcode() == RawFrame.PING) {
      echoed = client.readFrame(); // unanswered: the keepalive route is to time out
    }
    assertEquals(text, echoed.text());
    tally("echo");
    seen.computeIfAbsent("echo bytes", k -> new LongAdder())
        .add(text.getBytes(StandardCharsets.UTF_8).length);
  }

  /** Waits for the server's close frame, answers it, and waits for the end. */
  private void answerClose(RawClient client, String ending) throws IOException {
    client.socket().setSoTimeout(10_000);
    RawFrame close = client.readClose();
    client.sendClose(close.closeCode());
    client.awaitEnd(5000);
    if (ending != null) {
      tally(ending);
    }
  }

  private void refused(String path, String request) throws IOException {
    try (RawClient client = connect()) {
      client.write(request);
      tally("status " + client.readHead().substring(9, 12));
      client.awaitEnd(5000);
    }
  }

  private void timedOut() throws IOException {
    try (RawClient client = connect()) {
      client.write("GET /echo HTTP/1.1\r\n"); // and nothing more
      tally("status " + client.readHead().substring(9, 12));
      client.awaitEnd(5000);
    }
  }

  private RawClient connect() throws IOException {
    tally("connections");
    return RawClient.connect(server.port());
  }

  private static String upgradeRequest(String path) {
    return RawHttp.upgradeRequest(path);
  }

  private void tally(String what) {
    seen.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  private long count(String what) {
    LongAdder adder = seen.get(what);
    return adder == null ? 0 : adder.sum();
  }

  private void assertOnlyRouteLevelTags() {
    for (Meter meter : meters.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertTrue(TAG_KEYS.contains(tag.getKey()), meter.getId() + " has a tag per connection");
        if (tag.getKey().equals("route")) {
          assertTrue(Set.of("/echo", "/idle", "/keepalive", "unmatched").contains(tag.getValue()),
              meter.getId() + ": a route tag is a template");
        }
      }
    }
  }

  private long handshakes(String status) {
    return meters.find("reactivews.server.handshakes").tag("status", status).timers().stream()
        .mapToLong(t -> t.count()).sum();
  }

  private long closes(String code, String by) {
    return (long) meters.find("reactivews.server.closes").tag("code", code).tag("closed.by", by)
        .counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private long sum(String name) {
    return (long) meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private long timerCount(String name) {
    return meters.find(name).timers().stream().mapToLong(t -> t.count()).sum();
  }

  private long counter(String name) {
    return (long) meters.get(name).counter().count();
  }

  private double gauge(String name, String route) {
    var search = meters.find(name);
    if (route != null) {
      search = search.tag("route", route);
    }
    return search.gauge() == null ? fail("no gauge " + name + " " + route) : search.gauge().value();
  }

  /** The server side of a connection closes a moment after the client saw its end. */
  private void awaitGauge(String name, String route, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gauge(name, route) != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, gauge(name, route), name + " " + route);
  }

  private void awaitCounter(String name, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (meters.find(name).counter() == null || counter(name) != expected) {
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(10);
    }
    assertEquals(expected, counter(name), name);
  }
}
