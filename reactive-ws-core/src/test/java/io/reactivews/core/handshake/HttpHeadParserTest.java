package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.Wire.ascii;
import static io.reactivews.core.handshake.Wire.concat;
import static io.reactivews.core.handshake.Wire.everyByte;
import static io.reactivews.core.handshake.Wire.feed;
import static io.reactivews.core.handshake.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 sections 2-5 as the handshake needs them: heads arriving in pieces, and bad input. */
class HttpHeadParserTest {

  /** The client handshake of RFC 6455 section 1.2. */
  static final String REQUEST = "GET /chat HTTP/1.1\r\n"
      + "Host: server.example.com\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      + "Origin: http://example.com\r\n"
      + "Sec-WebSocket-Protocol: chat, superchat\r\n"
      + "Sec-WebSocket-Version: 13\r\n"
      + "\r\n";

  /** The server handshake of RFC 6455 section 1.2. */
  static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      + "Sec-WebSocket-Protocol: chat\r\n"
      + "\r\n";

  /** A masked text frame "Hello" from a client (RFC 6455 section 5.7). */
  static final byte[] MASKED_HELLO = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");

  /** An unmasked text frame "Hello" from a server, then a ping (RFC 6455 section 5.7). */
  static final byte[] HELLO_AND_PING = hex("81 05 48 65 6c 6c 6f 89 00");

  private static void assertRfcRequest(HttpRequestHead head) {
    assertNotNull(head);
    assertEquals("GET", head.method());
    assertEquals("/chat", head.target());
    assertEquals(HttpVersion.HTTP_1_1, head.version());
    assertEquals(7, head.headers().size());
    assertEquals("server.example.com", head.headers().get("host"));
    assertEquals(List.of("chat", "superchat"), head.headers().tokens("Sec-WebSocket-Protocol"));
  }

  private static void assertRfcResponse(HttpResponseHead head) {
    assertNotNull(head);
    assertEquals(101, head.status());
    assertEquals("Switching Protocols", head.reason());
    assertEquals(4, head.headers().size());
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head.headers().get("SEC-WEBSOCKET-ACCEPT"));
  }

  @Test
  void requestInOneBuffer() {
    var parsed = feed(HttpHeadParser.forRequest(), ascii(REQUEST));
    assertRfcRequest(parsed.head());
    assertEquals(0, parsed.leftover().length);
  }

  @Test
  void requestOneByteAtATime() {
    byte[] bytes = ascii(REQUEST);
    var parsed = feed(HttpHeadParser.forRequest(), bytes, everyByte(bytes.length));
    assertRfcRequest(parsed.head());
  }

  @Test
  void requestSplitAtEveryByteIntoTwoBuffers() {
    byte[] bytes = ascii(REQUEST);
    for (int cut = 0; cut <= bytes.length; cut++) {
      var parsed = feed(HttpHeadParser.forRequest(), bytes, cut);
      assertRfcRequest(parsed.head());
      assertEquals(0, parsed.leftover().length, "cut at " + cut);
    }
  }

  @Test
  void framesAfterTheRequestAreLeftReadableWhereverTheBytesSplit() {
    byte[] bytes = concat(ascii(REQUEST), MASKED_HELLO);
    for (int cut = 0; cut <= bytes.length; cut++) {
      var parsed = feed(HttpHeadParser.forRequest(), bytes, cut);
      assertRfcRequest(parsed.head());
      assertArrayEquals(MASKED_HELLO, parsed.leftover(), "cut at " + cut);
    }
    var parsed = feed(HttpHeadParser.forRequest(), bytes, everyByte(bytes.length));
    assertArrayEquals(MASKED_HELLO, parsed.leftover());
  }

  @Test
  void readerIndexStopsJustAfterTheBlankLine() {
    byte[] head = ascii(REQUEST);
    ByteBuf buf = Wire.ALLOC.buffer().writeBytes(head).writeBytes(MASKED_HELLO);
    try {
      assertRfcRequest(HttpHeadParser.forRequest().parse(buf));
      assertEquals(head.length, buf.readerIndex());
      assertEquals(MASKED_HELLO.length, buf.readableBytes());
    } finally {
      buf.release();
    }
  }

  @Test
  void responseInOneBufferOneByteAtATimeAndSplitAnywhere() {
    byte[] bytes = ascii(RESPONSE);
    assertRfcResponse(feed(HttpHeadParser.forResponse(), bytes).head());
    assertRfcResponse(feed(HttpHeadParser.forResponse(), bytes, everyByte(bytes.length)).head());
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertRfcResponse(feed(HttpHeadParser.forResponse(), bytes, cut).head());
    }
  }

  @Test
  void framesAfterTheResponseAreLeftReadableWhereverTheBytesSplit() {
    byte[] bytes = concat(ascii(RESPONSE), HELLO_AND_PING);
    for (int cut = 0; cut <= bytes.length; cut++) {
      var parsed = feed(HttpHeadParser.forResponse(), bytes, cut);
      assertRfcResponse(parsed.head());
      assertArrayEquals(HELLO_AND_PING, parsed.leftover(), "cut at " + cut);
    }
    var parsed = feed(HttpHeadParser.forResponse(), bytes, everyByte(bytes.length));
    assertArrayEquals(HELLO_AND_PING, parsed.leftover());
  }

  @Test
  void incompleteHeadReturnsNullAndConsumesEverything() {
    HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequest();
    assertFalse(parser.isStarted());
    var parsed = feed(parser, ascii("GET / HTTP/1.1\r\nHost: a\r\n"));
    assertNull(parsed.head());
    assertTrue(parser.isStarted());
  }

  @Test
  void aParserReadsOneHead() {
    HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequest();
    assertNotNull(feed(parser, ascii(REQUEST)).head());
    assertFalse(parser.isStarted());
    assertThrows(IllegalStateException.class, () -> feed(parser, ascii(REQUEST)));
  }

  @Test
  void bareLfEndsLinesToo() {
    var parsed = feed(HttpHeadParser.forRequest(), ascii(REQUEST.replace("\r\n", "\n")));
    assertRfcRequest(parsed.head());
    var mixed = feed(HttpHeadParser.forResponse(), ascii("HTTP/1.1 101 OK\nUpgrade: a\r\n\n"));
    assertEquals("a", mixed.head().headers().get("Upgrade"));
  }

  @Test
  void bareCrIsRejected() {
    assertRequestFails(400, "GET / HTTP/1.1\rHost: a\r\n\r\n", "CR not followed by LF");
  }

  @Test
  void emptyLinesBeforeTheRequestLineAreSkipped() {
    var parsed = feed(HttpHeadParser.forRequest(), ascii("\r\n\n" + REQUEST));
    assertRfcRequest(parsed.head());
  }

  @Test
  void binaryGarbageFailsAtItsFirstByte() {
    // The start of a TLS ClientHello sent to a plain-text port.
    byte[] hello = hex("16 03 01 02 00 01 00 01 fc 03 03");
    HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequest();
    HandshakeException e = assertThrows(HandshakeException.class, () -> feed(parser, hello, 1));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("0x16"), e.getMessage());
  }

  @Test
  void textGarbageBeforeTheRequestLineIsRejected() {
    assertRequestFails(400, "hello there\r\n" + REQUEST, "malformed request line");
    assertRequestFails(400, "{\"x\": 1}\r\n" + REQUEST, "does not start with a method");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1", "GET /",
      "GET / HTTP/1.1 extra", "GET", "GET / http/1.1", "GET / HTTP/1.10", "GET / HTTP/1",
      "GET / HTTP/x.1", "GET /a#frag HTTP/1.1", "GET\t/ HTTP/1.1", "GET /\u00e9 HTTP/1.1"})
  void malformedRequestLinesAreBadRequests(String line) {
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forRequest(), ascii(line + "\r\nHost: a\r\n\r\n")));
    assertEquals(400, e.status(), e.getMessage());
  }

  @Test
  void whitespaceBeforeTheColonIsRejected() {
    assertRequestFails(400, "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "whitespace");
    assertRequestFails(400, "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", "whitespace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X(y): 1", "X/y: 1", "X\"y: 1", ": empty name", "Caf\u00e9: 1", "X@y: 1"})
  void headerNamesMustBeTokens(String field) {
    assertRequestFails(400, "GET / HTTP/1.1\r\n" + field + "\r\n\r\n", "header");
  }

  @Test
  void aHeaderLineWithoutColonIsRejected() {
    assertRequestFails(400, "GET / HTTP/1.1\r\nHost a\r\n\r\n", "without a colon");
  }

  @Test
  void obsoleteLineFoldingIsRejected() {
    assertRequestFails(400, "GET / HTTP/1.1\r\nX-A: 1\r\n  2\r\n\r\n", "obsolete line folding");
    assertRequestFails(400, "GET / HTTP/1.1\r\n\tX-A: 1\r\n\r\n", "obsolete line folding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0001", "\u001b", "\u007f", "\u000b", "\u000c"})
  void controlCharactersAreRejected(String control) {
    assertRequestFails(
        400, "GET / HTTP/1.1\r\nX-A: a" + control + "b\r\n\r\n", "control character");
  }

  @Test
  void valuesAreTrimmedAndMayHoldTabsAndLatin1() {
    var parsed = feed(HttpHeadParser.forRequest(),
        ascii("GET / HTTP/1.1\r\nX-A: \t a\tb caf\u00e9 \t\r\nX-B:\r\n\r\n"));
    assertEquals("a\tb caf\u00e9", parsed.head().headers().get("x-a"));
    assertEquals("", parsed.head().headers().get("x-b"));
  }

  @Test
  void anOversizedHeadFailsAtTheFirstByteOverTheLimit() {
    int limit = 64;
    String head = "GET / HTTP/1.1\r\nX-Filler: " + "a".repeat(100) + "\r\n\r\n";
    byte[] bytes = ascii(head);
    HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequest(limit, 100);
    for (int i = 0; i < limit; i++) {
      assertNull(feed(parser, new byte[] {bytes[i]}).head());
    }
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(parser, new byte[] {bytes[limit]}));
    assertEquals(431, e.status());
    assertTrue(e.getMessage().contains("larger than 64 bytes"), e.getMessage());
  }

  @Test
  void aHeadOfExactlyTheLimitPasses() {
    byte[] bytes = ascii(REQUEST);
    assertNotNull(feed(HttpHeadParser.forRequest(bytes.length, 100), bytes).head());
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forRequest(bytes.length - 1, 100), bytes,
            everyByte(bytes.length)));
    assertEquals(431, e.status());
  }

  @Test
  void theDefaultLimitIsEightKibibytes() {
    String big = "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(8 * 1024) + "\r\n\r\n";
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forRequest(), ascii(big)));
    assertEquals(431, e.status());
  }

  @Test
  void theHeaderCountIsLimited() {
    StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 100; i++) {
      head.append("X-").append(i).append(": v\r\n");
    }
    var parsed = feed(HttpHeadParser.forRequest(), ascii(head + "\r\n"));
    assertEquals(100, parsed.head().headers().size());

    String oneMore = head + "X-100: v\r\n\r\n";
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forRequest(), ascii(oneMore)));
    assertEquals(431, e.status());
    assertTrue(e.getMessage().contains("more than 100 header fields"), e.getMessage());
  }

  @Test
  void aStatusLineMayOmitTheReason() {
    for (String line : new String[] {"HTTP/1.1 101", "HTTP/1.1 101 "}) {
      var parsed = feed(HttpHeadParser.forResponse(), ascii(line + "\r\n\r\n"));
      assertEquals(101, parsed.head().status());
      assertEquals("", parsed.head().reason());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1 10 Short", "HTTP/1.1 1010 Long", "HTTP/1.1  101 X", "HTTP/1.1",
      "HTTP/1.1 abc X", "HTTP/1.1 099 X", "http/1.1 101 X", "", "SSH-2.0-OpenSSH_9.6"})
  void malformedStatusLinesFailWithNoStatus(String line) {
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forResponse(), ascii(line + "\r\n\r\n")));
    assertEquals(HandshakeException.NO_STATUS, e.status(), e.getMessage());
  }

  @Test
  void responseErrorsAreReportedWithoutAStatus() {
    HandshakeException tooBig = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forResponse(32, 100), ascii(RESPONSE)));
    assertEquals(HandshakeException.NO_STATUS, tooBig.status());
    assertTrue(tooBig.getMessage().contains("response head is larger than 32 bytes"));
    HandshakeException folded = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forResponse(), ascii("HTTP/1.1 101 OK\r\nA: 1\r\n 2\r\n\r\n")));
    assertEquals(HandshakeException.NO_STATUS, folded.status());
  }

  @Test
  void messagesQuoteLittleOfTheInputAndEscapeIt() {
    String line = "GET / HTTP/1.1\r\nBad Name: " + "x".repeat(500) + "\r\n\r\n";
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> feed(HttpHeadParser.forRequest(), ascii(line)));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }

  private static void assertRequestFails(int status, String input, String messagePart) {
    byte[] bytes = ascii(input);
    // Same verdict whole and byte by byte.
    for (int[] cuts : new int[][] {{}, everyByte(bytes.length)}) {
      HandshakeException e = assertThrows(HandshakeException.class,
          () -> feed(HttpHeadParser.forRequest(), bytes, cuts));
      assertEquals(status, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
  }
}
