package io.reactivews.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExcerptsTest {

  @Test
  void shortPayloadsAreShownWhole() {
    assertEquals("{\"a\":1}", Excerpts.around(utf8("{\"a\":1}"), 3));
  }

  @Test
  void anExcerptNeverSplitsACharacterWhereverTheErrorIs() {
    // One-, two-, three- and four-byte characters in turn: 10 bytes per round.
    String text = "aé€😀".repeat(30);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

    for (int offset = -1; offset <= bytes.length; offset++) {
      String excerpt = Excerpts.around(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), offset);
      String body = excerpt.replace("…", "");

      assertFalse(excerpt.contains("\uFFFD"), "offset " + offset + ": " + excerpt);
      assertTrue(text.contains(body), "offset " + offset + ": " + excerpt);
      int size = body.getBytes(StandardCharsets.UTF_8).length;
      // Each end gives up at most the three trailing bytes of a cut character.
      assertTrue(size <= Excerpts.WIDTH && size >= Excerpts.WIDTH - 6,
          "offset " + offset + ": " + size + " bytes");
    }
  }

  @Test
  void theWindowHoldsTheErrorWithMostContextBeforeIt() {
    String text = "0123456789".repeat(20);

    String excerpt = Excerpts.around(utf8(text), 100);

    assertEquals("…" + text.substring(58, 122) + "…", excerpt);
  }

  @Test
  void theWindowOfAViewStartsAtItsPosition() {
    ByteBuffer view = ByteBuffer.wrap("xxxx{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    view.position(4);

    assertEquals("{\"a\":1}", Excerpts.around(view.slice(), 0));
    assertEquals("{\"a\":1}", Excerpts.around(view, 0));
    assertEquals(4, view.position());
  }

  @Test
  void controlCharactersAreEscapedSoAnExcerptIsOneLine() {
    assertEquals("a\\nb\\r\\tc\\u0000\\u2028", Excerpts.escape("a\nb\r\tc\u0000\u2028"));
  }

  @Test
  void truncationKeepsSurrogatePairsWhole() {
    assertEquals("ab…", Excerpts.truncate("ab😀", 3));
    assertEquals("ab😀", Excerpts.truncate("ab😀", 4));
  }

  private static ByteBuffer utf8(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  @Test
  void quotedTextIsBoundedEscapedAndInQuotes() {
    String forged = "2{\"a\":1}\nINFO all good" + "x".repeat(100);
    String quoted = Excerpts.quoted(forged);
    assertEquals('"' + ("2{\"a\":1}\\nINFO all good" + "x".repeat(100)).substring(0, 65) + "…\"",
        quoted);
    assertEquals("\"short\"", Excerpts.quoted("short"));
  }
}
