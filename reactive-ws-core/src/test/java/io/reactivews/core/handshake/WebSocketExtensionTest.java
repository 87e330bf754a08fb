package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 section 9.1 (and RFC 7692's use of it): the Sec-WebSocket-Extensions grammar. */
class WebSocketExtensionTest {

  @Test
  void aListOfExtensionsWithParameters() {
    List<WebSocketExtension> list = WebSocketExtension.parse(
        "permessage-deflate; client_max_window_bits ; server_max_window_bits=10 ,"
            + " x-foo;level=\"3\", ,bare");
    assertEquals(3, list.size());
    WebSocketExtension deflate = list.get(0);
    assertEquals("permessage-deflate", deflate.name());
    assertEquals(List.of(new WebSocketExtension.Parameter("client_max_window_bits", null),
        new WebSocketExtension.Parameter("server_max_window_bits", "10")), deflate.parameters());
    assertTrue(deflate.hasParameter("CLIENT_MAX_WINDOW_BITS"));
    assertNull(deflate.parameterValue("client_max_window_bits"));
    assertEquals("3", list.get(1).parameterValue("level"));
    assertEquals(List.of(), list.get(2).parameters());
  }

  @Test
  void repeatedParametersAreKeptForTheExtensionToJudge() {
    WebSocketExtension e = WebSocketExtension.parse("x; a=1; a=2").get(0);
    assertEquals(2, e.parameters().size());
    assertEquals("1", e.parameterValue("a"));
  }

  @Test
  void anEmptyValueHasNoExtensions() {
    assertEquals(List.of(), WebSocketExtension.parse(""));
    assertEquals(List.of(), WebSocketExtension.parse(" , "));
  }

  @Test
  void writtenFormParsesBackToTheSame() {
    WebSocketExtension e = WebSocketExtension.of("permessage-deflate")
        .withParameter("client_no_context_takeover").withParameter("server_max_window_bits", "12");
    assertEquals("permessage-deflate; client_no_context_takeover; server_max_window_bits=12",
        e.toString());
    List<WebSocketExtension> two = List.of(e, WebSocketExtension.of("x"));
    assertEquals(two, WebSocketExtension.parse(WebSocketExtension.format(two)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a;", "a; =1", "a; b=", "a; b=\"1", "a; b=\"1 2\"", "a b", "a; b c",
      "(a)", "a; b=1=2", "a;; b", "a; b=\"\""})
  void malformedValuesAreRefusedWithAPosition(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebSocketExtension.parse(value));
    assertTrue(e.getMessage().startsWith("malformed Sec-WebSocket-Extensions at "), e.getMessage());
  }

  @Test
  void namesAndValuesMustBeTokens() {
    assertThrows(IllegalArgumentException.class, () -> WebSocketExtension.of("a b"));
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketExtension.of("a").withParameter("b", "1 2"));
    assertFalse(WebSocketExtension.of("a").hasParameter("b"));
  }
}
