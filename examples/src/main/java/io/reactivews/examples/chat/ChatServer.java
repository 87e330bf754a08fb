package io.reactivews.examples.chat;

import io.reactivews.core.json.EventRouter;
import io.reactivews.core.json.JsonCodec;
import io.reactivews.core.limit.RateLimit;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.examples.ServerProgram;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.StaticPage;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.LocalBus;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.server.cluster.redis.RedisBus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A chat server that serves its own page: open {@code http://host:port/} in two browser tabs,
 * pick names, talk. Everything goes over one WebSocket per tab on the same port. Started with
 * {@code --redis redis://host:port}, every chat server on that Redis is the same room.
 *
 * <p>The protocol is typed JSON events ({@code {"type":"say","text":"hi"}}), routed with {@link
 * EventRouter}:
 *
 * <pre>
 * browser -> server   join {name}          say {text}
 * server -> browsers  welcome {name, members}   joined {name, count}
 *                     said {name, text, at}     left {name, count}     error {message}
 *                     missed {message}
 * </pre>
 *
 * <p>Room events travel on a cluster topic; with Redis Streams each carries an {@code offset}.
 * A page that reconnects asks for what it missed with {@code /chat?since=OFFSET} and gets it,
 * once each, or {@code missed} when it was away too long, so it can say so.
 *
 * <p>Fairness: each member may send {@link #LIMIT} (20 lines and 32 KiB a second, bursts of 40
 * lines or 64 KiB); past it their socket is read more slowly, so a flooder slows itself and not
 * the room. A member who stops reading is disconnected once their connection has taken nothing
 * for five seconds (see {@link ChatRoom}).
 */
public final class ChatServer {

  static final int MAX_NAME = 32;
  static final int MAX_TEXT = 1000;

  record Join(String name) {}

  record Say(String text) {}

  record Welcome(String name, List<String> members) {}

  record Joined(String name, int count) {}

  record Said(String name, String text, String at) {}

  record Left(String name, int count) {}

  record Missed(String message) {}

  record Problem(String message) {}

  /** How fast one member may talk; past it, their reads slow down. */
  static final RateLimit LIMIT = RateLimit.of(20, 32 << 10).burst(40, 64 << 10);

  /** How long a server started with Redis waits for it before saying where it stands. */
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(5);

  private final JsonCodec json = JsonCodec.create();
  private final ChatRoom room;

  private ChatServer(ClusterBus bus) {
    this.room = new ChatRoom(bus, this::render);
  }

  /** Starts a chat server of its own; the caller stops it. */
  public static BoundServer start(String host, int port) {
    return start(host, port, PrometheusMetrics.off());
  }

  /** Starts a chat server, with meters if {@code metrics} is on; the caller stops it. */
  public static BoundServer start(String host, int port, PrometheusMetrics metrics) {
    return start(host, port, metrics, new LocalBus());
  }

  /** Starts a chat server in the room that {@code bus} reaches; the caller stops both. */
  public static BoundServer start(String host, int port, ClusterBus bus) {
    return start(host, port, PrometheusMetrics.off(), bus);
  }

  /** Starts a chat server in the room that {@code bus} reaches, with meters if on. */
  public static BoundServer start(String host, int port, PrometheusMetrics metrics,
      ClusterBus bus) {
    ChatServer chat = new ChatServer(bus);
    StaticPage page = StaticPage.resource("/io/reactivews/examples/chat/chat.html",
        "text/html; charset=utf-8");
    return metrics.apply(WebSocketServer.create().host(host).port(port)
        .cluster(bus)
        .options(SessionOptions.defaults().maxMessageSize(16 * 1024))
        .route(Route.exact("/", chat::handle).page(page).rateLimit(LIMIT))
        .route(Route.exact("/chat", chat::handle).rateLimit(LIMIT)))
        .bindNow();
  }

  private Publisher<Void> handle(WebSocketSession session) {
    EventRouter router = EventRouter.create(json)
        .on("join", Join.class, join -> join(session, join))
        .on("say", Say.class, say -> say(session, say));
    return session.send(session.receive().transform(router))
        .doFinally(signal -> {
          room.leave(session, (name, count) -> json.event("left", new Left(name, count)));
        });
  }

  private Mono<Message> join(WebSocketSession session, Join join) {
    String name = join.name() == null ? "" : join.name().strip();
    if (name.isEmpty() || name.length() > MAX_NAME || name.contains("#")) {
      return Mono.just(json.event("error",
          new Problem("pick a name of 1 to " + MAX_NAME + " characters, without #")));
    }
    if (room.nameOf(session) != null) {
      return Mono.just(json.event("error", new Problem("you have already joined")));
    }
    String since = session.handshake().queryParameter("since");
    return room.join(session, name, since, count -> json.event("joined", new Joined(name, count)))
        .map(members -> json.event("welcome", new Welcome(name, members)));
  }

  private Mono<Message> say(WebSocketSession session, Say say) {
    String name = room.nameOf(session);
    if (name == null) {
      return Mono.just(json.event("error", new Problem("join before you speak")));
    }
    String text = say.text() == null ? "" : say.text().strip();
    if (text.isEmpty()) {
      return Mono.empty();
    }
    if (text.length() > MAX_TEXT) {
      return Mono.just(json.event("error", new Problem("at most " + MAX_TEXT + " characters")));
    }
    room.broadcast(json.event("said", new Said(name, text, Instant.now().toString())));
    return Mono.empty();
  }

  /** A room event as the page gets it: with its offset when it has one, to resume from. */
  private Message render(TopicMessage m) {
    if (m.isGap()) {
      return json.event("missed", new Missed("you were away too long: some lines are missing"));
    }
    String text = m.message().text();
    if (m.offset() == null || !text.startsWith("{")) {
      return m.message();
    }
    return Message.text("{\"offset\":\"" + m.offset() + "\"," + text.substring(1));
  }

  /**
   * With Redis, what the banner says about the room: waits a few seconds for the bus to reach
   * Redis, so that a server said to share the room does share it, and says so when it does not.
   */
  private static String clusterNote(ClusterBus bus, String redis) {
    if (redis == null) {
      return "";
    }
    boolean up = Boolean.TRUE.equals(bus.events()
        .any(event -> event instanceof ClusterEvent.Up)
        .timeout(CLUSTER_WAIT, Mono.just(false))
        .block());
    return up ? " (one room with every chat on " + redis + ")"
        : " (" + redis + " not reachable yet: this server's room alone until it is)";
  }

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv, "usage: chat [--host 127.0.0.1] [--port 8080] [--metrics]"
        + " [--redis URI]\n"
        + "A chat server; open the printed address in two browser tabs.\n"
        + "--redis redis://HOST:PORT joins every chat server on that Redis into one room.\n"
        + PrometheusMetrics.USAGE, 8080,
        (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          String redis = args.get("redis", null);
          ClusterBus bus = redis == null ? new LocalBus()
              : RedisBus.spec(redis).streams(1000, Duration.ofMinutes(10)).connect();
          BoundServer server = start(host, port, metrics, bus);
          return new ServerProgram.Running("chat server running: open http://" + host + ":"
              + server.port() + "/ in two browser tabs" + clusterNote(bus, redis)
              + metrics.banner(host, server.port()),
              () -> {
                server.shutdown(Duration.ofSeconds(2)).block();
                bus.dispose();
              });
        });
  }
}
