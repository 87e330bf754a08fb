package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.RawHttp;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's answer to permessage-deflate offers (RFC 7692 section 7.1) on the wire: on by
 * default, off or in context-takeover mode per route, and malformed offers declined (the
 * connection opens, uncompressed) rather than refused.
 */
class ServerCompressionTest {

  private static BoundServer server;
  private static InetSocketAddress address;

  @BeforeAll
  static void start() {
    WebSocketHandler echo = session -> session.send(session.receive());
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route(Route.exact("/default", echo))
        .route(Route.exact("/off", echo)
            .options(SessionOptions.defaults().compression(DeflateOptions.disabled())))
        .route(Route.exact("/context", echo).options(SessionOptions.defaults()
            .compression(DeflateOptions.defaults().contextTakeover(true))))
        .bindNow();
    address = new InetSocketAddress("127.0.0.1", server.port());
  }

  @AfterAll
  static void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  private static String answer(String path, String offer) throws Exception {
    try (RawClient client = RawClient.connect(address, path,
        "Sec-WebSocket-Extensions: " + offer + "\r\n")) {
      return RawHttp.header(client.handshakeResponse(), "Sec-WebSocket-Extensions");
    }
  }

  @Test
  void aBrowsersOfferIsAcceptedWithoutContextTakeoverByDefault() throws Exception {
    assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        answer("/default", "permessage-deflate; client_max_window_bits"));
  }

  @Test
  void aRouteCanTurnCompressionOff() throws Exception {
    assertNull(answer("/off", "permessage-deflate; client_max_window_bits"));
  }

  @Test
  void aRouteCanKeepContext() throws Exception {
    assertEquals("permessage-deflate",
        answer("/context", "permessage-deflate; client_max_window_bits"));
  }

  @Test
  void aMalformedOfferIsDeclinedAndTheNextOneAccepted() throws Exception {
    assertNull(answer("/default", "permessage-deflate; server_max_window_bits=16"));
    assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
        + " server_max_window_bits=10", answer("/default",
        "permessage-deflate; bogus, permessage-deflate; server_max_window_bits=10"));
  }

  @Test
  void otherExtensionsAreIgnored() throws Exception {
    assertNull(answer("/default", "x-webkit-deflate-frame"));
  }
}
