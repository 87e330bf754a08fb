package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.Bytes;
import io.reactivews.testing.Utf8Corpus;
import io.reactivews.testing.Utf8Corpus.Case;
import io.reactivews.testing.Utf8Corpus.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 section 8.1: text must be valid UTF-8 (RFC 3629), and an endpoint fails the
 * connection when it is not. The validator is checked against a written-out corpus, against the
 * JDK's strict decoder, and on seeded random bytes, whole and split at every point.
 */
class Utf8ValidatorTest {

  /** What the validator concludes when fed {@code bytes} in the given pieces, as a verdict. */
  private static String verdict(byte[] bytes, int... cuts) {
    Utf8Validator v = new Utf8Validator();
    int from = 0;
    int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
    ends[cuts.length] = bytes.length;
    for (int end : ends) {
      int bad = v.feed(bytes, from, end - from);
      if (bad >= 0) {
        assertTrue(v.isRejected());
        assertFalse(v.isComplete());
        return "INVALID at " + bad;
      }
      from = end;
    }
    return v.isComplete() ? "VALID" : "TRUNCATED";
  }

  private static String expected(Case c) {
    return c.verdict() == Verdict.INVALID ? "INVALID at " + c.badIndex() : c.verdict().name();
  }

  @Test
  void everyCorpusCaseWhole() {
    for (Case c : Utf8Corpus.cases()) {
      assertEquals(expected(c), verdict(c.bytes()), c.toString());
      assertEquals(c.verdict() == Verdict.VALID, Utf8Validator.isValid(c.bytes()), c.toString());
    }
  }

  /** Fragment boundaries fall anywhere, inside characters too: the verdict must not move. */
  @Test
  void everyCorpusCaseSplitAnywhere() {
    for (Case c : Utf8Corpus.cases()) {
      byte[] b = c.bytes();
      for (int i = 0; i <= b.length; i++) {
        assertEquals(expected(c), verdict(b, i), c + " split at " + i);
        for (int j = i; j <= b.length && b.length <= 24; j++) {
          assertEquals(expected(c), verdict(b, i, j), c + " split at " + i + ", " + j);
        }
      }
      int[] everyByte = new int[Math.max(0, b.length - 1)];
      Arrays.setAll(everyByte, k -> k + 1);
      assertEquals(expected(c), verdict(b, everyByte), c + " byte by byte");
    }
  }

  @Test
  void everyCorpusCaseAgreesWithTheJdk() {
    for (Case c : Utf8Corpus.cases()) {
      byte[] b = c.bytes();
      assertEquals(c.verdict() == Verdict.VALID, Utf8Oracle.isValid(b), "JDK on " + c);
      switch (c.verdict()) {
        case VALID -> assertTrue(Utf8Oracle.isViablePrefix(b), c.toString());
        case TRUNCATED -> assertTrue(Utf8Oracle.isViablePrefix(b), "JDK: could continue " + c);
        case INVALID -> {
          assertTrue(Utf8Oracle.isViablePrefix(Arrays.copyOf(b, c.badIndex())),
              "JDK: fine before byte " + c.badIndex() + " of " + c);
          assertFalse(Utf8Oracle.isViablePrefix(Arrays.copyOf(b, c.badIndex() + 1)),
              "JDK: broken by byte " + c.badIndex() + " of " + c);
        }
        default -> throw new AssertionError(c.verdict());
      }
    }
  }

  /** Bytes drawn mostly from the interesting classes, so sequences are often nearly valid. */
  private static byte[] randomBytes(SplittableRandom random) {
    int[] leads = {0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3,
        0xf4, 0xf5, 0xf7, 0xf8, 0xfc, 0xfe, 0xff};
    byte[] bytes = new byte[random.nextInt(25)];
    for (int i = 0; i < bytes.length; i++) {
      int kind = random.nextInt(10);
      if (kind < 3) {
        bytes[i] = (byte) random.nextInt(0x80);
      } else if (kind < 7) {
        bytes[i] = (byte) (0x80 + random.nextInt(0x40));
      } else {
        bytes[i] = (byte) leads[random.nextInt(leads.length)];
      }
    }
    return bytes;
  }

  /** The verdict the JDK oracle reaches: valid, truncated, or the first byte no text can have. */
  private static String oracleVerdict(byte[] bytes) {
    if (Utf8Oracle.isValid(bytes)) {
      return "VALID";
    }
    if (Utf8Oracle.isViablePrefix(bytes)) {
      return "TRUNCATED";
    }
    int lo = 0; // viable
    int hi = bytes.length; // not viable
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (Utf8Oracle.isViablePrefix(Arrays.copyOf(bytes, mid))) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return "INVALID at " + lo;
  }

  @Test
  void randomBytesAgreeWithTheJdk() {
    SplittableRandom random = new SplittableRandom(6455);
    Map<String, Integer> verdicts = new TreeMap<>();
    for (int n = 0; n < 30_000; n++) {
      byte[] bytes = randomBytes(random);
      String expected = oracleVerdict(bytes);
      verdicts.merge(expected.startsWith("INVALID at ") && !expected.equals("INVALID at 0")
          ? "INVALID later" : expected, 1, Integer::sum);
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      assertEquals(expected, verdict(bytes), Bytes.toHex(bytes));
      assertEquals(expected, verdict(bytes, cut), Bytes.toHex(bytes) + " split at " + cut);
    }
    // The sample must exercise every verdict, or the comparison proves little.
    for (String kind : new String[] {"VALID", "TRUNCATED", "INVALID at 0", "INVALID later"}) {
      assertTrue(verdicts.getOrDefault(kind, 0) >= 300, "too few " + kind + ": " + verdicts);
    }
  }

  /** Random text, valid by construction, then one byte changed: the JDK decides. */
  @Test
  void randomTextWithOneByteChangedAgreesWithTheJdk() {
    SplittableRandom random = new SplittableRandom(3629);
    int[][] ranges = {{0x20, 0x7f}, {0x80, 0x7ff}, {0x800, 0xd7ff}, {0xe000, 0xffff},
        {0x10000, 0x10ffff}};
    for (int n = 0; n < 5_000; n++) {
      StringBuilder sb = new StringBuilder();
      int chars = 1 + random.nextInt(12);
      for (int i = 0; i < chars; i++) {
        int[] range = ranges[random.nextInt(ranges.length)];
        sb.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
      }
      byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
      assertEquals("VALID", verdict(text), Bytes.toHex(text));
      byte[] changed = text.clone();
      changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
      assertEquals(oracleVerdict(changed), verdict(changed), Bytes.toHex(changed));
      byte[] cut = Arrays.copyOf(text, random.nextInt(text.length + 1));
      assertEquals(oracleVerdict(cut), verdict(cut), Bytes.toHex(cut));
    }
  }

  /** Text of 1- to 4-byte characters at random, a few ASCII runs among them, with boundaries. */
  private static byte[] randomText(SplittableRandom random, int atLeast, BitSet boundaries) {
    int[][] ranges = {{0x20, 0x7f}, {0x80, 0x7ff}, {0x800, 0xd7ff}, {0xe000, 0xffff},
        {0x10000, 0x10ffff}};
    StringBuilder sb = new StringBuilder();
    while (sb.toString().getBytes(StandardCharsets.UTF_8).length < atLeast) {
      if (random.nextInt(8) == 0) {
        sb.append("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+",
            0, random.nextInt(65));
      }
      int[] range = ranges[random.nextInt(ranges.length)];
      sb.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    String text = sb.toString();
    boundaries.clear();
    int at = 0;
    for (int k = 0; k < text.length(); k = text.offsetByCodePoints(k, 1)) {
      boundaries.set(at);
      at += new String(Character.toChars(text.codePointAt(k)))
          .getBytes(StandardCharsets.UTF_8).length;
    }
    boundaries.set(at);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Valid text longer than the validator's blocks (64 bytes) and its ASCII skips, cut into two
   * and three pieces at every byte, then cut short at every byte, then with a byte no text has
   * put at every position, split anywhere: valid, truncated between characters, and invalid
   * exactly there.
   */
  @Test
  void longTextInEveryTwoAndThreePiecesAndBrokenAtEveryByte() {
    SplittableRandom random = new SplittableRandom(6455_3629);
    BitSet boundaries = new BitSet();
    for (int n = 0; n < 12; n++) {
      byte[] text = randomText(random, 140 + random.nextInt(60), boundaries);
      int length = text.length;
      for (int i = 0; i <= length; i++) {
        assertEquals("VALID", verdict(text, i), "split at " + i);
        for (int j = i; j <= length; j += 1 + (n % 3)) {
          assertEquals("VALID", verdict(text, i, j), "split at " + i + ", " + j);
        }
        byte[] shorter = Arrays.copyOf(text, i);
        assertEquals(boundaries.get(i) ? "VALID" : "TRUNCATED", verdict(shorter), "cut at " + i);
      }
      for (int bad = 0; bad < length; bad++) {
        byte[] broken = text.clone();
        broken[bad] = (byte) 0xff;
        for (int cut = 0; cut <= length; cut += 1 + bad % 7) {
          assertEquals("INVALID at " + bad, verdict(broken, cut), "ff at " + bad + ", cut " + cut);
        }
      }
    }
  }

  /** The same text at every offset in a larger array: word reads must not depend on alignment. */
  @Test
  void theVerdictDoesNotDependOnWhereTheTextSitsInItsArray() {
    SplittableRandom random = new SplittableRandom(1007);
    BitSet boundaries = new BitSet();
    for (int n = 0; n < 20; n++) {
      byte[] text = randomText(random, 100 + random.nextInt(200), boundaries);
      int bad = random.nextInt(text.length);
      byte[] broken = text.clone();
      broken[bad] = (byte) 0x80;
      boolean badIsALead = boundaries.get(bad);
      for (int offset = 0; offset < 16; offset++) {
        byte[] padded = new byte[offset + text.length + 16];
        Arrays.fill(padded, (byte) 0xff);
        System.arraycopy(text, 0, padded, offset, text.length);
        assertEquals(-1, new Utf8Validator().feed(padded, offset, text.length), "offset " + offset);
        assertTrue(Utf8Validator.isValid(padded, offset, text.length));
        System.arraycopy(broken, 0, padded, offset, text.length);
        int found = new Utf8Validator().feed(padded, offset, text.length);
        // A continuation byte where a character should start is bad right there; inside a
        // character it may continue it, and then the next lead or the end tells.
        if (badIsALead) {
          assertEquals(offset + bad, found, "offset " + offset);
        } else {
          assertEquals(oracleVerdict(broken), verdict(broken), Bytes.toHex(broken));
        }
      }
    }
  }

  /** ASCII is skipped eight bytes at a time: a bad byte at any alignment must still be found. */
  @Test
  void aBadByteIsFoundAtEveryAlignmentOfAsciiRuns() {
    for (int length = 1; length <= 40; length++) {
      for (int bad = 0; bad < length; bad++) {
        for (int offset = 0; offset < 8; offset++) {
          byte[] bytes = new byte[offset + length];
          Arrays.fill(bytes, (byte) 'a');
          bytes[offset + bad] = (byte) 0x80;
          Utf8Validator v = new Utf8Validator();
          assertEquals(offset + bad, v.feed(bytes, offset, length),
              "length " + length + " bad " + bad + " offset " + offset);
        }
      }
    }
  }

  @Test
  void onlyTheGivenRangeIsChecked() {
    byte[] bytes = Bytes.hex("ff 41 42 ff");
    assertTrue(Utf8Validator.isValid(bytes, 1, 2));
    assertFalse(Utf8Validator.isValid(bytes, 0, 2));
    assertEquals(-1, new Utf8Validator().feed(bytes, 1, 2));
  }

  @Test
  void onceRejectedEveryLaterCallReportsItsOffset() {
    Utf8Validator v = new Utf8Validator();
    assertEquals(1, v.feed(Bytes.hex("41 ff"), 0, 2));
    assertEquals(3, v.feed(Bytes.hex("41 41 41 41 41"), 3, 2));
    assertTrue(v.isRejected());
  }

  @Test
  void resetForgetsAnErrorAndAPartialCharacter() {
    Utf8Validator v = new Utf8Validator();
    v.feed(Bytes.hex("ff"), 0, 1);
    v.reset();
    assertFalse(v.isRejected());
    assertTrue(v.isComplete());
    assertEquals(-1, v.feed(Bytes.hex("e2 82"), 0, 2));
    assertFalse(v.isComplete());
    v.reset();
    assertEquals(0, v.feed(Bytes.hex("ac"), 0, 1), "a continuation byte right after reset is bad");
  }

  @Test
  void aCharacterMaySpanManyCalls() {
    Utf8Validator v = new Utf8Validator();
    byte[] grin = Bytes.hex("f0 9f 98 80");
    for (int i = 0; i < 4; i++) {
      assertEquals(-1, v.feed(grin, i, 1));
      assertEquals(i == 3, v.isComplete());
    }
    assertEquals(-1, v.feed(grin, 0, 0), "an empty feed changes nothing");
    assertTrue(v.isComplete());
  }
}
