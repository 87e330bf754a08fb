package io.reactivews.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reactivews.server.ServerEvent;
import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.conformance.CaseCatalog;
import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.ConformanceCase;
import io.reactivews.testing.conformance.PeerConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

/**
 * Rules of this server that the suite checks loosely or not at all: its frames are never masked,
 * its reply to a close echoes the code, failing a connection always sends a close frame (the
 * suite also accepts a bare TCP drop), and its TCP close follows the close handshake within the
 * close timeout even when the client never closes its side.
 */
class ServerWireRulesTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  private static final Duration WAIT = CaseRunner.WAIT;
  /** Slack for scheduling on a busy machine, on top of the close timeout. */
  private static final Duration SLACK = Duration.ofMillis(750);

  @Test
  void serverFramesAreNeverMasked() throws Exception {
    try (RawClient client = RawClient.connect(server.address(), "/masks")) {
      client.send(RawFrame.text("text"), RawFrame.binary(new byte[70000]),
          RawFrame.ping(new byte[] {1, 2}), RawFrame.close(1000, "bye"));
      for (int i = 0; i < 4; i++) {
        RawFrame frame = client.nextFrame(WAIT);
        assertFalse(frame.isMasked(), "masked: " + frame);
      }
      assertEquals(PeerConnection.EndKind.EOF, client.awaitEnd(WAIT).kind());
    }
  }

  @ParameterizedTest(name = "close {0} is answered with {0}")
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
      3000, 3001, 3999, 4000, 4001, 4999})
  void everyReplyToACloseEchoesItsCode(int code) throws Exception {
    try (RawClient client = RawClient.connect(server.address(), "/echo-code")) {
      client.send(RawFrame.close(code, "a reason the reply need not repeat"));
      RawFrame reply = client.nextFrame(WAIT);
      assertEquals(RawFrame.CLOSE, reply.opcode(), reply.toString());
      assertEquals(code, reply.closeCode(), reply.toString());
      assertEquals(PeerConnection.EndKind.EOF, client.awaitEnd(WAIT).kind());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneFailurePerCategory")
  void failingTheConnectionSendsACloseFrameFirst(ConformanceCase c) throws Exception {
    server.runner().requiringCloseFrame().run(c);
  }

  static Stream<ConformanceCase> oneFailurePerCategory() {
    return CaseCatalog.withIds("2.5", "3.4", "4.2.5", "5.11", "6.3.2", "6.4.4", "6.14.1",
        "7.3.2", "7.3.6", "7.5.1", "7.9.4", "7.13.2");
  }

  @Test
  void tcpIsClosedAfterTheHandshakeEvenIfTheClientKeepsItsSocket() throws Exception {
    BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
    Disposable subscription = server.bound().events().subscribe(events::add);
    try (RawClient client = RawClient.connect(server.address(), "/stays")) {
      client.send(RawFrame.close(1000, ""));
      long sent = System.nanoTime();
      assertEquals(1000, client.nextFrame(WAIT).closeCode());
      assertEquals(PeerConnection.EndKind.EOF, client.awaitEnd(EchoServer.CLOSE_TIMEOUT).kind());
      // We neither read nor close: the server must still let go within its close timeout.
      ServerEvent.Closed closed = awaitClosed(events, client.localPort());
      long elapsed = Duration.ofNanos(System.nanoTime() - sent).toMillis();
      assertTrue(elapsed <= EchoServer.CLOSE_TIMEOUT.plus(SLACK).toMillis(),
          "closed after " + elapsed + " ms");
      assertEquals(1000, closed.status().code());
    } finally {
      subscription.dispose();
    }
  }

  @Test
  void tcpIsClosedAfterAFailureEvenIfTheClientNeverAnswers() throws Exception {
    BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
    Disposable subscription = server.bound().events().subscribe(events::add);
    try (RawClient client = RawClient.connect(server.address(), "/silent")) {
      client.send(RawFrame.ping(new byte[126])); // too long for a control frame
      long sent = System.nanoTime();
      assertEquals(1002, client.nextFrame(WAIT).closeCode());
      assertEquals(PeerConnection.EndKind.EOF, client.awaitEnd(EchoServer.CLOSE_TIMEOUT).kind());
      ServerEvent.Closed closed = awaitClosed(events, client.localPort());
      long elapsed = Duration.ofNanos(System.nanoTime() - sent).toMillis();
      assertTrue(elapsed <= EchoServer.CLOSE_TIMEOUT.plus(SLACK).toMillis(),
          "closed after " + elapsed + " ms");
      assertEquals(1002, closed.status().code());
    } finally {
      subscription.dispose();
    }
  }

  /** The server's Closed event for the client on {@code localPort}. */
  private static ServerEvent.Closed awaitClosed(BlockingQueue<ServerEvent> events, int localPort)
      throws InterruptedException {
    long deadline = System.nanoTime() + EchoServer.CLOSE_TIMEOUT.plus(WAIT).toNanos();
    while (System.nanoTime() < deadline) {
      ServerEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event instanceof ServerEvent.Closed closed
          && closed.session().remoteAddress() instanceof InetSocketAddress remote
          && remote.getPort() == localPort) {
        return closed;
      }
    }
    return fail("the server never closed the connection from port " + localPort);
  }
}
