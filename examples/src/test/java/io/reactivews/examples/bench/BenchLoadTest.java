package io.reactivews.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.message.Message;
import io.reactivews.examples.Args;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Each load mode, briefly, against our bench server on loopback: every echo is checked. */
class BenchLoadTest {

  private static BoundServer server;
  private static BoundServer corrupting;
  private static BoundServer delaying;
  private static String base;

  @BeforeAll
  static void start() {
    server = BenchServer.start("127.0.0.1", 0);
    base = "ws://127.0.0.1:" + server.port();
    // Flips one bit of every echo: the load generator must notice.
    corrupting = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.exact("/echo", session -> session.send(session.receive().map(m -> {
          byte[] bytes = m.bytes();
          bytes[bytes.length - 1] ^= 1;
          return Message.binary(bytes);
        }))))
        .bindNow();
    // Fans each published message out 100 ms after it came, in order.
    Sinks.Many<Message> published = Sinks.many().multicast().directBestEffort();
    Broadcast late = Broadcast.of(published.asFlux()
        .flatMapSequential(m -> Mono.just(m).delayElement(Duration.ofMillis(100)), 256));
    delaying = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.exact("/publish", session -> session.receive()
            .doOnNext(m -> published.emitNext(m,
                Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))))
            .then()))
        .route(Route.exact("/broadcast", session ->
            late.subscribe(session, OverflowPolicy.dropOldest(4096)).onEnd()))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
    corrupting.shutdown(Duration.ofSeconds(5)).block();
    delaying.shutdown(Duration.ofSeconds(5)).block();
  }

  private static Args args(String... argv) {
    return Args.parse(argv);
  }

  @Test
  void echoChecksEveryBinaryMessageAndReadsTheServersCpu() throws Exception {
    Report report = EchoLoad.run(args("--url", base + "/echo", "--stats", base + "/stats",
        "--connections", "2", "--inflight", "4", "--size", "300", "--warmup", "0.2",
        "--duration", "0.5"));
    assertTrue(report.get("msgs_s") > 0, "no message echoed");
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("lost"));
    assertTrue(report.get("cpu_us_msg") > 0, "no CPU time read");
  }

  @Test
  void echoOfLargeTextMessagesMatches() throws Exception {
    Report report = EchoLoad.run(args("--url", base + "/echo", "--type", "text",
        "--connections", "1", "--inflight", "2", "--size", "200000", "--warmup", "0.1",
        "--duration", "0.3"));
    assertTrue(report.get("msgs_s") > 0, "no message echoed");
    assertEquals(0, report.get("mismatches"));
  }

  @Test
  void echoCountsEveryEchoThatDiffersFromWhatWasSent() throws Exception {
    Report report = EchoLoad.run(args("--url", "ws://127.0.0.1:" + corrupting.port() + "/echo",
        "--connections", "1", "--inflight", "1", "--size", "64", "--warmup", "0",
        "--duration", "0.3"));
    assertTrue(report.get("msgs_s") > 0, "no message echoed");
    assertTrue(report.get("mismatches") >= report.get("msgs_s") * 0.3 * 0.9,
        "mismatches " + report.get("mismatches"));
  }

  @Test
  void latencyTimesEachEchoAtTheGivenRate() throws Exception {
    Report report = LatencyLoad.run(args("--url", base + "/echo", "--rate", "1000",
        "--connections", "2", "--warmup", "0.1", "--duration", "0.5"));
    assertTrue(report.get("samples") >= 400, "samples " + report.get("samples"));
    assertTrue(report.get("p50_us") <= report.get("p99_us"));
    assertTrue(report.get("p99_us") <= report.get("max_us"));
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("lost"));
  }

  @Test
  void idleOpensAndHoldsConnectionsAndReadsTheHeap() throws Exception {
    Report report = IdleLoad.run(args("--url", base + "/echo", "--stats", base + "/stats",
        "--connections", "50", "--hold", "0.2", "--prime", "10"));
    assertEquals(50, report.get("connections"));
    assertTrue(Double.isFinite(report.get("heap_B_conn")));
    assertTrue(Double.isFinite(report.get("native_B_conn")), "no resident memory read");
    assertEquals(report.get("heap_B_conn") + report.get("native_B_conn"),
        report.get("total_B_conn"), 1e-6);
  }

  @Test
  void textEchoSendsValidUtf8AndChecksEveryEcho() throws Exception {
    Report report = EchoLoad.run(args("--url", base + "/echo", "--text", "--connections", "2",
        "--inflight", "4", "--size", "5000", "--warmup", "0.1", "--duration", "0.4"));
    assertTrue(report.get("msgs_s") > 0, "no message echoed");
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("lost"));
    assertTrue(report.get("load_cpu_pct") > 0, "the load generator's own CPU not read");
  }

  @Test
  void aTextEchoThatComesBackChangedIsAMismatch() throws Exception {
    Report report = EchoLoad.run(args("--url", "ws://127.0.0.1:" + corrupting.port() + "/echo",
        "--text", "--connections", "1", "--inflight", "1", "--size", "100", "--warmup", "0",
        "--duration", "0.3"));
    assertTrue(report.get("msgs_s") > 0, "no message echoed");
    assertTrue(report.get("mismatches") >= report.get("msgs_s") * 0.3 * 0.9,
        "mismatches " + report.get("mismatches"));
  }

  @Test
  void broadcastAtAFixedRateTimesEveryDeliveryFromTheTimeItWasDue() throws Exception {
    // Each message waits 100 ms in the server before it fans out: the lag must show it.
    Report report = BroadcastLoad.run(args("--url", "ws://127.0.0.1:" + delaying.port()
        + "/broadcast", "--publish", "ws://127.0.0.1:" + delaying.port() + "/publish",
        "--subscribers", "4", "--rate", "100", "--warmup", "0.2", "--duration", "0.6"));
    assertTrue(report.get("deliveries_s") > 0, "nothing delivered");
    assertTrue(report.get("lag_p50_us") >= 100_000, "lag p50 " + report.get("lag_p50_us"));
    assertTrue(report.get("lag_p50_us") <= report.get("lag_p99_us"));
    assertTrue(report.get("lag_p99_us") <= report.get("lag_p999_us"));
    assertEquals(0, report.get("dropped"));
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("lost"), "deliveries never made");
  }

  @Test
  void stalledSubscribersCountInNoFigureAndDoNotStopTheOthers() throws Exception {
    // Big messages, so the stalled subscribers' buffers fill and the server drops for them.
    Report report = BroadcastLoad.run(args("--url", base + "/broadcast",
        "--publish", base + "/publish", "--subscribers", "3", "--stalled", "2",
        "--size", "20000", "--rate", "200", "--warmup", "0.2", "--duration", "0.6",
        "--stats", base + "/stats"));
    assertTrue(report.get("deliveries_s") > 0, "nothing delivered");
    assertEquals(report.get("deliveries_s") / 3, report.get("msgs_s"), 1e-6);
    assertEquals(2, report.get("stalled"));
    assertEquals(0, report.get("dropped"), "a counted subscriber lost messages");
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("lost"));
    assertTrue(report.get("cpu_us_delivery") > 0, "no CPU time read");
  }

  @Test
  void broadcastReachesEverySubscriberInOrder() throws Exception {
    Report report = BroadcastLoad.run(args("--url", base + "/broadcast",
        "--publish", base + "/publish", "--subscribers", "5", "--inflight", "8",
        "--warmup", "0.2", "--duration", "0.5"));
    assertTrue(report.get("deliveries_s") > 0, "nothing delivered");
    assertEquals(report.get("deliveries_s") / 5, report.get("msgs_s"), 1e-6);
    assertEquals(0, report.get("dropped"));
    assertEquals(0, report.get("mismatches"));
    assertTrue(report.get("lag_p50_us") > 0);
  }

  /**
   * A broadcast of 2 KiB of JSON to 5 viewers offering permessage-deflate, paced by {@code
   * pacing}, checked as every compressed one must be: all came compressed, nothing mismatched or
   * dropped.
   */
  private static Report compressedBroadcast(String at, String... pacing) throws Exception {
    List<String> argv = new ArrayList<>(List.of("--url", at + "/broadcast",
        "--publish", at + "/publish", "--subscribers", "5", "--size", "2048", "--json=true",
        "--deflate=true", "--stats", at + "/stats", "--warmup", "0.3", "--duration", "0.5"));
    argv.addAll(List.of(pacing));
    Report report = BroadcastLoad.run(args(argv.toArray(String[]::new)));
    assertTrue(report.get("deliveries_s") > 0, "nothing delivered");
    assertEquals(1.0, report.get("compressed_share"), "every delivery came compressed");
    assertEquals(0, report.get("mismatches"));
    assertEquals(0, report.get("dropped"));
    return report;
  }

  @Test
  void aCompressedBroadcastIsCompressedOncePerMessageAndCheckedWhenInflated() throws Exception {
    Report report = compressedBroadcast(base, "--inflight", "8");
    // Read from the counters answer, which does not stop the server for a collection.
    assertEquals(1.0, report.get("deflate_runs_msg"), 0.3, "one compression per message");
  }

  /**
   * A server that keeps context, as most do when a browser leaves it to them: each viewer's
   * frames depend on what that viewer was sent before, so the load generator inflates each
   * viewer's stream with an inflater of its own, in order. Shared, the deliveries would not
   * inflate to the message.
   */
  @Test
  void aBroadcastCompressedWithContextIsInflatedPerViewerAndChecked() throws Exception {
    BoundServer keeping = BenchServer.start("127.0.0.1", 0,
        DeflateOptions.defaults().contextTakeover(true));
    try {
      Report report = compressedBroadcast("ws://127.0.0.1:" + keeping.port(), "--rate", "40");
      assertEquals(5.0, report.get("deflate_runs_msg"), 1.0, "each viewer compressed for itself");
      assertEquals(0, report.get("lost"));
    } finally {
      keeping.shutdown(Duration.ofSeconds(5)).block();
    }
  }
}
