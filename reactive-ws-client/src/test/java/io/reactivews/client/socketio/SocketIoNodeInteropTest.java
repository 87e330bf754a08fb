package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.client.ConnectionState;
import io.reactivews.testing.ChildPeer;
import io.reactivews.testing.PeerReport;
import io.reactivews.testing.ServingPeer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Our Socket.IO client against Node's {@code socket.io} server, at the version pinned by the
 * committed {@code .ci/peers/package-lock.json}, run as {@code node
 * .ci/peers/socketio-server.mjs} with short ping timers so that dead-server detection is quick.
 */
class SocketIoNodeInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int PING_INTERVAL = 400;
  private static final int PING_TIMEOUT = 300;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SocketIoClient CLIENT = SocketIoClient.create()
      .reconnect(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(100)))
      .ackTimeout(Duration.ofSeconds(5))
      .connectTimeout(Duration.ofSeconds(5));

  private static ServingPeer server;

  @BeforeAll
  static void start() throws Exception {
    server = serve(0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      PeerReport report = server.stop();
      assertEquals(List.of(), report.errors(), report.transcript());
      assertEquals(pinnedVersion(), report.one("peer").path("version").asText(),
          "the installed socket.io differs from the lockfile's: run .ci/install");
    }
  }

  private static ServingPeer serve(int port) throws Exception {
    return ChildPeer.node("socketio-server.mjs")
        .serve(String.valueOf(port), String.valueOf(PING_INTERVAL), String.valueOf(PING_TIMEOUT));
  }

  private static String url(String namespace) {
    return "http://127.0.0.1:" + server.port() + namespace;
  }

  @Test
  void jsonEventsGoBothWays() {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      Mono<SocketIoEvent> echoed = session.on("echo").next().cache();
      echoed.subscribe();
      session.emit("echo", Map.of("player", "alice", "score", 3), "two").block(WAIT);
      SocketIoEvent event = echoed.block(WAIT);
      assertEquals("echo", event.name());
      assertEquals(2, event.args().size());
      assertEquals(Score.class, event.arg(0, Score.class).getClass());
      assertEquals(new Score("alice", 3), event.arg(0, Score.class));
      assertEquals("two", event.arg(1, String.class));
      assertTrue(!event.wantsAck());
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void typedEventsBindTheFirstArgument() {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      Mono<Score> score = session.on("echo", Score.class).next().cache();
      score.subscribe();
      session.emit("echo", new Score("bob", 7)).block(WAIT);
      assertEquals(new Score("bob", 7), score.block(WAIT));
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void binaryPayloadsGoBothWays() {
    byte[] file = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    byte[] thumb = {9, 8, 7};
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      Mono<SocketIoEvent> echoed = session.on("echo").next().cache();
      echoed.subscribe();
      session.emit("echo", "upload.bin", file, Map.of("thumb", ByteBuffer.wrap(thumb))).block(WAIT);
      SocketIoEvent event = echoed.block(WAIT);
      assertEquals("upload.bin", event.arg(0, String.class));
      assertArrayEquals(file, event.arg(1, byte[].class));
      assertArrayEquals(thumb, event.arg(2, Thumb.class).thumb());
      assertEquals(2, event.attachments().size());
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void concurrentBinaryEmitsKeepTheirAttachmentsTogether() {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      int count = 100;
      Mono<List<SocketIoEvent>> echoes = session.on("echo").take(count).collectList().cache();
      echoes.subscribe();
      // From four threads at once: a frame of one packet between another's would be a
      // protocol error to the server, and a mismatch here.
      Flux.range(0, count)
          .parallel(4).runOn(Schedulers.parallel())
          .flatMap(i -> session.emit("echo", i, new byte[] {i.byteValue(), i.byteValue()},
              new byte[] {(byte) -i.intValue()}))
          .sequential().blockLast(WAIT);
      List<SocketIoEvent> events = echoes.block(WAIT);
      assertEquals(count, events.size());
      for (SocketIoEvent event : events) {
        int i = event.arg(0, Integer.class);
        assertArrayEquals(new byte[] {(byte) i, (byte) i}, event.arg(1, byte[].class));
        assertArrayEquals(new byte[] {(byte) -i}, event.arg(2, byte[].class));
      }
      assertTrue(session.isConnected());
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void theServerAcknowledgesOurEmits() throws Exception {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      JsonNode reply = session.emitWithAck("ack-me", 1, "a", Map.of("b", true)).block(WAIT);
      assertEquals(MAPPER.readTree("[1,\"a\",{\"b\":true}]"), reply);
      assertEquals(new Score("carol", 11),
          session.emitWithAck(Score.class, "ack-me", new Score("carol", 11)).block(WAIT));
      JsonNode binary = session.emitWithAck("ack-me", new byte[] {5, 6}).block(WAIT);
      assertArrayEquals(new byte[] {5, 6}, binary.get(0).binaryValue());
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void weAcknowledgeTheServersEmits() throws Exception {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      session.on("question")
          .flatMap(q -> q.ack("answer to " + q.arg(0, String.class), new byte[] {42}))
          .subscribe();
      Mono<SocketIoEvent> answered = session.on("answered").next().cache();
      answered.subscribe();
      session.emit("ask", "life").block(WAIT);
      JsonNode answer = answered.block(WAIT).args().get(0);
      assertEquals("answer to life", answer.get(0).asText());
      assertArrayEquals(new byte[] {42}, answer.get(1).binaryValue());
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void twoNamespacesShareOneConnection() throws Exception {
    SocketIoManager manager = CLIENT.manager(url(""));
    SocketIoSession main = manager.connect("/").block(WAIT);
    SocketIoSession admin = manager.connect("/admin", Map.of("token", "secret")).block(WAIT);
    try {
      assertNotNull(manager.engineId());
      assertEquals(MAPPER.readTree("[{\"nsp\":\"/admin\",\"auth\":{\"token\":\"secret\"}}]"),
          admin.emitWithAck("whoami").block(WAIT));
      assertEquals(MAPPER.readTree("[\"still here\"]"),
          main.emitWithAck("ack-me", "still here").block(WAIT));
      assertTrue(!main.id().equals(admin.id()), "each namespace has its own id");
    } finally {
      admin.disconnect().block(WAIT);
      assertTrue(main.isConnected(), "leaving one namespace keeps the connection");
      main.disconnect().block(WAIT);
    }
    StepVerifier.create(manager.states().last())
        .expectNextMatches(s -> s.phase() == ConnectionState.Phase.CLOSED)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aBadTokenIsRefusedWithTheServersMessageAndData() {
    StepVerifier.create(CLIENT.connect(url("/admin"), Map.of("token", "wrong")))
        .expectErrorSatisfies(e -> {
          SocketIoConnectException refused = (SocketIoConnectException) e;
          assertEquals("bad token", refused.getMessage());
          assertEquals("/admin", refused.namespace());
          assertEquals("token", refused.data().path("reason").asText());
          assertEquals("wrong", refused.data().path("given").asText());
        })
        .verify(WAIT);
  }

  @Test
  void aServerDisconnectIsFinalUntilTheApplicationReconnects() throws Exception {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      Mono<SocketIoState> closed = session.states()
          .filter(s -> s.phase() == SocketIoState.Phase.CLOSED).next().cache();
      closed.subscribe();
      session.emit("kick").block(WAIT);
      assertEquals("io server disconnect", closed.block(WAIT).cause().getMessage());
      Thread.sleep(PING_INTERVAL); // no reconnection of its own meanwhile
      assertEquals(SocketIoState.Phase.CLOSED, session.state().phase());
      session.reconnect().block(WAIT);
      assertEquals(MAPPER.readTree("[\"back\"]"),
          session.emitWithAck("ack-me", "back").block(WAIT));
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void aServerThatStopsPingingIsDetectedWithinPingIntervalPlusTimeout() throws Exception {
    SocketIoSession session = CLIENT.connect(url("/")).block(WAIT);
    try {
      Mono<SocketIoState> lost = session.states()
          .filter(s -> s.phase() == SocketIoState.Phase.DISCONNECTED).next().cache();
      lost.subscribe();
      session.emitWithAck("stop-pinging").block(WAIT);
      long stopped = System.nanoTime();
      SocketIoState state = lost.block(WAIT);
      long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
      assertTrue(state.cause().getMessage().contains("no ping from the server"),
          state.cause().getMessage());
      // The last ping came at most a whole interval before "stopped"; allow scheduling slack on
      // a loaded machine, still short of what waiting for a second missed ping would take.
      assertTrue(tookMillis <= PING_INTERVAL + PING_TIMEOUT + 400,
          "detected after " + tookMillis + " ms");
      session.awaitConnected().block(WAIT); // and it connects again on a fresh connection
      assertEquals(MAPPER.readTree("[1]"), session.emitWithAck("ack-me", 1).block(WAIT));
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  @Test
  void afterARestartItReconnectsReauthenticatesAndDeliversBufferedEmitsInOrder()
      throws Exception {
    ServingPeer first = serve(0);
    int port = first.port();
    ServingPeer second = null;
    SocketIoManager manager = CLIENT.manager("http://127.0.0.1:" + port);
    SocketIoSession session = manager.connect("/").block(WAIT);
    SocketIoSession admin = manager.connect("/admin", Map.of("token", "secret")).block(WAIT);
    try {
      Mono<SocketIoState> lost = session.states()
          .filter(s -> s.phase() == SocketIoState.Phase.DISCONNECTED).next().cache();
      lost.subscribe();
      String firstId = manager.engineId();
      first.close(); // killed: no goodbye
      lost.block(WAIT);
      List<Mono<Void>> emits = List.of(session.emit("record", 1).cache(),
          session.emit("record", 2).cache(), session.emit("record", 3).cache());
      emits.forEach(Mono::subscribe);
      second = serve(port);
      for (Mono<Void> emit : emits) {
        emit.block(WAIT);
      }
      assertEquals(MAPPER.readTree("[[1,2,3]]"), session.emitWithAck("records").block(WAIT));
      assertTrue(!firstId.equals(manager.engineId()), "a new Engine.IO session");
      admin.awaitConnected().block(WAIT);
      assertEquals(MAPPER.readTree("[{\"nsp\":\"/admin\",\"auth\":{\"token\":\"secret\"}}]"),
          admin.emitWithAck("whoami").block(WAIT), "/admin connected again with its auth");
    } finally {
      admin.disconnect().block(WAIT);
      session.disconnect().block(WAIT);
      first.close();
      if (second != null) {
        PeerReport report = second.stop();
        assertEquals(List.of(), report.errors(), report.transcript());
        assertEquals(2, report.all("connect").size(), report.transcript());
      }
    }
  }

  @Test
  void refusingWhileDisconnectedFailsEmitsAtOnce() throws Exception {
    ServingPeer only = serve(0);
    SocketIoSession session = CLIENT.refuseWhileDisconnected()
        .connect("http://127.0.0.1:" + only.port() + "/").block(WAIT);
    try {
      Mono<SocketIoState> lost = session.states()
          .filter(s -> s.phase() == SocketIoState.Phase.DISCONNECTED).next().cache();
      lost.subscribe();
      only.close();
      lost.block(WAIT);
      StepVerifier.create(session.emit("record", 1))
          .expectErrorSatisfies(e -> assertTrue(e.getMessage().contains("refuses emits"),
              e.getMessage()))
          .verify(WAIT);
    } finally {
      session.disconnect().block(WAIT);
    }
  }

  private static String pinnedVersion() throws Exception {
    return MAPPER.readTree(ChildPeer.peersDir().resolve("package-lock.json").toFile())
        .path("packages").path("node_modules/socket.io").path("version").asText();
  }

  record Score(String player, int score) {}

  record Thumb(byte[] thumb) {}
}
