package io.reactivews.server.conformance;

import io.reactivews.core.Role;
import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketHandler;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.LeakGuard;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.ConformanceCase;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server under test, one per test class: it echoes every message on every path, takes
 * messages up to 16 MiB, closes within {@link #CLOSE_TIMEOUT}, and never pings, so that every
 * frame it sends is an answer the suite can predict.
 *
 * <pre>{@code
 * @RegisterExtension static final EchoServer server = new EchoServer();
 * }</pre>
 */
final class EchoServer implements BeforeAllCallback, AfterAllCallback {

  /** Short, so that a server that fails to close is caught quickly. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  static final WebSocketHandler ECHO = session -> session.send(session.receive());

  private final DeflateOptions compression;
  private BoundServer server;

  /** The echo server with the default compression options. */
  EchoServer() {
    this(DeflateOptions.defaults());
  }

  /** The echo server with these compression options. */
  EchoServer(DeflateOptions compression) {
    this.compression = compression;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.prefix("/", ECHO))
        .options(SessionOptions.defaults()
            .maxMessageSize(16 << 20)
            .closeTimeout(CLOSE_TIMEOUT)
            .pingInterval(Duration.ZERO)
            .compression(compression))
        .bindNow();
    warmUp();
  }

  /** One echo first, so that the first case's timing does not include class loading. */
  private void warmUp() throws Exception {
    try (RawClient client = RawClient.connect(address(), "/warm-up")) {
      client.send(RawFrame.text("warm-up"), RawFrame.close(1000, ""));
      client.nextFrame(CaseRunner.WAIT);
      client.nextFrame(CaseRunner.WAIT);
      client.awaitEnd(CaseRunner.WAIT);
    }
  }

  /**
   * Stops the server, then checks for leaked buffers itself: a server-side leak is exactly what
   * these connections would reveal, and {@link LeakGuard}'s auto-detection is off in this build
   * (surefire 3.5 ignores a top-level {@code configurationParameters}). Running twice is harmless.
   */
  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    server.shutdown(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    LeakGuard.assertNoLeaks(context.getDisplayName());
  }

  BoundServer bound() {
    return server;
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  /** Runs a case against this server. */
  void run(ConformanceCase c) throws Exception {
    runner().run(c);
  }

  /** A runner whose peer plays the client, on a fresh connection to {@code /case/<id>}. */
  CaseRunner runner() {
    InetSocketAddress address = address();
    return new CaseRunner(Role.SERVER, c -> ClientPeer.connect(address, "/case/" + c.id()),
        CLOSE_TIMEOUT);
  }
}
