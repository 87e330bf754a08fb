package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.session.SessionOptions;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A graceful shutdown keeps its promise of a 1001 to every session: however many peers never
 * answer, for a handshake that ends after the shutdown began, and when shutdown is called twice.
 */
class ShutdownTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static BoundServer silentServer() {
    return WebSocketServer.create().host("127.0.0.1").port(0)
        .options(SessionOptions.defaults().closeTimeout(Duration.ofSeconds(5))
            .pingInterval(Duration.ZERO))
        .route("/x", session -> Mono.never())
        .bindNow();
  }

  @Test
  void everySessionGetsItsGoingAwayEvenWhenNoPeerAnswersTheClose() throws Exception {
    BoundServer server = silentServer();
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        clients.add(RawClient.open(server.port(), "/x"));
      }
      awaitCount(server, 300);
      // The peers never answer: the wait runs out before any close handshake ends.
      server.shutdown(Duration.ofSeconds(2)).block(WAIT);
      int goingAway = 0;
      for (RawClient client : clients) {
        RawFrame frame = client.readFrame();
        if (frame.opcode() == 0x8 && closeCode(frame) == 1001) {
          goingAway++;
        }
      }
      assertEquals(300, goingAway, "sessions that got a 1001 before being cut off");
    } finally {
      for (RawClient client : clients) {
        client.close();
      }
      server.disposeNow();
    }
  }

  @Test
  void aSecondShutdownCompletesWithTheFirst() throws Exception {
    BoundServer server = silentServer();
    try (RawClient client = RawClient.open(server.port(), "/x")) {
      awaitCount(server, 1);
      AtomicBoolean firstDone = new AtomicBoolean();
      Mono<Void> first = server.shutdown(Duration.ofSeconds(1))
          .doOnTerminate(() -> firstDone.set(true));
      Mono<Void> second = server.shutdown(Duration.ofSeconds(1));
      first.subscribe();
      second.block(WAIT);
      // The peer never answers its 1001, so the first waits out its second.
      assertTrue(firstDone.get(), "the second completed with the first, not before it");
      assertFalse(server.isListening());
    }
  }

  @Test
  void aHandshakeThatEndsAfterTheShutdownBeganStillGetsItsGoingAway() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    Sinks.Empty<Void> allow = Sinks.empty();
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .options(SessionOptions.defaults().pingInterval(Duration.ZERO))
        .route(Route.exact("/x", session -> Mono.never())
            .onHandshake(ctx -> allow.asMono().doOnSubscribe(s -> asked.countDown())))
        .route("/y", session -> Mono.never())
        .bindNow();
    // A session that never answers its 1001 holds the shutdown's wait open.
    try (RawClient holding = RawClient.open(server.port(), "/y");
        RawClient client = RawClient.connect(server.port())) {
      awaitCount(server, 1);
      client.write(RawHttp.upgradeRequest("/x"));
      assertTrue(asked.await(5, TimeUnit.SECONDS), "the hook runs");
      Mono<Void> stopping = server.shutdown(Duration.ofSeconds(3)).cache();
      stopping.subscribe();
      Mono.delay(Duration.ofMillis(10)).repeat(server::isListening).then().block(WAIT);
      allow.tryEmitEmpty(); // the handshake ends now, after the shutdown's 1001s went out
      assertTrue(client.readHead().startsWith("HTTP/1.1 101"));
      RawFrame frame = client.readFrame();
      assertEquals(0x8, frame.opcode());
      assertEquals(1001, closeCode(frame));
      stopping.block(WAIT);
    }
  }

  @Test
  void aBindRetriedUntilThePortIsFreeGivesAWholeServer() throws Exception {
    ServerSocket taken = new ServerSocket(0);
    int port = taken.getLocalPort();
    Mono<BoundServer> binding = WebSocketServer.create().host("127.0.0.1").port(port)
        .route("/x", session -> Mono.never())
        .bind()
        .retryWhen(Retry.fixedDelay(100, Duration.ofMillis(50)))
        .cache();
    binding.subscribe(null, e -> { });
    Thread.sleep(300); // a few attempts fail meanwhile
    taken.close();
    BoundServer server = binding.block(WAIT);
    try {
      assertFalse(server.cluster().isDisposed(), "its cluster link survived the failed tries");
      try (RawClient client = RawClient.open(server.port(), "/x")) {
        awaitCount(server, 1);
      }
    } finally {
      server.disposeNow();
    }
  }

  @Test
  void aClientThatNeverReadsItsPageGivesUpItsPlaceAfterTheHandshakeTimeout() throws Exception {
    byte[] big = new byte[16 << 20]; // more than the socket buffers hold between us
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .maxConnections(1)
        .handshakeTimeout(Duration.ofSeconds(1))
        .route(Route.exact("/x", session -> Mono.never())
            .page(StaticPage.of("application/octet-stream", big)))
        .bindNow();
    try (java.net.Socket stalled = new java.net.Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      stalled.getOutputStream().write(
          "GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // Never read: the page's write cannot finish. The only place goes free once it is cut.
      long deadline = System.nanoTime() + WAIT.toNanos();
      String head = "";
      while (System.nanoTime() < deadline) {
        try (RawClient next = RawClient.connect(server.port())) {
          head = next.write(RawHttp.upgradeRequest("/x")).readHead();
        }
        if (head.startsWith("HTTP/1.1 101")) {
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(head.startsWith("HTTP/1.1 101"), "still refused: " + head);
    } finally {
      server.disposeNow();
    }
  }

  private static int closeCode(RawFrame frame) {
    return ByteBuffer.wrap(frame.payload()).getShort() & 0xffff;
  }

  private static void awaitCount(BoundServer server, int count) {
    Mono.delay(Duration.ofMillis(10)).repeat(() -> server.registry().count() < count)
        .then().block(WAIT);
    assertEquals(count, server.registry().count());
  }
}
