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
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
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
 */
public final class StatsServer implements AutoCloseable {

  static final Duration GRACE = Duration.ofSeconds(30);

  private final JsonCodec json = JsonCodec.create();
  private final MatchSimulator match;
  private final Broadcast scoreboards;
  private final Broadcast feed;
  private final BoundServer server;

  private StatsServer(
      String host, int port, Duration period, long seed, PrometheusMetrics metrics) {
    match = new MatchSimulator(seed);
    Flux<MatchEvent> events = match.events(period, Schedulers.parallel()).share();
    feed = metrics.apply(Broadcast.of(events.map(this::feedLine)), "feed");
    scoreboards = metrics.apply(
        Broadcast.of(events.map(e -> board(match.scoreboard()))), "scoreboard");
    StaticPage page = StaticPage.resource("/io/reactivews/examples/stats/stats.html",
        "text/html; charset=utf-8");
    server = metrics.apply(WebSocketServer.create().host(host).port(port)
        .route(Route.exact("/", this::viewer).page(page))
        .route("/stats", this::viewer))
        .bindNow();
  }

  /** Starts the match and the server; events arrive every {@code period}. */
  public static StatsServer start(String host, int port, Duration period, long seed) {
    return start(host, port, period, seed, PrometheusMetrics.off());
  }

  /** As {@link #start(String, int, Duration, long)}, with meters if {@code metrics} is on. */
  public static StatsServer start(
      String host, int port, Duration period, long seed, PrometheusMetrics metrics) {
    return new StatsServer(host, port, period, seed, metrics);
  }

  public int port() {
    return server.port();
  }

  public BoundServer server() {
    return server;
  }

  private Publisher<Void> viewer(WebSocketSession session) {
    session.tryEmit(board(match.scoreboard()));
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
    server.shutdown(Duration.ofSeconds(2)).block();
    scoreboards.dispose();
    feed.dispose();
  }

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv,
        "usage: stats [--host 127.0.0.1] [--port 8081] [--period-ms 300] [--metrics]\n"
        + "Live game statistics: open the printed address in a browser.\n"
        + PrometheusMetrics.USAGE, 8081,
        (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          StatsServer stats = start(host, port,
              Duration.ofMillis(args.getInt("period-ms", 300)), System.nanoTime(), metrics);
          return new ServerProgram.Running("live match on http://" + host + ":" + stats.port()
              + "/" + metrics.banner(host, stats.port()), stats::close);
        });
  }
}
