package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 sections 4.1 and 4.2.2: the client's request, and its check of the answer. */
class ClientHandshakeTest {

  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private final ClientHandshake chat = ClientHandshake.to("ws://server.example.com/chat")
      .subprotocols("chat", "superchat")
      .origin("http://example.com");

  private static HttpHeaders.Builder okHeaders() {
    return HttpHeaders.builder()
        .add("Upgrade", "websocket")
        .add("Connection", "Upgrade")
        .add("Sec-WebSocket-Accept", ACCEPT);
  }

  private static HttpResponseHead response(int status, UnaryOperator<HttpHeaders.Builder> change) {
    return HttpResponseHead.of(status, change.apply(okHeaders()).build());
  }

  private HandshakeException failure(ClientHandshake spec, HttpResponseHead response) {
    HandshakeException e =
        assertThrows(HandshakeException.class, () -> spec.validate(response, KEY));
    assertEquals(response.status(), e.status(), e.getMessage());
    assertSame(response.headers(), e.headers());
    return e;
  }

  @Test
  void theRequestOfSection1_2() {
    HttpRequestHead request = chat.newAttempt(KEY).request();
    assertArrayEquals(ascii("GET /chat HTTP/1.1\r\n"
        + "Host: server.example.com\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: chat, superchat\r\n"
        + "Origin: http://example.com\r\n"
        + "\r\n"), Wire.written(request, r -> r.writeTo(Wire.ALLOC)));
  }

  @Test
  void eachAttemptHasAFreshKeyOfSixteenRandomBytes() {
    ClientHandshake.Attempt first = chat.newAttempt();
    ClientHandshake.Attempt second = chat.newAttempt();
    assertEquals(16, Base64.getDecoder().decode(first.key()).length);
    assertTrue(WebSocketAccept.isValidKey(first.key()));
    assertNotEquals(first.key(), second.key());
    assertEquals(first.key(), first.request().headers().get("Sec-WebSocket-Key"));
    assertEquals(second.key(), second.request().headers().get("Sec-WebSocket-Key"));
  }

  @ParameterizedTest
  @CsvSource({
      "ws://h/, h",
      "ws://h:80/, h",
      "ws://h:8080/, h:8080",
      "ws://h:443/, h:443",
      "wss://h/, h",
      "wss://h:443/, h",
      "wss://h:80/, h:80",
      "http://h:8080/, h:8080",
      "https://h:443/, h",
      "ws://[::1]/, [::1]",
      "ws://[::1]:80/, [::1]",
      "wss://[2001:db8::7]:8443/, [2001:db8::7]:8443",
      "ws://127.0.0.1:9000/, 127.0.0.1:9000"})
  void theHostHeaderHasThePortOnlyWhenItIsNotTheDefault(String uri, String host) {
    assertEquals(host, ClientHandshake.to(uri).newAttempt().request().headers().get("Host"));
  }

  @ParameterizedTest
  @CsvSource({"ws://h, /", "ws://h?x=1, /?x=1", "ws://h/a/b?c=%20, /a/b?c=%20", "ws://h/, /"})
  void theTargetIsPathAndQuery(String uri, String target) {
    assertEquals(target, ClientHandshake.to(uri).newAttempt().request().target());
  }

  @Test
  void customHeadersFollowTheHandshakesOwn() {
    HttpRequestHead req = ClientHandshake.to("ws://h/").header("Authorization", "Bearer t")
        .header("X-Trace", "1").newAttempt(KEY).request();
    assertEquals(List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
        "Sec-WebSocket-Version", "Authorization", "X-Trace"), req.headers().names());
  }

  @Test
  void aHostHeaderReplacesTheDerivedOne() {
    HttpRequestHead req = ClientHandshake.to("ws://10.0.0.1:8080/").header("Host", "app.example")
        .newAttempt(KEY).request();
    assertEquals(List.of("app.example"), req.headers().getAll("host"));
    assertEquals("Host", req.headers().name(0));
    assertThrows(IllegalArgumentException.class,
        () -> ClientHandshake.to("ws://h/").header("Host", "a").header("host", "b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Key", "SEC-WEBSOCKET-VERSION",
      "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Origin",
      "Content-Length", "Transfer-Encoding"})
  void theHandshakesOwnHeadersCannotBeOverridden(String name) {
    assertThrows(IllegalArgumentException.class,
        () -> ClientHandshake.to("ws://h/").header(name, "x"));
    assertThrows(IllegalArgumentException.class,
        () -> ClientHandshake.to("ws://h/").headers(HttpHeaders.of(name, "x")));
  }

  @Test
  void headerValuesCannotInjectLines() {
    assertThrows(IllegalArgumentException.class,
        () -> ClientHandshake.to("ws://h/").header("X-A", "1\r\nUpgrade: h2c"));
    assertThrows(IllegalArgumentException.class,
        () -> ClientHandshake.to("ws://h/").origin("http://a\r\nX: y"));
  }

  @Test
  void subprotocolsMustBeDistinctTokens() {
    assertThrows(IllegalArgumentException.class, () -> chat.subprotocols("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> chat.subprotocols("a b"));
    assertThrows(IllegalArgumentException.class, () -> chat.subprotocols("a,b"));
  }

  @Test
  void settersReturnCopies() {
    ClientHandshake plain = ClientHandshake.to("ws://h/");
    ClientHandshake withProtocol = plain.subprotocols("v1");
    assertEquals(List.of(), plain.subprotocols());
    assertEquals(List.of("v1"), withProtocol.subprotocols());
    assertNull(plain.origin());
  }

  @Test
  void aValid101GivesTheNegotiatedTerms() {
    ClientHandshake spec = chat.extensions(
        WebSocketExtension.of("permessage-deflate").withParameter("client_max_window_bits"));
    UpgradeResponse ok = spec.validate(response(101, h -> h
        .add("Sec-WebSocket-Protocol", "superchat")
        .add("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10")), KEY);
    assertEquals("superchat", ok.subprotocol());
    assertEquals(1, ok.extensions().size());
    assertEquals("10", ok.extensions().get(0).parameterValue("server_max_window_bits"));
  }

  @Test
  void tokensInTheResponseIgnoreCase() {
    UpgradeResponse ok = chat.validate(HttpResponseHead.of(101, HttpHeaders.of(
        "upgrade", "WebSocket", "CONNECTION", "keep-alive, upgrade",
        "sec-websocket-accept", ACCEPT)), KEY);
    assertNull(ok.subprotocol());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 301, 400, 401, 403, 404, 500, 503})
  void anythingButSwitchingProtocolsFailsWithItsStatus(int status) {
    HttpResponseHead r = HttpResponseHead.of(status, HttpHeaders.of("X-Reason", "no"));
    HandshakeException e = failure(chat, r);
    assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
    assertEquals("no", e.headers().get("X-Reason"));
  }

  @Test
  void a426SaysWhichVersionTheServerSpeaks() {
    HandshakeException e =
        failure(chat, HttpResponseHead.of(426, HttpHeaders.of("Sec-WebSocket-Version", "13")));
    assertTrue(e.getMessage().contains("426 Upgrade Required"), e.getMessage());
    assertTrue(e.getMessage().contains("Sec-WebSocket-Version \"13\""), e.getMessage());
    assertEquals("13", e.headers().get("Sec-WebSocket-Version"));
  }

  @Test
  void upgradeAndConnectionAreRequired() {
    failure(chat, response(101, h -> h.remove("Upgrade")));
    failure(chat, response(101, h -> h.set("Upgrade", "h2c")));
    failure(chat, response(101, h -> h.remove("Connection")));
    failure(chat, response(101, h -> h.set("Connection", "keep-alive")));
  }

  @Test
  void theAcceptMustAnswerThisKey() {
    assertTrue(failure(chat, response(101, h -> h.remove("Sec-WebSocket-Accept")))
        .getMessage().contains("without Sec-WebSocket-Accept"));
    assertTrue(failure(chat, response(101, h -> h.add("Sec-WebSocket-Accept", ACCEPT)))
        .getMessage().contains("more than one"));
    String otherKeysAccept = WebSocketAccept.of("AAAAAAAAAAAAAAAAAAAAAA==");
    assertTrue(failure(chat, response(101, h -> h.set("Sec-WebSocket-Accept", otherKeysAccept)))
        .getMessage().contains("does not answer the key"));
    failure(chat, response(101, h -> h.set("Sec-WebSocket-Accept", ACCEPT.toLowerCase())));
  }

  @Test
  void theSubprotocolMustBeOneOffered() {
    failure(chat, response(101, h -> h.add("Sec-WebSocket-Protocol", "v9")));
    failure(chat, response(101, h -> h.add("Sec-WebSocket-Protocol", "CHAT")));
    failure(chat, response(101, h -> h.add("Sec-WebSocket-Protocol", "chat, superchat")));
    failure(chat, response(101,
        h -> h.add("Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "chat")));
    ClientHandshake none = ClientHandshake.to("ws://h/");
    assertTrue(failure(none, response(101, h -> h.add("Sec-WebSocket-Protocol", "chat")))
        .getMessage().contains("none was offered"));
  }

  @Test
  void extensionsMustBeOnesOffered() {
    assertTrue(failure(chat, response(101,
            h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate")))
        .getMessage().contains("not offered"));
    ClientHandshake deflate = chat.extensions(WebSocketExtension.of("permessage-deflate"));
    failure(deflate, response(101,
        h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate, x-webkit-deflate-frame")));
    failure(deflate, response(101, h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate;")));
  }

  @Test
  void theAttemptValidatesAgainstItsOwnKey() {
    ClientHandshake.Attempt attempt = chat.newAttempt();
    HttpResponseHead answer = response(101,
        h -> h.set("Sec-WebSocket-Accept", WebSocketAccept.of(attempt.key())));
    assertNull(attempt.validate(answer).subprotocol());
    assertThrows(HandshakeException.class, () -> chat.newAttempt().validate(answer));
  }

  @Test
  void aFailureCanCarryTheStartOfTheBody() {
    HandshakeException e = failure(chat, HttpResponseHead.of(403, HttpHeaders.empty()));
    assertEquals("", e.body());
    HandshakeException withBody = e.withBody("origin not allowed");
    assertEquals("origin not allowed", withBody.body());
    assertEquals(403, withBody.status());
    assertEquals(e.getMessage(), withBody.getMessage());
  }
}
