package io.reactivews.client.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.client.WebSocketClient;
import io.reactivews.core.Role;
import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.handshake.WebSocketExtension;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.testing.LeakGuard;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.ScriptedServer;
import io.reactivews.testing.conformance.CompressionCaseRunner;
import io.reactivews.testing.conformance.CompressionCases.CompressionCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite categories 12 and 13 against our client, echoing with every message compressed
 * (threshold 0), as the suite's fuzzing server runs them (RFC 7692): the client offers {@code
 * permessage-deflate; client_max_window_bits}, and the scripted server answers with the case's
 * limits on the client. A {@code client_max_window_bits} under 15 (13.3, 13.5, 13.7) is honoured
 * with Huffman coding only; where the server keeps its own context (no {@code
 * server_no_context_takeover} in any case here), the client inflates with a dedicated inflater.
 */
class CompressionConformanceTest {

  private static ScriptedServer server;
  private static WebSocketClient client;

  @BeforeAll
  static void start() throws IOException {
    server = new ScriptedServer();
    client = WebSocketClient.create().options(SessionOptions.defaults()
        .maxMessageSize(16 << 20)
        .closeTimeout(EchoClient.CLOSE_TIMEOUT)
        .pingInterval(Duration.ZERO)
        .compression(DeflateOptions.defaults().threshold(0)));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      client.closeAll().block(Duration.ofSeconds(10));
    } finally {
      server.close();
    }
    LeakGuard.assertNoLeaks("client CompressionConformanceTest");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.CompressionCases#payloads")
  void payloads(CompressionCase c) throws Exception {
    run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.CompressionCases#parameters")
  void parameters(CompressionCase c) throws Exception {
    run(c);
  }

  private static void run(CompressionCase c) throws Exception {
    String[] request = new String[1];
    CompletableFuture<ScriptedServer.Peer> accepted = CompletableFuture.supplyAsync(() -> {
      try {
        ScriptedServer.Peer peer = server.accept();
        request[0] = peer.upgradeWith("Sec-WebSocket-Extensions: " + c.serverAnswer() + "\r\n");
        return peer;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    CompletableFuture<Void> run =
        client.connect(server.uri("/case/" + c.id()), EchoClient.ECHO).toFuture();
    try (ServerPeer peer = new ServerPeer(server.await(accepted), run)) {
      assertEquals("permessage-deflate; client_max_window_bits",
          RawHttp.header(request[0], "Sec-WebSocket-Extensions"), "the client's offer");
      DeflateParameters agreed =
          DeflateParameters.parse(WebSocketExtension.parse(c.serverAnswer()).get(0));
      new CompressionCaseRunner(Role.CLIENT, EchoClient.CLOSE_TIMEOUT).run(c, peer, agreed);
    }
  }
}
