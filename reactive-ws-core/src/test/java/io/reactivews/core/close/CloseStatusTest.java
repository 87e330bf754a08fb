package io.reactivews.core.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 section 7.4: which close codes may be sent, and section 5.5: a close frame's 125
 * bytes hold the 2-byte code and at most 123 bytes of UTF-8 reason.
 */
class CloseStatusTest {

  /** The codes a close frame may carry, written as the ranges of section 7.4. */
  private static boolean sendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  @Test
  void validOnTheWireExactlyForRegisteredAndPrivateCodes() {
    for (int code = -1; code <= 70_000; code++) {
      assertEquals(sendable(code), CloseStatus.isValidOnWire(code), "code " + code);
    }
    assertFalse(CloseStatus.isValidOnWire(Integer.MIN_VALUE));
    assertFalse(CloseStatus.isValidOnWire(Integer.MAX_VALUE));
  }

  @Test
  void boundariesOfEachRange() {
    int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 3999, 4000, 4999};
    int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535};
    for (int code : valid) {
      assertTrue(CloseStatus.isValidOnWire(code), "code " + code);
      assertEquals(code, CloseStatus.of(code).code());
    }
    for (int code : invalid) {
      assertFalse(CloseStatus.isValidOnWire(code), "code " + code);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(code, "x"));
      assertEquals("close code " + code + " may not be sent", e.getMessage());
    }
  }

  @Test
  void reasonsUpTo123BytesOfUtf8() {
    String[] fits = {
      "a".repeat(123),
      "é".repeat(61) + "a", // 2-byte characters: 122 + 1
      "€".repeat(41), // 3-byte characters: 123
      "😀".repeat(30) + "abc", // 4-byte characters: 120 + 3
    };
    String[] tooLong = {
      "a".repeat(124),
      "é".repeat(62), // 124: the last character crosses the limit
      "€".repeat(41) + "a",
      "😀".repeat(31), // only 62 chars, but 124 bytes
    };
    for (String reason : fits) {
      assertEquals(123, reason.getBytes(StandardCharsets.UTF_8).length);
      CloseStatus status = CloseStatus.of(4000, reason);
      assertEquals(reason, status.reason());
      assertTrue(status.isSendable());
    }
    for (String reason : tooLong) {
      assertEquals(124, reason.getBytes(StandardCharsets.UTF_8).length);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1000, reason));
      assertEquals("close reason is 124 bytes, more than 123", e.getMessage());
    }
    assertEquals(125 - 2, CloseStatus.MAX_REASON_BYTES);
  }

  @Test
  void describingKeepsCodesAndReasonsThatCannotBeSent() {
    CloseStatus abnormal = CloseStatus.describing(1006, "peer vanished: " + "x".repeat(200));
    assertEquals(1006, abnormal.code());
    assertFalse(abnormal.isSendable());
    assertFalse(CloseStatus.describing(1000, "é".repeat(62)).isSendable());
    assertTrue(CloseStatus.describing(1000, "fine").isSendable());
  }

  @Test
  void constantsCarryTheRegisteredCodes() {
    assertEquals(1000, CloseStatus.NORMAL.code());
    assertEquals(1001, CloseStatus.GOING_AWAY.code());
    assertEquals(1002, CloseStatus.PROTOCOL_ERROR.code());
    assertEquals(1003, CloseStatus.UNSUPPORTED_DATA.code());
    assertEquals(1005, CloseStatus.NO_STATUS_RECEIVED.code());
    assertEquals(1006, CloseStatus.ABNORMAL_CLOSURE.code());
    assertEquals(1007, CloseStatus.INVALID_PAYLOAD.code());
    assertEquals(1008, CloseStatus.POLICY_VIOLATION.code());
    assertEquals(1009, CloseStatus.MESSAGE_TOO_BIG.code());
    assertEquals(1010, CloseStatus.MANDATORY_EXTENSION.code());
    assertEquals(1011, CloseStatus.INTERNAL_ERROR.code());
    assertEquals(1012, CloseStatus.SERVICE_RESTART.code());
    assertEquals(1013, CloseStatus.TRY_AGAIN_LATER.code());
    assertEquals(1014, CloseStatus.BAD_GATEWAY.code());
    assertFalse(CloseStatus.NO_STATUS_RECEIVED.isSendable());
    assertFalse(CloseStatus.ABNORMAL_CLOSURE.isSendable());
    assertTrue(CloseStatus.NORMAL.isSendable());
  }

  @Test
  void fitReasonCutsTextToTheLongestStartThatFitsBetweenCharacters() {
    // Each width of UTF-8, with the limit falling inside a character and just after one.
    for (String unit : new String[] {"a", "é", "€", "😀"}) {
      for (int pad = 0; pad < 4; pad++) {
        String text = "a".repeat(pad) + unit.repeat(200);
        String fitted = CloseStatus.fitReason(text);
        int bytes = fitted.getBytes(StandardCharsets.UTF_8).length;
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(text.startsWith(fitted), fitted);
        assertTrue(bytes <= 123, unit + " " + pad + ": " + bytes);
        assertTrue(bytes > 123 - unitBytes, "not the longest start: " + bytes);
        assertTrue(CloseStatus.of(1011, fitted).isSendable());
      }
    }
  }

  @Test
  void fitReasonKeepsTextThatFitsAndNeverSplitsASurrogatePair() {
    String fits = "€".repeat(41);
    assertSame(fits, CloseStatus.fitReason(fits));
    assertEquals("", CloseStatus.fitReason(""));
    // 121 bytes of 'a', then a 4-byte pair: the pair does not fit and is dropped whole.
    assertEquals("a".repeat(121), CloseStatus.fitReason("a".repeat(121) + "😀"));
    // A lone surrogate is written as '?': one byte.
    String lone = "\ud800".repeat(200);
    assertEquals(123, CloseStatus.fitReason(lone).length());
    assertEquals(123, CloseStatus.fitReason(lone).getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void withFittedReasonMakesASendableStatusOfAnyText() {
    CloseStatus status = CloseStatus.INTERNAL_ERROR.withFittedReason("é".repeat(100));
    assertEquals(1011, status.code());
    assertEquals("é".repeat(61), status.reason());
    assertTrue(status.isSendable());
  }

  @Test
  void withReasonKeepsTheCode() {
    CloseStatus status = CloseStatus.GOING_AWAY.withReason("restarting");
    assertEquals(1001, status.code());
    assertEquals("restarting", status.reason());
    assertEquals("", CloseStatus.GOING_AWAY.reason(), "the original is unchanged");
  }

  @Test
  void equalityIsByCodeAndReason() {
    assertEquals(CloseStatus.of(1000), CloseStatus.NORMAL);
    assertEquals(CloseStatus.of(4001, "x"), CloseStatus.of(4001, "x"));
    assertEquals(CloseStatus.of(4001, "x").hashCode(), CloseStatus.of(4001, "x").hashCode());
    assertNotEquals(CloseStatus.of(4001, "x"), CloseStatus.of(4001, "y"));
    assertNotEquals(CloseStatus.of(4001, "x"), CloseStatus.of(4002, "x"));
  }

  @Test
  void toStringIsCodeAndReason() {
    assertEquals("1000", CloseStatus.NORMAL.toString());
    assertEquals("4001 match over", CloseStatus.of(4001, "match over").toString());
  }

  @Test
  void nullReasonsAreRefused() {
    assertThrows(NullPointerException.class, () -> CloseStatus.of(1000, null));
    assertThrows(NullPointerException.class, () -> CloseStatus.describing(1006, null));
    assertThrows(NullPointerException.class, () -> CloseStatus.NORMAL.withReason(null));
  }
}
