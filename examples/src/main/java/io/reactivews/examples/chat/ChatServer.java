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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A chat server that serves its own page: open {@code http://host:port/} in two browser tabs,
 * pick names, talk. Everything goes over one WebSocket per tab on the same port.
 *
 * <p>The protocol is typed JSON events ({@code {"type":"say","text":"hi"}}), routed with {@link
 * EventRouter}:
 *
 * <pre>
 * browser -> server   join {name}          say {text}
 * server -> browsers  welcome {name, members}   joined {name, count}
 *                     said {name, text, at}     left {name, count}     error {message}
 * </pre>
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

  record Problem(String message) {}

  /** How fast one member may talk; past it, their reads slow down. */
  static final RateLimit LIMIT = RateLimit.of(20, 32 << 10).burst(40, 64 << 10);

  private final JsonCodec json = JsonCodec.create();
  private final ChatRoom room = new ChatRoom();

  private ChatServer() {}

  /** Starts a chat server; the caller stops it. */
  public static BoundServer start(String host, int port) {
    return start(host, port, PrometheusMetrics.off());
  }

  /** Starts a chat server, with meters if {@code metrics} is on; the caller stops it. */
  public static BoundServer start(String host, int port, PrometheusMetrics metrics) {
    ChatServer chat = new ChatServer();
    StaticPage page = StaticPage.resource("/io/reactivews/examples/chat/chat.html",
        "text/html; charset=utf-8");
    return metrics.apply(WebSocketServer.create().host(host).port(port)
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
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return Mono.just(json.event("error",
          new Problem("pick a name of 1 to " + MAX_NAME + " characters")));
    }
    if (room.nameOf(session) != null) {
      return Mono.just(json.event("error", new Problem("you have already joined")));
    }
    List<String> members =
        room.join(session, name, count -> json.event("joined", new Joined(name, count)));
    return Mono.just(json.event("welcome", new Welcome(name, members)));
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

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv, "usage: chat [--host 127.0.0.1] [--port 8080] [--metrics]\n"
        + "A chat server; open the printed address in two browser tabs.\n"
        + PrometheusMetrics.USAGE, 8080,
        (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          BoundServer server = start(host, port, metrics);
          return new ServerProgram.Running("chat server running: open http://" + host + ":"
              + server.port() + "/ in two browser tabs" + metrics.banner(host, server.port()),
              () -> server.shutdown(Duration.ofSeconds(2)).block());
        });
  }
}
