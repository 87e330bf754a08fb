package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 section 3: ws and wss URIs. */
class WebSocketUriTest {

  @Test
  void aFullUriComesApart() {
    WebSocketUri uri = WebSocketUri.parse("wss://[::1]:8443/chat?room=1");
    assertTrue(uri.isSecure());
    assertEquals("::1", uri.host());
    assertEquals(8443, uri.port());
    assertEquals("[::1]:8443", uri.hostHeader());
    assertEquals("/chat?room=1", uri.requestTarget());
    assertEquals("wss://[::1]:8443/chat?room=1", uri.toString());
  }

  @ParameterizedTest
  @CsvSource({
      "ws://h, false, 80",
      "wss://h, true, 443",
      "http://h, false, 80",
      "HTTPS://h, true, 443",
      "WS://h:1, false, 1",
      "ws://h:65535, false, 65535",
      "ws://h:/, false, 80"})
  void schemesAndDefaultPorts(String text, boolean secure, int port) {
    WebSocketUri uri = WebSocketUri.parse(text);
    assertEquals(secure, uri.isSecure());
    assertEquals(port, uri.port());
    assertEquals(secure ? "wss" : "ws", uri.scheme());
  }

  @Test
  void anEmptyPathIsTheRoot() {
    assertEquals("/", WebSocketUri.parse("ws://h").requestTarget());
    assertEquals("/?q", WebSocketUri.parse("ws://h?q").requestTarget());
  }

  @Test
  void nonAsciiIsEncoded() {
    WebSocketUri uri = WebSocketUri.parse("ws://b\u00fccher.example/caf\u00e9?q=\u00e9");
    assertEquals("xn--bcher-kva.example", uri.host());
    assertEquals("/caf%C3%A9?q=%C3%A9", uri.requestTarget());
  }

  @Test
  void underscoresInHostNamesAreAccepted() {
    assertEquals("my_service", WebSocketUri.parse("ws://my_service:8080/").host());
  }

  @Test
  void theDefaultPortIsLeftOutOfTheHostHeader() {
    assertEquals("h", WebSocketUri.parse("ws://h:80").hostHeader());
    assertFalse(WebSocketUri.parse("wss://h:80").isDefaultPort());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ftp://h/ | must start with",
      "h/chat | must start with",
      "ws:h | needs //",
      "ws:///chat | needs a host",
      "ws://h/chat#frag | fragment",
      "ws://user:pw@h/ | user info",
      "ws://user@h/ | user info",
      "ws://h:0/ | port must be 1-65535",
      "ws://h:65536/ | port must be 1-65535",
      "ws://h:x/ | port must be 1-65535",
      "ws://[::1/ | not a valid URI",
      "ws://[zz::1]/ | IPv6",
      "ws://[fe80::1%25eth0]/ | not an IPv6 address",
      "ws://h/a b | not a valid URI",
      "ws://h!x/ | not a valid host name"})
  void badUrisAreRefusedWithAReason(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketUri.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
