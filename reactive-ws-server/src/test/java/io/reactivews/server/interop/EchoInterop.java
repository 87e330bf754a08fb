package io.reactivews.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.ServerEvent;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.EchoPlanChecks;
import io.reactivews.testing.PeerReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Our server's echo route driven by a WebSocket client that nobody here wrote. Each subclass
 * names one client; the exchange runs once per class, from {@link #exchange}, and each test
 * checks one part of it against the {@link EchoPlan}: the peer computes SHA-256 of what came
 * back and the tests (most of them inherited from {@link EchoPlanChecks}) compare it with their
 * own of what was sent.
 */
abstract class EchoInterop extends EchoPlanChecks {

  private final EchoPlan plan = EchoPlan.standard();
  private final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
  private BoundServer server;
  private Disposable eventSubscription;
  private PeerReport report;

  /** Runs {@code plan} against {@code url} with this class's client. */
  abstract PeerReport exchange(String url, EchoPlan plan) throws Exception;

  /** Checks that the client that ran is the one this class means, at the expected version. */
  abstract void assertIsTheIntendedPeer(JsonNode peer) throws Exception;

  /** Whether this class's client offers permessage-deflate when left to its defaults. */
  abstract boolean offersCompression();

  @BeforeAll
  void runThePlanAgainstTheEchoRoute() throws Exception {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.exact("/echo", session -> session.send(session.receive()))
            .subprotocols(EchoPlan.SERVER_SUBPROTOCOLS.toArray(String[]::new)))
        .options(SessionOptions.defaults().maxMessageSize(32 << 20))
        .bindNow();
    eventSubscription = server.events().subscribe(events::add);
    report = exchange("ws://127.0.0.1:" + server.port() + "/echo", plan);
  }

  @Override
  protected EchoPlan plan() {
    return plan;
  }

  @Override
  protected PeerReport echoes() {
    return report;
  }

  @AfterAll
  void stopServer() {
    if (eventSubscription != null) {
      eventSubscription.dispose();
    }
    if (server != null) {
      server.shutdown(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
  }

  @Test
  void theIntendedPeerRanWithoutErrors() throws Exception {
    assertEquals(List.of(), report.errors(), report.transcript());
    assertIsTheIntendedPeer(report.one("peer"));
  }

  @Test
  void serverPicksItsMostPreferredOfTheOfferedSubprotocols() throws Exception {
    assertEquals(plan.expectedSubprotocol(), report.one("open").path("subprotocol").asText(),
        report.transcript());
    ServerEvent.Connected connected = firstEvent(ServerEvent.Connected.class);
    assertEquals(plan.expectedSubprotocol(), connected.session().handshake().subprotocol());
  }

  @Test
  void closeHandshakeEndsWith1000OnBothSides() throws Exception {
    assertEquals(plan.closeCode(), report.one("close").path("code").asInt(), report.transcript());
    ServerEvent.Closed closed = firstEvent(ServerEvent.Closed.class);
    assertEquals(plan.closeCode(), closed.status().code());
  }

  /**
   * RFC 7692 with the server's defaults: an offer is accepted and messages go compressed both
   * ways (the echoes' SHA-256 checks show each side inflated the other's); a client that offers
   * nothing gets plain frames.
   */
  @Test
  void compressionIsNegotiatedWhenOfferedAndUsedBothWays() throws Exception {
    WebSocketSession session = firstEvent(ServerEvent.Connected.class).session();
    firstEvent(ServerEvent.Closed.class);
    if (!offersCompression()) {
      assertEquals(Optional.empty(), session.compression());
      assertEquals(0, server.compressionStats().messagesCompressed());
      return;
    }
    assertEquals(new DeflateParameters(true, true, -1, -1), session.compression().orElseThrow());
    assertTrue(report.one("open").path("extensions").asText().startsWith("permessage-deflate"),
        report.transcript());
    CompressionStats stats = session.compressionStats().orElseThrow();
    assertTrue(stats.messagesInflated() > 0, stats + "\n" + report.transcript());
    assertTrue(stats.messagesCompressed() > 0, stats + "\n" + report.transcript());
    assertEquals(stats.bytesSentCompressed(), server.compressionStats().bytesSentCompressed());
  }

  /** The first server event of this type; events are kept, so tests may run in any order. */
  private <T extends ServerEvent> T firstEvent(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (ServerEvent event : events) {
        if (type.isInstance(event)) {
          return type.cast(event);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the server emitted no " + type.getSimpleName() + ": " + events);
  }
}
