package io.reactivews.examples.socketio;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import io.reactivews.client.socketio.SocketIoClient;
import io.reactivews.client.socketio.SocketIoConnectException;
import io.reactivews.client.socketio.SocketIoSession;
import io.reactivews.examples.Args;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A game server's match flow reported to a Socket.IO backend: for each simulated match it emits
 * {@code match:start}, one {@code match:event} per kill and {@code match:end} with the replay as
 * a binary attachment, each with an acknowledgement, and prints what the backend answered. The
 * backend ships with the examples ({@code examples/socketio-backend}).
 *
 * <pre>
 * node examples/socketio-backend/server.mjs --port 3000 &amp;
 * java -jar reactive-ws-examples.jar socketio --url http://127.0.0.1:3000/matches
 * </pre>
 *
 * <p>Emits go out one at a time, each after the previous one's ack, so the backend sees a match
 * in order. If the backend restarts mid-run the client reconnects with backoff, re-authenticates,
 * and the waiting emit goes out once it is back. Exits 0 once every match was acknowledged, 1 when
 * the backend refused the token, stopped answering or rejected a report, 2 on bad arguments.
 */
public final class MatchReporter {

  static final String USAGE = """
      usage: socketio [options]
      Plays simulated matches and reports each to a Socket.IO match backend, printing its acks.

        --url URL        the backend's namespace (default http://127.0.0.1:3000/matches)
        --token TOKEN    the token the backend expects (default demo-token)
        --name NAME      this game server's name (default game-1)
        --matches N      matches to play (default 2)
        --kills N        kills per match (default 6)
        --pace MS        pause between kills in milliseconds (default 200)
        --seed N         seed of the simulation (default 1)
        --help           this text""";

  /** Long enough to ride out a backend restart, short enough to give up on a dead one. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  // The backend may add fields to its answers; the reporter reads the ones it knows.

  /** The backend's answer to {@code match:start} and {@code match:event}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Ack(boolean accepted, Integer seq, String error) {}

  /** The backend's answer to {@code match:end}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record EndAck(boolean accepted, int events, Map<String, Integer> scores, int replayBytes,
      String replaySha256, String error) {}

  /** A line of the leaderboard the backend pushes after each match. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Standing(String player, int won) {}

  private final PrintStream out;
  private final Args args;

  private MatchReporter(PrintStream out, Args args) {
    this.out = out;
    this.args = args;
  }

  public static void main(String[] argv) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(argv, out, err));
  }

  /** Runs the reporter and returns the exit code; tests call it in process. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    MatchReporter reporter;
    try {
      Args args = Args.parse(argv);
      if (args.has("help")) {
        out.println(USAGE);
        return 0;
      }
      reporter = new MatchReporter(out, args);
      reporter.validate();
    } catch (IllegalArgumentException e) {
      err.println("socketio: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    try {
      reporter.report();
      return 0;
    } catch (RuntimeException e) {
      err.println("socketio: " + describe(e));
      return 1;
    }
  }

  private void validate() {
    if (matches() < 1 || kills() < 1 || pace() < 0) {
      throw new IllegalArgumentException("--matches and --kills take at least 1, --pace 0");
    }
  }

  private String url() {
    return args.get("url", "http://127.0.0.1:3000/matches");
  }

  private int matches() {
    return args.getInt("matches", 2);
  }

  private int kills() {
    return args.getInt("kills", 6);
  }

  private int pace() {
    return args.getInt("pace", 200);
  }

  private void report() {
    String name = args.get("name", "game-1");
    SocketIoClient client = SocketIoClient.create().ackTimeout(ACK_TIMEOUT)
        .connectTimeout(Duration.ofSeconds(10));
    SocketIoSession session = client
        .connect(url(), Map.of("token", args.get("token", "demo-token"), "server", name))
        .block();
    out.println("connected to " + url() + " as " + name);
    Disposable states = session.states().skip(1)
        .subscribe(state -> out.println("  (connection " + state + ")"));
    // Subscribed before the first emit: the backend pushes a leaderboard after each match.
    Flux<List<Standing>> boards = session.on("leaderboard", new TypeReference<List<Standing>>() {})
        .doOnNext(board -> out.println("leaderboard: " + board.stream()
            .map(s -> s.player() + " " + s.won()).collect(Collectors.joining(", "))))
        .replay().autoConnect(0);
    long seed = args.getInt("seed", 1);
    try {
      Flux.range(1, matches())
          .concatMap(i -> play(session, new SimulatedMatch(name + "-m" + i, seed * 1000 + i)))
          .then(boards.take(matches()).then().timeout(Duration.ofSeconds(5), Mono.empty()))
          .block();
      out.println("done: " + matches() + (matches() == 1 ? " match" : " matches")
          + " reported and acknowledged");
    } finally {
      states.dispose();
      session.disconnect().block(Duration.ofSeconds(5));
    }
  }

  private Mono<Void> play(SocketIoSession session, SimulatedMatch match) {
    SimulatedMatch.Start start = match.start();
    Mono<Void> started = session.emitWithAck(Ack.class, "match:start", start)
        .map(ack -> accepted(ack.accepted(), ack.error()))
        .doOnNext(ok -> out.println("match " + start.matchId() + " on " + start.map() + ": "
            + String.join(", ", start.players()) + " (accepted)"))
        .then();
    Flux<Void> kills = Flux.range(1, kills())
        .delayUntil(i -> Mono.delay(Duration.ofMillis(pace())))
        .concatMap(i -> {
          SimulatedMatch.Kill kill = match.nextKill();
          return session.emitWithAck(Ack.class, "match:event", kill)
              .doOnNext(ack -> {
                accepted(ack.accepted(), ack.error());
                out.println("  " + kill.killer() + " [" + kill.weapon() + "] " + kill.victim()
                    + "   ack #" + ack.seq());
              })
              .then();
        });
    Mono<Void> ended = Mono.defer(() -> {
      SimulatedMatch.End end = match.end();
      byte[] replay = match.replay();
      return session.emitWithAck(EndAck.class, "match:end", end, replay)
          .doOnNext(ack -> {
            accepted(ack.accepted(), ack.error());
            if (!sha256(replay).equals(ack.replaySha256())) {
              throw new IllegalStateException("the backend's replay digest differs from ours");
            }
            out.println("match " + end.matchId() + " won by " + end.winner() + ": backend counted "
                + ack.events() + " events, scores " + ack.scores() + ", replay "
                + ack.replayBytes() + " bytes, sha256 verified");
          })
          .then();
    });
    return started.thenMany(kills).then(ended);
  }

  private static boolean accepted(boolean accepted, String error) {
    if (!accepted) {
      throw new IllegalStateException("the backend rejected a report: " + error);
    }
    return true;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof SocketIoConnectException)) {
      cause = cause.getCause();
    }
    if (cause instanceof SocketIoConnectException refused) {
      return "the backend refused to connect " + refused.namespace() + ": "
          + refused.getMessage() + (refused.data() == null ? "" : " " + refused.data());
    }
    return String.valueOf(cause.getMessage());
  }
}
