package io.reactivews.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The {@code client} program, run in process against our own server over loopback. */
class ClientCliTest {

  private static final AtomicInteger flakyConnections = new AtomicInteger();
  private static BoundServer server;

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .route(Route.exact("/whoami", session -> session.send(session.receive().map(m ->
                Message.text("X-Player=" + session.handshake().headers().get("X-Player")
                    + " Authorization=" + session.handshake().headers().get("Authorization")
                    + " subprotocol=" + session.handshake().subprotocol()))))
            .subprotocols("v2.chat", "v1.chat"))
        .route("/sizes", session -> session.send(
            session.receive().map(m -> Message.binary(new byte[m.size()]))))
        // The first connection is closed at once, as by a restarting server; later ones echo.
        .route("/flaky", session -> flakyConnections.incrementAndGet() == 1
            ? session.close(CloseStatus.SERVICE_RESTART)
            : session.send(session.receive()))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  private static String url(String path) {
    return "ws://127.0.0.1:" + server.port() + path;
  }

  @Test
  void linesTypedComeBackAsTheServerSentThem() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start(url("/echo")).type("hello", "h\u00e9llo w\u00f6rld \ud83c\udf0d", "")
          .endInput();
      assertEquals(0, terminal.exitCode(), terminal.err().toString());
      assertEquals(List.of("hello", "h\u00e9llo w\u00f6rld \ud83c\udf0d", ""),
          terminal.out().lines());
      assertTrue(terminal.err().toString().contains("closed: 1000"), terminal.err().toString());
    }
  }

  @Test
  void headersAndSubprotocolReachTheServer() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start("--header", "X-Player: ada", "--header", "Authorization:Bearer t0k3n",
          "--subprotocol", "v1.chat", url("/whoami")).type("who am I?").endInput();
      assertEquals(0, terminal.exitCode(), terminal.err().toString());
      assertEquals(List.of("X-Player=ada Authorization=Bearer t0k3n subprotocol=v1.chat"),
          terminal.out().lines());
    }
  }

  @Test
  void binaryMessagesAreShownByTheirSize() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start(url("/sizes")).type("abc", "").endInput();
      assertEquals(0, terminal.exitCode(), terminal.err().toString());
      assertEquals(List.of("<binary 3 bytes>", "<binary 0 bytes>"), terminal.out().lines());
    }
  }

  @Test
  void reconnectsAndSendsWhatIsTypedOnceBack() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start("--reconnect", url("/flaky"));
      terminal.err().await(line -> line.startsWith("[reconnecting attempt 1"));
      terminal.err().await(line -> line.equals("[open]"));
      terminal.type("after the restart");
      assertEquals("after the restart", terminal.out().await(line -> true));
      terminal.endInput();
      assertEquals(0, terminal.exitCode(), terminal.err().toString());
      assertEquals(2, flakyConnections.get());
    }
  }

  @Test
  void insecureAcceptsASelfSignedCertificateThatIsOtherwiseRefused() throws Exception {
    TestCertificates selfSigned = TestCertificates.generate("ip:127.0.0.1");
    BoundServer tls = WebSocketServer.create().host("127.0.0.1").port(0)
        .secure(selfSigned.serverContext())
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    String wss = "wss://127.0.0.1:" + tls.port() + "/echo";
    try (Terminal checked = new Terminal(); Terminal insecure = new Terminal()) {
      checked.start(wss).endInput();
      assertEquals(1, checked.exitCode());
      assertTrue(checked.err().toString().contains("cannot connect"), checked.err().toString());

      insecure.start("--insecure", wss).type("trusted anyway").endInput();
      assertEquals(0, insecure.exitCode(), insecure.err().toString());
      assertEquals(List.of("trusted anyway"), insecure.out().lines());
    } finally {
      tls.shutdown(Duration.ofSeconds(5)).block();
    }
  }

  @Test
  void aRefusedHandshakeExitsOne() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start(url("/no-such-route")).endInput();
      assertEquals(1, terminal.exitCode());
      assertTrue(terminal.err().toString().contains("404"), terminal.err().toString());
    }
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() throws Exception {
    for (String[] args : List.of(new String[] {}, new String[] {"--header", "no colon", url("/")},
        new String[] {url("/a"), url("/b")})) {
      try (Terminal terminal = new Terminal()) {
        terminal.start(args).endInput();
        assertEquals(2, terminal.exitCode(), String.join(" ", args));
        assertTrue(terminal.err().toString().contains("usage: client"), terminal.err().toString());
      }
    }
  }

  @Test
  void helpPrintsTheUsageAndExitsZero() throws Exception {
    try (Terminal terminal = new Terminal()) {
      terminal.start("--help");
      assertEquals(0, terminal.exitCode());
      assertTrue(terminal.out().toString().startsWith("usage: client [options] URL"));
      assertTrue(terminal.out().toString().contains("--reconnect"));
    }
  }
}
