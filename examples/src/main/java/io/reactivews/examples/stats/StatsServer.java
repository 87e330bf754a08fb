package io.reactivews.examples.stats;

import io.reactivews.core.json.JsonCodec;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.examples.ServerProgram;
import io.reactivews.examples.stats.MatchSimulator.Kill;
import io.reactivews.examples.stats.MatchSimulator.MatchEvent;
import io.reactivews.examples.stats.MatchSimulator.RoundEnd;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.StaticPage;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.LocalBus;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.server.cluster.redis.RedisBus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Live match statistics for browsers, as a game server pushes them: a simulated stream of match
 * events becomes two broadcasts, each with the overflow policy its data deserves.
 *
 * <ul>
 *   <li>the scoreboard is state: a slow viewer gets the <b>latest</b> board, never a backlog;
 *   <li>the kill feed is a log: each viewer keeps the newest 64 lines, dropping the oldest.
 * </ul>
 *
 * A viewer whose connection takes nothing for {@link #GRACE} while updates wait for it (a tab
 * that stopped reading, a phone gone off the network) is closed with 1008 "slow consumer": a
 * slow phone keeps getting the latest board, a dead one stops costing the server.
 *
 * A new viewer first gets the current board, then live updates. Open {@code http://host:port/}.
 *
 * <p>Both travel on cluster topics, so with {@code --redis} every node's viewers watch the same
 * match: one node runs it, the others ({@code --match false}) serve its viewers. Topics go over
 * Redis pub/sub: a board is the whole state, so a node cut off for a while catches up with the
 * next one, and the feed is a log where the newest lines matter most.
 */
public final class StatsServer implements AutoCloseable {

  static final String FEED = "stats.feed";
  static final String BOARD = "stats.board";
  static final Duration GRACE = Duration.ofSeconds(30);

  private final JsonCodec json = JsonCodec.create();
  private final ClusterBus bus;
  private final MatchSimulator match;
  private final AtomicReference<Message> latestBoard = new AtomicReference<>();
  private final Broadcast scoreboards;
  private final Broadcast feed;
  private final Disposable playing;
  private final BoundServer server;

  private StatsServer(String host, int port, Duration period, long seed,
      PrometheusMetrics metrics, ClusterBus bus, boolean runMatch) {
    this.bus = bus;
    match = new MatchSimulator(seed);
    // Gaps are skipped: the next board is the whole state again.
    feed = metrics.apply(Broadcast.of(
        bus.subscribe(FEED).filter(m -> !m.isGap()).map(TopicMessage::message)), "feed");
    scoreboards = metrics.apply(Broadcast.of(bus.subscribe(BOARD).filter(m -> !m.isGap())
        .map(TopicMessage::message).doOnNext(latestBoard::set)), "scoreboard");
    if (runMatch) {
      latestBoard.set(board(match.scoreboard()));
      playing = match.events(period, Schedulers.parallel())
          .onBackpressureDrop() // ticks that come while Redis is slow are skipped, not queued
          .concatMap(e -> bus.publish(FEED, feedLine(e))
              .then(bus.publish(BOARD, board(match.scoreboard()))))
          .subscribe();
    } else {
      playing = Disposables.disposed();
    }
    StaticPage page = StaticPage.resource("/io/reactivews/examples/stats/stats.html",
        "text/html; charset=utf-8");
    server = metrics.apply(WebSocketServer.create().host(host).port(port)
        .route(Route.exact("/", this::viewer).page(page))
        .route("/stats", this::viewer)
        .cluster(bus))
        .bindNow();
  }

  /** Starts the match and the server; events arrive every {@code period}. */
  public static StatsServer start(String host, int port, Duration period, long seed) {
    return start(host, port, period, seed, PrometheusMetrics.off());
  }

  /** As {@link #start(String, int, Duration, long)}, with meters if {@code metrics} is on. */
  public static StatsServer start(
      String host, int port, Duration period, long seed, PrometheusMetrics metrics) {
    return new StatsServer(host, port, period, seed, metrics, new LocalBus(), true);
  }

  /**
   * Starts a node of a cluster that {@code bus} reaches; it runs the match if {@code runMatch},
   * else it serves the match another node runs. The caller disposes the bus after {@link
   * #close()}.
   */
  public static StatsServer start(String host, int port, Duration period, long seed,
      ClusterBus bus, boolean runMatch) {
    return new StatsServer(host, port, period, seed, PrometheusMetrics.off(), bus, runMatch);
  }

  public int port() {
    return server.port();
  }

  public BoundServer server() {
    return server;
  }

  private Publisher<Void> viewer(WebSocketSession session) {
    Message board = latestBoard.get();
    if (board != null) {
      session.tryEmit(board);
    }
    return Mono.when(
        scoreboards.subscribe(session, OverflowPolicy.latest().grace(GRACE)).onEnd(),
        feed.subscribe(session, OverflowPolicy.dropOldest(64).grace(GRACE)).onEnd());
  }

  private Message board(Scoreboard board) {
    return json.event("scoreboard", board);
  }

  private Message feedLine(MatchEvent event) {
    if (event instanceof Kill kill) {
      return json.event("kill", kill);
    }
    return json.event("round_end", (RoundEnd) event);
  }

  @Override
  public void close() {
    playing.dispose();
    server.shutdown(Duration.ofSeconds(2)).block();
    scoreboards.dispose();
    feed.dispose();
  }

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv, "usage: stats [--host 127.0.0.1] [--port 8081] [--period-ms 300]"
        + " [--metrics] [--redis URI [--match false]]\n"
        + "Live game statistics: open the printed address in a browser.\n"
        + "--redis redis://HOST:PORT shows one match on every stats node on that Redis;\n"
        + "run the match on one node and start the others with --match false.\n"
        + PrometheusMetrics.USAGE, 8081,
        (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          String redis = args.get("redis", null);
          ClusterBus bus = redis == null ? new LocalBus() : RedisBus.spec(redis).connect();
          StatsServer stats = new StatsServer(host, port,
              Duration.ofMillis(args.getInt("period-ms", 300)), System.nanoTime(), metrics, bus,
              !"false".equals(args.get("match", "true")));
          return new ServerProgram.Running("live match on http://" + host + ":" + stats.port()
              + "/" + metrics.banner(host, stats.port()), () -> {
                stats.close();
                bus.dispose();
              });
        });
  }
}
