package io.reactivews.client.conformance;

import io.reactivews.client.WebSocketClient;
import io.reactivews.core.Role;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.LeakGuard;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.ScriptedServer;
import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.ConformanceCase;
import io.reactivews.testing.conformance.Event;
import io.reactivews.testing.conformance.Outcome;
import io.reactivews.testing.conformance.PeerConnection;
import io.reactivews.testing.conformance.Script;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;

/**
 * The client under test and the scripted server it connects to, one pair per test class, as the
 * suite's fuzzing-server mode runs a client: for each case the client opens a fresh connection
 * and echoes every message (up to 16 MiB), closes within {@link #CLOSE_TIMEOUT}, and never
 * pings, so that every frame it sends is an answer the suite can predict.
 *
 * <pre>{@code
 * @RegisterExtension static final EchoClient client = new EchoClient();
 * }</pre>
 */
final class EchoClient implements BeforeAllCallback, AfterAllCallback {

  /** Short, so that a client that fails to close is caught quickly. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  static final Function<WebSocketSession, Publisher<Void>> ECHO =
      session -> session.send(session.receive());

  private ScriptedServer server;
  private WebSocketClient client;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = new ScriptedServer();
    client = WebSocketClient.create()
        .options(SessionOptions.defaults()
            .maxMessageSize(16 << 20)
            .closeTimeout(CLOSE_TIMEOUT)
            .pingInterval(Duration.ZERO));
    // One echo first, so that the first case's timing does not include class loading.
    runner().run(ConformanceCase.of("warm-up", "one echo", Script.of()
        .send(RawFrame.text("warm-up")), Outcome.echoes(Event.text("warm-up"))));
  }

  /** Closes what is left, then checks for leaked buffers (harmless if the guard ran too). */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      client.closeAll().block(Duration.ofSeconds(10));
    } finally {
      server.close();
    }
    LeakGuard.assertNoLeaks(context.getDisplayName());
  }

  /** Runs a case against this client. */
  void run(ConformanceCase c) throws Exception {
    runner().run(c);
  }

  /** A runner whose peer plays the server, for a fresh connection to {@code /case/<id>}. */
  CaseRunner runner() {
    return new CaseRunner(Role.CLIENT, this::open, CLOSE_TIMEOUT);
  }

  /** Has the client connect to {@code path} and echo; answers the server's end, upgraded. */
  ServerPeer connect(String path) throws Exception {
    CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
    CompletableFuture<Void> run = client.connect(server.uri(path), ECHO).toFuture();
    return new ServerPeer(server.await(accepted), run);
  }

  private PeerConnection open(ConformanceCase c) throws Exception {
    return connect("/case/" + c.id());
  }
}
