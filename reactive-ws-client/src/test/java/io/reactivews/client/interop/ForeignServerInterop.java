package io.reactivews.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.client.WebSocketClient;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.ChildPeer;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.EchoPlanChecks;
import io.reactivews.testing.PeerReport;
import io.reactivews.testing.ServingPeer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our client against an echo server that nobody here wrote, run from {@code .ci/peers/} on a
 * free port of 127.0.0.1. Each subclass names one server. Once per class our client runs the
 * {@link EchoPlan} on {@code /echo} (the checks of what came back are inherited from {@link
 * EchoPlanChecks}), then opens {@code /bye}, where the server starts the close; then the server
 * is stopped and its own report, what it received and which close codes it saw, is checked too.
 */
abstract class ForeignServerInterop extends EchoPlanChecks {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final EchoPlan plan = EchoPlan.standard();
  private PeerReport client;
  private CloseStatus closedByServer;
  private PeerReport server;

  /** The echo server script this class runs against. */
  abstract ChildPeer server();

  /** Checks that the server that ran is the one this class means, at the expected version. */
  abstract void assertIsTheIntendedPeer(JsonNode peer) throws Exception;

  /** Checks what our client agreed with this server, as {@code permessage-deflate; ...}. */
  void assertAgreement(String agreed) {}

  @BeforeAll
  void runThePlanAgainstTheForeignServer() throws Exception {
    List<String> args = Stream.concat(Stream.of(String.valueOf(plan.maxMessageSize())),
        EchoPlan.SERVER_SUBPROTOCOLS.stream()).toList();
    try (ServingPeer peer = server().serve(args.toArray(String[]::new))) {
      client = new OurClientPeer().run(peer.url("/echo"), plan);
      WebSocketSession bye = WebSocketClient.create().connect(peer.url("/bye")).block(WAIT);
      bye.receive().then().block(WAIT); // completes with the server's close frame
      closedByServer = bye.closeStatus().block(WAIT);
      server = peer.stop();
    }
  }

  @Override
  protected EchoPlan plan() {
    return plan;
  }

  @Override
  protected PeerReport echoes() {
    return client;
  }

  @Test
  void theIntendedServerRanWithoutErrors() throws Exception {
    assertEquals(List.of(), server.errors(), server.transcript());
    assertEquals(List.of(), client.errors(), client.transcript());
    assertIsTheIntendedPeer(server.one("peer"));
  }

  @Test
  void serverPicksItsMostPreferredOfTheOfferedSubprotocols() {
    assertEquals(plan.expectedSubprotocol(), client.one("open").path("subprotocol").asText(),
        client.transcript());
    assertEquals(plan.expectedSubprotocol(), on("/echo", "open").path("subprotocol").asText(),
        server.transcript());
  }

  /**
   * RFC 7692 both ways: our offer reached the server, it accepted, and messages went compressed
   * in each direction (the echoes' SHA-256 checks show each side inflated the other's).
   */
  @Test
  void compressionIsNegotiatedAndUsedBothWays() {
    JsonNode open = on("/echo", "open");
    assertEquals("permessage-deflate; client_max_window_bits", open.path("offered").asText(),
        server.transcript());
    assertTrue(open.path("extensions").asText().contains("permessage-deflate"),
        server.transcript());
    String agreed = client.one("open").path("extensions").asText();
    assertTrue(agreed.startsWith("permessage-deflate"), client.transcript());
    assertAgreement(agreed);
    JsonNode counts = client.one("compression");
    assertTrue(counts.path("compressed").asLong() > 0, client.transcript());
    assertTrue(counts.path("inflated").asLong() > 0, client.transcript());
  }

  @Test
  void customHeadersReachTheServer() {
    assertEquals(OurClientPeer.HEADER_VALUE, on("/echo", "open").path("header").asText(),
        server.transcript());
  }

  @Test
  void theServerReceivedEveryMessageIntact() {
    assertEquals(plan.messages().size(), server.all("echo").size(), server.transcript());
    for (int i = 0; i < plan.messages().size(); i++) {
      // Unmasked and reassembled by the server: shows our masking and framing are right.
      EchoPlanChecks.assertEchoed(plan, server, i);
    }
  }

  @Test
  void closeWeStartEndsWith1000OnBothSides() {
    JsonNode received = on("/echo", "close");
    assertEquals(plan.closeCode(), received.path("code").asInt(), server.transcript());
    assertEquals(plan.closeReason(), received.path("reason").asText());
    assertEquals(plan.closeCode(), client.one("close").path("code").asInt(), client.transcript());
  }

  @Test
  void closeTheServerStartsEndsWith1000OnBothSides() {
    assertEquals(CloseStatus.of(1000, "bye"), closedByServer);
    assertEquals(1000, on("/bye", "close").path("code").asInt(), server.transcript());
  }

  /** The server's first line of this kind about the connection to {@code path}. */
  private JsonNode on(String path, String check) {
    return server.all(check).stream().filter(l -> path.equals(l.path("path").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("the server reported no '" + check
            + "' line for " + path + ":\n" + server.transcript()));
  }
}
