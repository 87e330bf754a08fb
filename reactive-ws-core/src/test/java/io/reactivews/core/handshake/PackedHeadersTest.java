package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed form of {@link HttpHeaders#compact()}: every field comes back as it was spelled. */
class PackedHeadersTest {

  private static void assertRoundTrip(String... namesAndValues) {
    String[] names = new String[namesAndValues.length / 2];
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = namesAndValues[2 * i];
      values[i] = namesAndValues[2 * i + 1];
    }
    byte[] packed = PackedHeaders.pack(names, values);
    assertEquals(names.length, PackedHeaders.size(packed));
    String[] n = new String[names.length];
    String[] v = new String[names.length];
    PackedHeaders.unpack(packed, n, v);
    assertArrayEquals(names, n);
    assertArrayEquals(values, v);
    // And through the public type (which trims values): the same fields, in order.
    HttpHeaders original = HttpHeaders.of(namesAndValues);
    HttpHeaders compact = original.compact();
    assertEquals(original, compact);
    for (int i = 0; i < names.length; i++) {
      assertEquals(original.name(i), compact.name(i));
      assertEquals(original.value(i), compact.value(i));
    }
  }

  @Test
  void anUpgradeRequestTakesAByteForEachCommonNameAndValue() {
    String key = "dGhlIHNhbXBsZSBub25jZQ==";
    String[] names = {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"};
    String[] values = {"127.0.0.1:9001", "websocket", "Upgrade", key, "13"};
    byte[] packed = PackedHeaders.pack(names, values);
    // Five names and three values as codes, the host and key as text, nine separators.
    assertEquals(8 + "127.0.0.1:9001".length() + key.length() + 9, packed.length);
    assertRoundTrip("Host", "127.0.0.1:9001", "Upgrade", "websocket", "Connection", "Upgrade",
        "Sec-WebSocket-Key", key, "Sec-WebSocket-Version", "13");
  }

  @Test
  void otherSpellingsOfCommonEntriesStayAsTheyWere() {
    assertRoundTrip("host", "a", "UPGRADE", "WebSocket", "connection", "upgrade",
        "Sec-Websocket-Version", "13 ", "X-Host", "Host");
  }

  @Test
  void emptyValuesTabsAndLatin1Survive() {
    assertRoundTrip("X-Empty", "", "X-Tab", "a\tb", "X-Latin", "caf\u00e9 \u00ff", "Last", "");
    assertRoundTrip("Only", "");
    assertRoundTrip("X-Tab-Only", "\t");
  }

  @Test
  void randomHeadersMadeOfCommonAndOtherPartsRoundTrip() {
    List<String> parts = List.of("Host", "Upgrade", "upgrade", "websocket", "13", "*/*", "a",
        "", "x\ty", "Origin", "no-cache", "Cookie", "\u00e9", "Accept");
    Random random = new Random(13);
    for (int round = 0; round < 500; round++) {
      int fields = 1 + random.nextInt(8);
      List<String> namesAndValues = new ArrayList<>();
      for (int i = 0; i < fields; i++) {
        String name;
        do {
          name = parts.get(random.nextInt(parts.size()));
        } while (!isToken(name));
        namesAndValues.add(name);
        namesAndValues.add(parts.get(random.nextInt(parts.size())));
      }
      assertRoundTrip(namesAndValues.toArray(String[]::new));
    }
  }

  private static boolean isToken(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '/');
  }

  @Test
  void packedIsSmallerThanTheFieldsAsText() {
    String[] names = {"Host", "Origin", "Sec-WebSocket-Extensions"};
    String[] values = {"example.com", "https://example.com",
        "permessage-deflate; client_max_window_bits"};
    int text = 0;
    for (int i = 0; i < names.length; i++) {
      text += names[i].length() + values[i].length() + 2;
    }
    assertTrue(PackedHeaders.pack(names, values).length < text - 50);
  }
}
