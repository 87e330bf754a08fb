package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request and response heads: their parts, their wire form, and what they refuse to write. */
class HttpHeadsTest {

  @Test
  void requestHeadWritesCrlfLinesAndABlankLine() {
    HttpRequestHead head = HttpRequestHead.get("/chat?x=1", HttpHeaders.of("Host", "h", "A", "b"));
    byte[] expected = ascii("GET /chat?x=1 HTTP/1.1\r\nHost: h\r\nA: b\r\n\r\n");
    assertArrayEquals(expected, head.toBytes());
    assertArrayEquals(expected, Wire.written(head, h -> h.writeTo(Wire.ALLOC)));
  }

  @Test
  void responseHeadWritesCrlfLinesAndABlankLine() {
    HttpResponseHead head = HttpResponseHead.of(101, HttpHeaders.of("Upgrade", "websocket"));
    byte[] expected = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
    assertArrayEquals(expected, head.toBytes());
    assertArrayEquals(expected, Wire.written(head, h -> h.writeTo(Wire.ALLOC)));
  }

  @Test
  void latin1ValuesAreWrittenAsSingleBytes() {
    HttpRequestHead head = HttpRequestHead.get("/", HttpHeaders.of("X", "caf\u00e9"));
    byte[] bytes = head.toBytes();
    assertEquals((byte) 0xE9, bytes[bytes.length - 5]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a b", "/a\r\nX: y", "/\u00e9", "/a#b", "/\u0000"})
  void requestTargetsThatCouldBreakTheLineAreRefused(String target) {
    assertThrows(IllegalArgumentException.class,
        () -> HttpRequestHead.get(target, HttpHeaders.empty()));
  }

  @Test
  void methodsMustBeTokens() {
    assertThrows(IllegalArgumentException.class,
        () -> new HttpRequestHead("GE T", "/", HttpVersion.HTTP_1_1, HttpHeaders.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new HttpRequestHead("GET\r\n", "/", HttpVersion.HTTP_1_1, HttpHeaders.empty()));
  }

  @Test
  void reasonPhrasesCannotEndTheLine() {
    assertThrows(IllegalArgumentException.class, () -> new HttpResponseHead(
        400, "Bad\r\nSet-Cookie: x", HttpVersion.HTTP_1_1, HttpHeaders.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new HttpResponseHead(99, "", HttpVersion.HTTP_1_1, HttpHeaders.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new HttpResponseHead(1000, "", HttpVersion.HTTP_1_1, HttpHeaders.empty()));
  }

  @Test
  void pathAndQueryOfAnOriginFormTarget() {
    HttpRequestHead head = HttpRequestHead.get("/a%2Fb/c?x=1&y", HttpHeaders.empty());
    assertEquals("/a%2Fb/c", head.path());
    assertEquals("x=1&y", head.rawQuery());
    HttpRequestHead bare = HttpRequestHead.get("/chat", HttpHeaders.empty());
    assertEquals("/chat", bare.path());
    assertNull(bare.rawQuery());
    assertEquals(Map.of(), bare.queryParameters());
  }

  @Test
  void pathOfAnAbsoluteFormTarget() {
    assertEquals("/chat", HttpRequestHead.get("http://h:80/chat?x", HttpHeaders.empty()).path());
    assertEquals("/", HttpRequestHead.get("http://h:80?x", HttpHeaders.empty()).path());
    assertEquals("x", HttpRequestHead.get("http://h?x", HttpHeaders.empty()).rawQuery());
  }

  @Test
  void queryParametersArePercentDecodedInOrder() {
    HttpRequestHead head = HttpRequestHead.get(
        "/?b=1&a=x%20y+z&b=%E2%82%AC&flag&&c=&bad=%zz%4", HttpHeaders.empty());
    Map<String, List<String>> params = head.queryParameters();
    assertEquals(List.of("b", "a", "flag", "c", "bad"), List.copyOf(params.keySet()));
    assertEquals(List.of("1", "\u20ac"), params.get("b"));
    assertEquals(List.of("x y z"), params.get("a"));
    assertEquals(List.of(""), params.get("flag"));
    assertEquals(List.of(""), params.get("c"));
    assertEquals(List.of("%zz%4"), params.get("bad"));
    assertThrows(UnsupportedOperationException.class, () -> params.put("d", List.of()));
  }

  @Test
  void versionsAreTwoDigits() {
    assertEquals(HttpVersion.HTTP_1_1, HttpVersion.parse("HTTP/1.1"));
    assertTrue(HttpVersion.parse("HTTP/2.0").isAtLeast(HttpVersion.HTTP_1_1));
    assertFalse(HttpVersion.HTTP_1_0.isAtLeast(HttpVersion.HTTP_1_1));
    for (String bad : new String[] {"HTTP/1.10", "HTTP/1", "http/1.1", "HTTP/a.1", "HTTP/1.1 "}) {
      assertThrows(IllegalArgumentException.class, () -> HttpVersion.parse(bad), bad);
    }
  }

  @Test
  void toStringHidesCredentials() {
    HttpRequestHead head =
        HttpRequestHead.get("/", HttpHeaders.of("Authorization", "Basic c2VjcmV0"));
    assertFalse(head.toString().contains("c2VjcmV0"), head.toString());
    assertTrue(head.toString().startsWith("GET / HTTP/1.1\nAuthorization: <hidden>"));
  }
}
