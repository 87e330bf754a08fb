package io.reactivews.client.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.conformance.CaseCatalog;
import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.ConformanceCase;
import io.reactivews.testing.conformance.Event;
import io.reactivews.testing.conformance.PeerConnection;
import io.reactivews.testing.conformance.Script;
import io.reactivews.testing.conformance.Transcript;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules of the client that hold only for its role, or that the suite checks loosely: a masked
 * frame from the server fails the connection with 1002 (RFC 6455 section 5.1; the suite has no
 * such case, and its "unmasked client frame" counterpart does not apply to a client), failing a
 * connection always sends a close frame (the suite also accepts a bare TCP drop), and after the
 * close handshake the client leaves the TCP close to the server (section 7.1.1), for at most its
 * close timeout.
 */
class ClientWireRulesTest {

  @RegisterExtension
  static final EchoClient client = new EchoClient();

  private static final int PROTOCOL_ERROR = 1002;
  /** Slack for scheduling on a busy machine, on top of the close timeout. */
  private static final Duration SLACK = Duration.ofMillis(750);

  @ParameterizedTest(name = "{0}")
  @MethodSource("maskedServerFrames")
  void aMaskedServerFrameFailsTheConnection(ConformanceCase c) throws Exception {
    client.run(c);
  }

  /** Client-role cases, labelled "m.*" as they are not in the suite. */
  static Stream<ConformanceCase> maskedServerFrames() {
    RawFrame hello = RawFrame.text("Hello, world!");
    return Stream.of(
        of("m.1", "masked text message: not echoed",
            Script.of().send(hello.masked()), fails(PROTOCOL_ERROR)),
        of("m.2", "masked ping: no pong",
            Script.of().send(RawFrame.ping("Hello, world!").masked()), fails(PROTOCOL_ERROR)),
        of("m.3", "masked close 1000: not answered with 1000",
            Script.of().send(RawFrame.close(1000, "").masked()), fails(PROTOCOL_ERROR)),
        of("m.4", "text in 2 fragments, only the second masked",
            Script.of().send(RawFrame.text("fragment1").fin(false),
                RawFrame.continuation("fragment2").masked()),
            fails(PROTOCOL_ERROR)),
        of("m.5", "masked binary message with a zero key, one write per byte",
            Script.of().perOctet(RawFrame.binary(new byte[] {1, 2, 3}).masked(0)),
            fails(PROTOCOL_ERROR)),
        of("m.6", "text message, then the same masked: echo, then failed",
            Script.of().perFrame(hello, hello.masked()),
            fails(PROTOCOL_ERROR).after(Event.text("Hello, world!"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneFailurePerCategory")
  void failingTheConnectionSendsACloseFrameFirst(ConformanceCase c) throws Exception {
    client.runner().requiringCloseFrame().run(c);
  }

  static Stream<ConformanceCase> oneFailurePerCategory() {
    return Stream.concat(
        CaseCatalog.withIds("2.5", "3.4", "4.2.5", "5.11", "6.3.2", "6.4.4", "6.14.1", "7.3.2",
            "7.3.6", "7.5.1", "7.9.4", "7.13.2"),
        maskedServerFrames().filter(c -> c.id().equals("m.5")));
  }

  @Test
  void theClientClosesTcpOnceTheServerHas() throws Exception {
    try (ServerPeer server = client.connect("/server-closes")) {
      Transcript transcript = closeHandshake(server);
      server.shutdownOutput();
      long shut = System.nanoTime();
      transcript.awaitEnd(CaseRunner.WAIT);
      long elapsed = millisSince(shut);
      assertEquals(PeerConnection.EndKind.EOF, transcript.end().kind());
      assertTrue(elapsed < EchoClient.CLOSE_TIMEOUT.toMillis() / 2,
          "closed " + elapsed + " ms after the server's FIN");
    }
  }

  @Test
  void theClientLeavesTheTcpCloseToTheServerForAtMostItsCloseTimeout() throws Exception {
    try (ServerPeer server = client.connect("/server-stays")) {
      long sent = System.nanoTime();
      Transcript transcript = closeHandshake(server);
      transcript.assertQuiet(Script.PAUSE); // no FIN of its own at once
      transcript.awaitEnd(EchoClient.CLOSE_TIMEOUT.plus(SLACK));
      long elapsed = millisSince(sent);
      assertEquals(PeerConnection.EndKind.EOF, transcript.end().kind());
      assertTrue(elapsed <= EchoClient.CLOSE_TIMEOUT.plus(SLACK).toMillis(),
          "closed after " + elapsed + " ms");
    }
  }

  /** The server closes with 1000; the client's masked reply must come back. */
  private static Transcript closeHandshake(ServerPeer server) throws Exception {
    Transcript transcript = new Transcript(server, Role.CLIENT);
    server.write(RawFrame.close(1000, "").bytes());
    transcript.awaitTermination(CaseRunner.WAIT);
    assertNotNull(transcript.closeFrame(), "no close reply: " + transcript.end());
    assertEquals(1000, transcript.closeFrame().closeCode(), transcript.closeFrame().toString());
    return transcript;
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }
}
