package io.reactivews.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.ServerEvent;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;

/**
 * Our server's echo route driven by a WebSocket client that nobody here wrote. Each subclass
 * names one client; the exchange runs once per class, from {@link #exchange}, and each test
 * checks one part of it against the {@link EchoPlan}: the peer computes SHA-256 of what came
 * back and the test compares it with its own of what was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EchoInterop {

  private final EchoPlan plan = EchoPlan.standard();
  private final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
  private BoundServer server;
  private Disposable eventSubscription;
  private PeerReport report;

  /** Runs {@code plan} against {@code url} with this class's client. */
  abstract PeerReport exchange(String url, EchoPlan plan) throws Exception;

  /** Checks that the client that ran is the one this class means, at the expected version. */
  abstract void assertIsTheIntendedPeer(JsonNode peer) throws Exception;

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
  void everyMessageComesBackInOrderWithItsType() {
    List<JsonNode> echoes = report.all("echo");
    assertEquals(plan.messages().size(), echoes.size(), report.transcript());
    for (int i = 0; i < echoes.size(); i++) {
      assertEquals(i, echoes.get(i).path("index").asInt());
      assertEquals(plan.messages().get(i).type(), echoes.get(i).path("type").asText(),
          "type of message " + i);
    }
  }

  @Test
  void multiByteUtf8TextComesBackIntact() {
    List<Integer> texts = indexesOf(m -> !m.binary() && !m.text().isEmpty());
    assertEquals(2, texts.size());
    texts.forEach(this::assertEchoed);
    assertTrue(plan.messages().get(texts.get(1)).bytes().length > 500_000,
        "the long text spans many reads");
  }

  @Test
  void emptyTextAndBinaryComeBackEmpty() {
    List<Integer> empties = indexesOf(m -> m.bytes().length == 0);
    assertEquals(2, empties.size());
    empties.forEach(this::assertEchoed);
  }

  @Test
  void binaryAtEachPayloadLengthEncodingBoundaryComesBackIntact() {
    List<Integer> boundaries = indexesOf(m -> m.binary() && m.size() >= 125 && m.size() <= 65_536);
    assertEquals(List.of(125, 126, 65_535, 65_536),
        boundaries.stream().map(i -> plan.messages().get(i).size()).toList());
    boundaries.forEach(this::assertEchoed);
  }

  @Test
  void sixteenMebibyteBinaryComesBackByteForByte() {
    List<Integer> large = indexesOf(m -> m.binary() && m.size() == EchoPlan.SIXTEEN_MIB);
    assertEquals(1, large.size());
    assertEchoed(large.get(0));
  }

  @Test
  void closeHandshakeEndsWith1000OnBothSides() throws Exception {
    assertEquals(plan.closeCode(), report.one("close").path("code").asInt(), report.transcript());
    ServerEvent.Closed closed = firstEvent(ServerEvent.Closed.class);
    assertEquals(plan.closeCode(), closed.status().code());
  }

  private List<Integer> indexesOf(Predicate<EchoPlan.Planned> which) {
    return IntStream.range(0, plan.messages().size())
        .filter(i -> which.test(plan.messages().get(i))).boxed().toList();
  }

  private void assertEchoed(int index) {
    EchoPlan.Planned sent = plan.messages().get(index);
    JsonNode echo = report.all("echo").stream().filter(e -> e.path("index").asInt() == index)
        .findFirst().orElseThrow(() -> new AssertionError("no echo of message " + index + "\n"
            + report.transcript()));
    assertEquals(sent.type(), echo.path("type").asText(), "type of message " + index);
    assertEquals(sent.bytes().length, echo.path("length").asLong(), "length of message " + index);
    assertEquals(sent.sha256(), echo.path("sha256").asText(), "SHA-256 of message " + index);
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
