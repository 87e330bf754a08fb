package io.reactivews.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.Role;
import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.handshake.WebSocketExtension;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.conformance.CompressionCaseRunner;
import io.reactivews.testing.conformance.CompressionCases.CompressionCase;
import io.reactivews.testing.conformance.CompressionCases.Request;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite categories 12 and 13 against the echo server, which compresses every message (threshold
 * 0), so that our compressor is tested as much as our inflater (RFC 7692).
 *
 * <p>What our server answers, case by case: it accepts the peer's first offer in every case,
 * adding {@code server_no_context_takeover; client_no_context_takeover} (its default, cheap
 * mode), and {@code server_max_window_bits} as asked. No offer of the suite is declined: a
 * window under 15 bits (13.3, 13.5, 13.7) is honoured by compressing with Huffman coding only,
 * which has no back-references and so fits any window.
 */
class CompressionConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer(DeflateOptions.defaults().threshold(0));

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
    try (ClientPeer peer = ClientPeer.connect(server.address(), "/case/" + c.id(),
        c.clientOffer())) {
      String answer = RawHttp.header(peer.handshakeResponse(), "Sec-WebSocket-Extensions");
      assertEquals(expectedAnswer(c.requests().get(0)), answer, c.id() + ": the answer");
      DeflateParameters agreed = DeflateParameters.parse(WebSocketExtension.parse(answer).get(0));
      new CompressionCaseRunner(Role.SERVER, EchoServer.CLOSE_TIMEOUT).run(c, peer, agreed);
    }
  }

  /** The first offer, accepted: no context either way, and the window the peer asked for. */
  private static String expectedAnswer(Request first) {
    return "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        + (first.windowBits() != 0 ? "; server_max_window_bits=" + first.windowBits() : "");
  }
}
