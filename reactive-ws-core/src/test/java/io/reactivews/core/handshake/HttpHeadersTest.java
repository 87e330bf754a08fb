package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 section 5: names ignore case, lists span repeated fields, values stay on one line. */
class HttpHeadersTest {

  private final HttpHeaders headers = HttpHeaders.of(
      "Host", "a.example",
      "Connection", "keep-alive, Upgrade",
      "X-Multi", "1",
      "connection", " ,close,, ",
      "x-multi", "2");

  @Test
  void namesIgnoreCase() {
    assertEquals("a.example", headers.get("HOST"));
    assertEquals(List.of("1", "2"), headers.getAll("X-MULTI"));
    assertTrue(headers.contains("host"));
    assertFalse(headers.contains("Origin"));
    assertNull(headers.get("Origin"));
    assertEquals(List.of(), headers.getAll("Origin"));
  }

  @Test
  void tokensSpanEveryFieldOfAName() {
    assertEquals(List.of("keep-alive", "Upgrade", "close"), headers.tokens("Connection"));
    assertEquals(List.of(), headers.tokens("Upgrade"));
  }

  @Test
  void containsTokenIgnoresCase() {
    assertTrue(headers.containsToken("CONNECTION", "upgrade"));
    assertTrue(headers.containsToken("connection", "CLOSE"));
    assertFalse(headers.containsToken("Connection", "upgrade2"));
    assertFalse(headers.containsToken("Connection", "keep"));
  }

  @Test
  void orderAndSpellingAreKept() {
    assertEquals(5, headers.size());
    assertEquals("connection", headers.name(3));
    assertEquals(",close,,", headers.value(3));
    assertEquals(List.of("Host", "Connection", "X-Multi"), headers.names());
    List<String> seen = new ArrayList<>();
    headers.forEach((n, v) -> seen.add(n + "=" + v));
    assertEquals("Host=a.example", seen.get(0));
    assertEquals("x-multi=2", seen.get(4));
  }

  @Test
  void setReplacesEveryFieldInPlaceAndRemoveDropsThem() {
    HttpHeaders h = headers.toBuilder().set("CONNECTION", "close").remove("X-MULTI").build();
    assertEquals(List.of("Host", "CONNECTION"), h.names());
    assertEquals(List.of("close"), h.getAll("connection"));
  }

  @Test
  void equalityIgnoresNameCaseButNotValuesOrOrder() {
    assertEquals(HttpHeaders.of("A", "x", "B", "y"), HttpHeaders.of("a", "x", "b", "y"));
    assertEquals(HttpHeaders.of("A", "x").hashCode(), HttpHeaders.of("a", "x").hashCode());
    assertNotEquals(HttpHeaders.of("A", "x"), HttpHeaders.of("A", "X"));
    assertNotEquals(HttpHeaders.of("A", "x", "B", "y"), HttpHeaders.of("B", "y", "A", "x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nInjected: yes", "a\nb", "a\rb", "a\u0000b", "a\u001bb", "\u0100"})
  void valuesThatCouldBreakTheHeadAreRefused(String value) {
    assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-A", value));
    assertThrows(IllegalArgumentException.class,
        () -> HttpHeaders.builder().set("X-A", value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "X A", "X:A", "X\r\nA", "X\u0000", "Caf\u00e9", "(x)"})
  void namesMustBeTokens(String name) {
    assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of(name, "v"));
  }

  @Test
  void spacesAroundValuesAreDroppedAndTabsInsideKept() {
    assertEquals("a\tb", HttpHeaders.of("X", " \ta\tb \t").get("x"));
  }

  @Test
  void namesAndValuesComeInPairs() {
    assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("A"));
  }

  @Test
  void toStringHidesCredentials() {
    String s = HttpHeaders.of("Authorization", "Bearer secret", "Cookie", "sid=secret",
        "Host", "h").toString();
    assertFalse(s.contains("secret"), s);
    assertTrue(s.contains("Authorization: <hidden>"), s);
    assertTrue(s.contains("Host: h"), s);
  }

  @Test
  void compactHeadersReadLikeTheOriginal() {
    HttpHeaders withEmpty = headers.toBuilder().add("X-Empty", "").add("Origin", "o").build();
    HttpHeaders compact = withEmpty.compact();
    assertEquals(withEmpty, compact);
    assertEquals(compact, withEmpty);
    assertEquals(withEmpty.hashCode(), compact.hashCode());
    assertEquals(withEmpty.toString(), compact.toString());
    assertEquals(7, compact.size());
    assertEquals("X-Empty", compact.name(5));
    assertEquals("", compact.value(5));
    assertEquals("", compact.get("x-empty"));
    assertEquals(List.of("1", "2"), compact.getAll("X-MULTI"));
    assertEquals(List.of("keep-alive", "Upgrade", "close"), compact.tokens("Connection"));
    assertTrue(compact.containsToken("connection", "upgrade"));
    assertEquals(withEmpty.names(), compact.names());
    List<String> seen = new ArrayList<>();
    compact.forEach((name, value) -> seen.add(name + "=" + value));
    assertEquals("Origin=o", seen.get(6));
    assertEquals(withEmpty, compact.toBuilder().build());
    assertFalse(compact.isEmpty());
  }

  @Test
  void compactingNoHeadersGivesTheEmptyOnes() {
    assertTrue(HttpHeaders.empty().compact().isEmpty());
    assertEquals(0, HttpHeaders.empty().compact().size());
  }
}
