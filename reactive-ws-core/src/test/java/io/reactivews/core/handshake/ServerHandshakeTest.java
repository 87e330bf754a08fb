package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 section 4.2: the server reads the client's handshake and answers it. */
class ServerHandshakeTest {

  private static HttpHeaders.Builder rfcHeaders() {
    return HttpHeaders.builder()
        .add("Host", "server.example.com")
        .add("Upgrade", "websocket")
        .add("Connection", "Upgrade")
        .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .add("Origin", "http://example.com")
        .add("Sec-WebSocket-Protocol", "chat, superchat")
        .add("Sec-WebSocket-Version", "13");
  }

  private static HttpRequestHead request(UnaryOperator<HttpHeaders.Builder> change) {
    return HttpRequestHead.get("/chat?room=a%20b", change.apply(rfcHeaders()).build());
  }

  private static HandshakeException rejected(HttpRequestHead request, int status) {
    HandshakeException e =
        assertThrows(HandshakeException.class, () -> ServerHandshake.validate(request));
    assertEquals(status, e.status(), e.getMessage());
    return e;
  }

  private static HandshakeException rejected(
      UnaryOperator<HttpHeaders.Builder> change, int status) {
    return rejected(request(change), status);
  }

  @Test
  void theRequestOfSection1_2IsValid() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h));
    assertEquals("/chat", req.path());
    assertEquals("room=a%20b", req.rawQuery());
    assertEquals(List.of("a b"), req.queryParameters().get("room"));
    assertEquals("server.example.com", req.host());
    assertEquals("http://example.com", req.origin());
    assertEquals("dGhlIHNhbXBsZSBub25jZQ==", req.key());
    assertEquals(List.of("chat", "superchat"), req.subprotocols());
    assertEquals(List.of(), req.extensions());
  }

  @Test
  void namesAndTokensIgnoreCaseAndListsSpanFields() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h
        .remove("Upgrade").remove("Connection").remove("Sec-WebSocket-Protocol")
        .add("UPGRADE", "h2c, WebSocket")
        .add("connection", "keep-alive")
        .add("CONNECTION", "UPGRADE")
        .add("sec-websocket-protocol", "a")
        .add("Sec-WebSocket-Protocol", "b, c")));
    assertEquals(List.of("a", "b", "c"), req.subprotocols());
  }

  @Test
  void originIsOptional() {
    assertNull(ServerHandshake.validate(request(h -> h.remove("Origin"))).origin());
  }

  @Test
  void offeredExtensionsAreParsedInOrder() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h
        .add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
        .add("Sec-WebSocket-Extensions", "x-foo; level=\"3\", permessage-deflate")));
    assertEquals(3, req.extensions().size());
    assertTrue(req.extensions().get(0).hasParameter("client_max_window_bits"));
    assertEquals("3", req.extensions().get(1).parameterValue("level"));
    assertEquals("permessage-deflate", req.extensions().get(2).name());
  }

  @Test
  void onlyGetMayUpgradeAndOthersAreToldSo() {
    for (String method : new String[] {"POST", "get", "HEAD", "CONNECT"}) {
      HttpRequestHead req = new HttpRequestHead(
          method, "/chat", HttpVersion.HTTP_1_1, rfcHeaders().build());
      HandshakeException e = rejected(req, 405);
      assertEquals(List.of("GET"), e.headers().getAll("Allow"));
    }
  }

  @Test
  void http10Is400AndHttp2Is505() {
    rejected(new HttpRequestHead("GET", "/", HttpVersion.HTTP_1_0, rfcHeaders().build()), 400);
    rejected(new HttpRequestHead("GET", "/", HttpVersion.of(2, 0), rfcHeaders().build()), 505);
    ServerHandshake.validate(
        new HttpRequestHead("GET", "/", HttpVersion.of(1, 2), rfcHeaders().build()));
  }

  @Test
  void hostMustAppearOnceWithAValue() {
    rejected(h -> h.remove("Host"), 400);
    rejected(h -> h.add("Host", "other.example.com"), 400);
    rejected(h -> h.set("Host", ""), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h2c", "websocket2", "web socket", "websocket/13x"})
  void upgradeMustNameWebsocket(String value) {
    HandshakeException e = rejected(h -> h.set("Upgrade", value), 400);
    assertTrue(e.getMessage().contains("Upgrade"), e.getMessage());
  }

  @Test
  void upgradeIsRequired() {
    assertEquals("missing Upgrade: websocket header",
        rejected(h -> h.remove("Upgrade"), 400).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "keep-alive", "close", "upgrade-insecure", "keep-alive upgrade"})
  void connectionMustListUpgrade(String value) {
    HandshakeException e = rejected(h -> h.set("Connection", value), 400);
    assertTrue(e.getMessage().contains("Connection"), e.getMessage());
    rejected(h -> h.remove("Connection"), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8", "12", "14", "13, 8", "013", "13.0"})
  void otherVersionsGet426WithTheVersionWeSpeak(String version) {
    HandshakeException e = rejected(h -> h.set("Sec-WebSocket-Version", version), 426);
    assertEquals(List.of("13"), e.headers().getAll("Sec-WebSocket-Version"));
  }

  @Test
  void aMissingOrRepeatedVersionGets426() {
    HandshakeException missing = rejected(h -> h.remove("Sec-WebSocket-Version"), 426);
    assertEquals("13", missing.headers().get("Sec-WebSocket-Version"));
    rejected(h -> h.add("Sec-WebSocket-Version", "13"), 426);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "dGhlIHNhbXBsZSBub25jZQ", "c2hvcnQ=", "dGhlIHNhbXBsZSBub25jZXM=",
      "not base64 at all!!!!!!!", "dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ=="})
  void theKeyMustBeBase64OfSixteenBytes(String key) {
    rejected(h -> h.set("Sec-WebSocket-Key", key), 400);
  }

  @Test
  void theKeyMustAppearExactlyOnce() {
    assertEquals("missing Sec-WebSocket-Key header",
        rejected(h -> h.remove("Sec-WebSocket-Key"), 400).getMessage());
    assertEquals("more than one Sec-WebSocket-Key header",
        rejected(h -> h.add("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="), 400).getMessage());
  }

  @Test
  void aRequestWithABodyIsRefused() {
    rejected(h -> h.add("Content-Length", "5"), 400);
    rejected(h -> h.add("Transfer-Encoding", "chunked"), 400);
    ServerHandshake.validate(request(h -> h.add("Content-Length", "0")));
  }

  @Test
  void malformedSubprotocolsAndExtensionsAreRefused() {
    rejected(h -> h.set("Sec-WebSocket-Protocol", "chat, su(per)chat"), 400);
    rejected(h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate; =1"), 400);
  }

  @Test
  void upgradeRequestsAreToldApartFromPlainRequests() {
    assertTrue(ServerHandshake.isUpgradeRequest(request(h -> h)));
    assertTrue(ServerHandshake.isUpgradeRequest(request(h -> h.remove("Upgrade"))));
    HttpRequestHead page = HttpRequestHead.get("/", HttpHeaders.of("Host", "h", "Accept", "*/*"));
    assertFalse(ServerHandshake.isUpgradeRequest(page));
    HttpRequestHead h2c = HttpRequestHead.get("/",
        HttpHeaders.of("Host", "h", "Upgrade", "h2c", "Connection", "Upgrade"));
    assertFalse(ServerHandshake.isUpgradeRequest(h2c));
  }

  @Test
  void acceptWritesThe101OfSection1_2() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h));
    HttpResponseHead ok = ServerHandshake.accept(req, "chat", List.of());
    assertArrayEquals(ascii("HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        + "Sec-WebSocket-Protocol: chat\r\n"
        + "\r\n"), ok.toBytes());
  }

  @Test
  void acceptAddsExtensionsAndExtraHeaders() {
    UpgradeRequest req = ServerHandshake.validate(request(
        h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")));
    WebSocketExtension deflate = WebSocketExtension.of("permessage-deflate")
        .withParameter("server_no_context_takeover");
    HttpResponseHead ok = ServerHandshake.accept(
        req, null, List.of(deflate), HttpHeaders.of("Set-Cookie", "sid=1"));
    assertNull(ok.headers().get("Sec-WebSocket-Protocol"));
    assertEquals("permessage-deflate; server_no_context_takeover",
        ok.headers().get("Sec-WebSocket-Extensions"));
    assertEquals("sid=1", ok.headers().get("Set-Cookie"));
  }

  @Test
  void acceptRefusesWhatWasNotOffered() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h));
    assertThrows(IllegalArgumentException.class,
        () -> ServerHandshake.accept(req, "CHAT", List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> ServerHandshake.accept(req, null, List.of(WebSocketExtension.of("x-foo"))));
    UpgradeRequest none =
        ServerHandshake.validate(request(h -> h.remove("Sec-WebSocket-Protocol")));
    assertThrows(IllegalArgumentException.class,
        () -> ServerHandshake.accept(none, "chat", List.of()));
  }

  @Test
  void acceptRefusesExtraHeadersThatTheHandshakeSets() {
    UpgradeRequest req = ServerHandshake.validate(request(h -> h));
    for (String name : new String[] {"upgrade", "Connection", "Sec-WebSocket-Accept",
        "sec-websocket-protocol", "Sec-WebSocket-Extensions"}) {
      assertThrows(IllegalArgumentException.class,
          () -> ServerHandshake.accept(req, null, List.of(), HttpHeaders.of(name, "x")), name);
    }
  }

  @Test
  void rejectWritesAWholeResponseThatClosesTheConnection() {
    HttpResponse r = ServerHandshake.reject(403, null, HttpHeaders.of("X-Why", "origin"), "nope");
    assertArrayEquals(ascii("HTTP/1.1 403 Forbidden\r\n"
        + "X-Why: origin\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: 4\r\n"
        + "Connection: close\r\n"
        + "\r\n"
        + "nope"), Wire.written(r, x -> x.writeTo(Wire.ALLOC)));
  }

  @Test
  void rejectCountsTheBodyInUtf8Bytes() {
    HttpResponse r = ServerHandshake.reject(400, "Bad", HttpHeaders.empty(), "\u20ac");
    assertEquals("3", r.head().headers().get("Content-Length"));
    assertEquals("\u20ac", r.bodyText());
    HttpResponse empty = ServerHandshake.reject(404, null, HttpHeaders.empty(), null);
    assertEquals("0", empty.head().headers().get("Content-Length"));
    assertFalse(empty.head().headers().contains("Content-Type"));
  }

  @Test
  void aResponseOfBytesSendsThemAsTheyAre() {
    byte[] notUtf8 = {(byte) 0x89, 'P', 'N', 'G', (byte) 0x80, (byte) 0xff};
    HttpResponse r = ServerHandshake.response(200, null,
        HttpHeaders.of("Content-Type", "image/png"), notUtf8);
    assertEquals("6", r.head().headers().get("Content-Length"));
    assertEquals("image/png", r.head().headers().get("Content-Type"));
    assertArrayEquals(notUtf8, r.body());
  }

  @Test
  void rejectKeepsTheFramingToItself() {
    for (String name : new String[] {"Content-Length", "Transfer-Encoding", "connection"}) {
      assertThrows(IllegalArgumentException.class,
          () -> ServerHandshake.reject(400, null, HttpHeaders.of(name, "1"), "x"), name);
    }
    assertThrows(IllegalArgumentException.class,
        () -> ServerHandshake.reject(101, null, HttpHeaders.empty(), ""));
    assertThrows(IllegalArgumentException.class,
        () -> ServerHandshake.reject(400, "a\r\nb", HttpHeaders.empty(), ""));
  }

  @Test
  void aFailureBecomesItsResponse() {
    HandshakeException e = rejected(h -> h.set("Sec-WebSocket-Version", "8"), 426);
    HttpResponse r = ServerHandshake.reject(e);
    assertEquals(426, r.status());
    assertEquals("Upgrade Required", r.head().reason());
    assertEquals("13", r.head().headers().get("Sec-WebSocket-Version"));
    assertEquals("close", r.head().headers().get("Connection"));
    assertEquals(e.getMessage() + "\n", r.bodyText());
  }

  @Test
  void theServersMostPreferredSharedSubprotocolIsSelected() {
    List<String> offered = List.of("v1", "v2", "v3");
    assertEquals("v3", ServerHandshake.selectSubprotocol(offered, List.of("v4", "v3", "v1")));
    assertEquals("v1", ServerHandshake.selectSubprotocol(offered, List.of("v1", "v3")));
    assertNull(ServerHandshake.selectSubprotocol(offered, List.of("V1", "v5")));
    assertNull(ServerHandshake.selectSubprotocol(List.of(), List.of("v1")));
  }
}
