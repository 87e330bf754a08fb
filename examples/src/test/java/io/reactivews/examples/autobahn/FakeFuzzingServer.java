package io.reactivews.examples.autobahn;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stand-in for an Autobahn|Testsuite fuzzing server, on our own server: the same three routes,
 * with cases that are lists of messages to send. A case whose client echoes everything back,
 * type and bytes, then closes with 1000 is recorded as passed; every close code is recorded.
 */
final class FakeFuzzingServer implements AutoCloseable {

  /** What happened on one route, in arrival order: "count", "case N by AGENT", "update AGENT". */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Case number to whether the echoes matched what was sent. */
  final Map<Integer, Boolean> echoed = new ConcurrentHashMap<>();
  /** Case number to the close status the server saw. */
  final Map<Integer, CloseStatus> closes = new ConcurrentHashMap<>();

  private final List<List<Message>> cases;
  private final BoundServer server;

  FakeFuzzingServer(List<List<Message>> cases) {
    this.cases = cases;
    this.server = WebSocketServer.create().host("127.0.0.1").port(0)
        .options(SessionOptions.defaults().maxMessageSize(AutobahnClient.MAX_MESSAGE_SIZE))
        .route(Route.exact("/getCaseCount", this::caseCount))
        .route(Route.exact("/runCase", this::runCase))
        .route(Route.exact("/updateReports", this::updateReports))
        .bindNow();
  }

  String url() {
    return "ws://127.0.0.1:" + server.port();
  }

  private Publisher<Void> caseCount(WebSocketSession session) {
    requests.add("count");
    return session.send(Mono.just(Message.text(String.valueOf(cases.size()))));
  }

  /** Sends the case's messages, then reads as many back and compares them. */
  private Publisher<Void> runCase(WebSocketSession session) {
    int n = Integer.parseInt(session.handshake().queryParameter("case"));
    requests.add("case " + n + " by " + session.handshake().queryParameter("agent"));
    session.closeStatus().subscribe(status -> closes.put(n, status));
    List<Message> sent = cases.get(n - 1);
    return session.send(Flux.fromIterable(sent))
        .then(session.receive().take(sent.size()).collectList())
        .doOnNext(back -> echoed.put(n, back.equals(sent)))
        .then();
  }

  private Publisher<Void> updateReports(WebSocketSession session) {
    requests.add("update " + session.handshake().queryParameter("agent"));
    return Mono.empty();
  }

  @Override
  public void close() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }
}
