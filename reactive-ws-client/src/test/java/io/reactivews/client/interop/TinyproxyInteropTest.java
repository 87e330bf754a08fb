package io.reactivews.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.client.ClientProxy;
import io.reactivews.client.WebSocketClient;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.EchoPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * A session carried by a real HTTP proxy: Debian's tinyproxy, allowed to {@code CONNECT} to one
 * of our two echo servers only. Both listen on 127.0.0.1 like the proxy, so the server cannot
 * tell a tunnelled connection from a direct one: the proxy's log and its refusal show the
 * traffic went through it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyproxyInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private BoundServer allowed;
  private BoundServer notAllowed;
  private Tinyproxy proxy;
  private WebSocketClient client;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    allowed = echoServer();
    notAllowed = echoServer();
    proxy = Tinyproxy.start(dir, allowed.port());
    client = WebSocketClient.create()
        .proxy(ClientProxy.http("127.0.0.1", proxy.port()))
        .options(SessionOptions.defaults().maxMessageSize(2 << 20));
  }

  @AfterAll
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
      assertFalse(proxy.isRunning(), "tinyproxy still runs");
    }
    for (BoundServer server : new BoundServer[] {allowed, notAllowed}) {
      if (server != null) {
        server.shutdown(Duration.ofSeconds(5)).block(WAIT);
      }
    }
  }

  @Test
  void aSessionGoesThroughTheProxysTunnel() throws Exception {
    List<Message> sent = List.of(Message.text("through the proxy"),
        Message.text(EchoPlan.MULTI_BYTE),
        Message.binary(EchoPlan.generated("via-tinyproxy", 1 << 20)));
    WebSocketSession session = client.connect(url(allowed)).block(WAIT);
    List<Message> echoed = session.send(Flux.fromIterable(sent))
        .thenMany(session.receive().take(sent.size()))
        .collectList()
        .block(WAIT);
    session.close().block(WAIT);

    assertEquals(sent, echoed);
    assertEquals(1000, session.closeStatus().block(WAIT).code());
    String target = "127.0.0.1:" + allowed.port();
    proxy.awaitLog("CONNECT " + target + " HTTP/1.1", WAIT);
    assertTrue(proxy.log().contains("Established connection to host \"127.0.0.1\""),
        proxy.log());
  }

  @Test
  void theProxyRefusesAPortItDoesNotAllow() throws Exception {
    // Reachable directly, so only a client that really asks the proxy can fail here.
    WebSocketClient direct = WebSocketClient.create();
    direct.connect(url(notAllowed)).flatMap(WebSocketSession::close).block(WAIT);

    Exception refused =
        assertThrows(Exception.class, () -> client.connect(url(notAllowed)).block(WAIT));
    assertTrue(causes(refused).contains("403"), "the proxy's answer: " + causes(refused));
    proxy.awaitLog("CONNECT 127.0.0.1:" + notAllowed.port() + " HTTP/1.1", WAIT);
  }

  /** The messages of {@code e} and its causes, since the client wraps the proxy's answer. */
  private static String causes(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  private static BoundServer echoServer() {
    return WebSocketServer.create().host("127.0.0.1").port(0)
        .options(SessionOptions.defaults().maxMessageSize(2 << 20))
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
  }

  private static String url(BoundServer server) {
    return "ws://127.0.0.1:" + server.port() + "/echo";
  }
}
