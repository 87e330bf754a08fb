package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.Wire.concat;
import static io.reactivews.core.handshake.Wire.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both halves together, through bytes: what the client writes the server accepts, and back. */
class HandshakeRoundTripTest {

  @Test
  void clientRequestIsAcceptedAndServerAnswerIsValidated() {
    ClientHandshake spec = ClientHandshake.to("ws://[::1]:9000/live?user=j%C3%BCrgen")
        .subprotocols("v2.json", "v1.json")
        .extensions(WebSocketExtension.of("permessage-deflate")
            .withParameter("client_max_window_bits"))
        .origin("https://app.example")
        .header("Authorization", "Bearer abc");
    ClientHandshake.Attempt attempt = spec.newAttempt();

    // Client -> server, with the first masked frame in the same packet.
    byte[] requestBytes = Wire.written(attempt.request(), r -> r.writeTo(Wire.ALLOC));
    byte[] wire = concat(requestBytes, HttpHeadParserTest.MASKED_HELLO);
    for (int cut = 0; cut <= wire.length; cut++) {
      var parsed = feed(HttpHeadParser.forRequest(), wire, cut);
      assertArrayEquals(HttpHeadParserTest.MASKED_HELLO, parsed.leftover(), "cut at " + cut);
      assertEquals(attempt.request().headers(), parsed.head().headers());
    }
    HttpRequestHead received = feed(HttpHeadParser.forRequest(), wire).head();

    UpgradeRequest upgrade = ServerHandshake.validate(received);
    assertEquals("/live", upgrade.path());
    assertEquals(List.of("j\u00fcrgen"), upgrade.queryParameters().get("user"));
    assertEquals("[::1]:9000", upgrade.host());
    assertEquals("https://app.example", upgrade.origin());
    assertEquals("Bearer abc", upgrade.headers().get("authorization"));
    assertEquals(attempt.key(), upgrade.key());

    String chosen =
        ServerHandshake.selectSubprotocol(upgrade.subprotocols(), List.of("v1.json", "v2.json"));
    WebSocketExtension deflate =
        WebSocketExtension.of("permessage-deflate").withParameter("client_max_window_bits", "15");
    HttpResponseHead accepted = ServerHandshake.accept(upgrade, chosen, List.of(deflate));

    // Server -> client, with the first frames in the same packet.
    byte[] answer = concat(Wire.written(accepted, r -> r.writeTo(Wire.ALLOC)),
        HttpHeadParserTest.HELLO_AND_PING);
    for (int cut = 0; cut <= answer.length; cut++) {
      var parsed = feed(HttpHeadParser.forResponse(), answer, cut);
      assertArrayEquals(HttpHeadParserTest.HELLO_AND_PING, parsed.leftover(), "cut at " + cut);
      UpgradeResponse ok = attempt.validate(parsed.head());
      assertEquals("v1.json", ok.subprotocol());
      assertEquals(List.of(deflate), ok.extensions());
    }
  }

  @Test
  void aRefusalReachesTheClientWithItsStatusAndHeaders() {
    ClientHandshake.Attempt attempt = ClientHandshake.to("ws://h/").newAttempt();
    HttpRequestHead outdated = new HttpRequestHead("GET", "/", HttpVersion.HTTP_1_1,
        attempt.request().headers().toBuilder().set("Sec-WebSocket-Version", "8").build());
    HandshakeException serverSide = assertThrows(
        HandshakeException.class, () -> ServerHandshake.validate(outdated));
    byte[] refusal = Wire.written(ServerHandshake.reject(serverSide), r -> r.writeTo(Wire.ALLOC));

    var parsed = feed(HttpHeadParser.forResponse(), refusal);
    assertEquals(serverSide.getMessage() + "\n", new String(parsed.leftover(),
        StandardCharsets.UTF_8));
    HandshakeException clientSide = assertThrows(
        HandshakeException.class, () -> attempt.validate(parsed.head()));
    assertEquals(426, clientSide.status());
    assertEquals("13", clientSide.headers().get("Sec-WebSocket-Version"));
  }
}
