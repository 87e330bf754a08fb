package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reactivews.testing.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * Every sequence of one, two and three bytes, and a dense sample of four-byte ones, judged by the
 * validator and by the JDK's strict decoder ({@link Utf8Oracle}): the same verdict (valid,
 * truncated, or invalid at the same byte), whole, split at every byte, and placed in and across
 * the validator's blocks of 64 bytes, which it steps through before it looks at the state.
 */
class Utf8ValidatorExhaustiveTest {

  private static final int VALID = -1;
  private static final int TRUNCATED = -2;

  /** Valid text of two-byte characters: never skipped as ASCII, so the automaton reads it. */
  private static final byte[] E_ACUTE = "\u00e9".getBytes(StandardCharsets.UTF_8);

  /** Bytes at the edge of every class the automaton tells apart. */
  private static final int[] EDGES = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
      0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};

  /** Whether the JDK sees each prefix of one and two bytes as possibly the start of text. */
  private static final boolean[] VIABLE_1 = new boolean[1 << 8];
  private static final boolean[] VIABLE_2 = new boolean[1 << 16];

  /** The same for three bytes, asked only where the first two are viable. */
  private static final BitSet VIABLE_3 = new BitSet(1 << 24);

  static {
    for (int a = 0; a < 256; a++) {
      VIABLE_1[a] = Utf8Oracle.isViablePrefix(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        VIABLE_2[a << 8 | b] = VIABLE_1[a] && Utf8Oracle.isViablePrefix(new byte[] {(byte) a,
            (byte) b});
      }
    }
    byte[] three = new byte[3];
    for (int ab = 0; ab < 1 << 16; ab++) {
      if (VIABLE_2[ab]) {
        three[0] = (byte) (ab >>> 8);
        three[1] = (byte) ab;
        for (int c = 0; c < 256; c++) {
          three[2] = (byte) c;
          if (Utf8Oracle.isViablePrefix(three)) {
            VIABLE_3.set(ab << 8 | c);
          }
        }
      }
    }
  }

  private static boolean viable(byte[] x, int length) {
    int a = x[0] & 0xFF;
    return switch (length) {
      case 1 -> VIABLE_1[a];
      case 2 -> VIABLE_2[a << 8 | x[1] & 0xFF];
      case 3 -> VIABLE_3.get(a << 16 | (x[1] & 0xFF) << 8 | x[2] & 0xFF);
      default -> Utf8Oracle.isViablePrefix(Arrays.copyOf(x, length));
    };
  }

  /** The JDK's verdict: the first byte that no text can have there, else valid or truncated. */
  private static int oracle(byte[] x) {
    for (int k = 1; k <= x.length; k++) {
      if (!viable(x, k)) {
        return k - 1;
      }
    }
    return Utf8Oracle.isValid(x) ? VALID : TRUNCATED;
  }

  /** The validator's verdict on {@code length} bytes at {@code offset}, fed in pieces. */
  private static int verdict(byte[] bytes, int offset, int length, int... cuts) {
    Utf8Validator v = new Utf8Validator();
    int from = offset;
    for (int k = 0; k <= cuts.length; k++) {
      int to = k < cuts.length ? offset + cuts[k] : offset + length;
      int bad = v.feed(bytes, from, to - from);
      if (bad >= 0) {
        assertTrue(v.isRejected());
        return bad - offset;
      }
      from = to;
    }
    return v.isComplete() ? VALID : TRUNCATED;
  }

  /**
   * Checks {@code x} every way: whole, in two and three pieces, and inside longer text that puts
   * it within the validator's first block of 64 bytes and across the boundary to the second,
   * followed by text that the validator steps through or skips as ASCII.
   */
  private static void check(byte[] x, int expected, byte[] context) {
    int n = x.length;
    if (verdict(x, 0, n) != expected) {
      fail(Bytes.toHex(x) + ": expected " + expected + ", got " + verdict(x, 0, n));
    }
    for (int i = 1; i < n; i++) {
      if (verdict(x, 0, n, i) != expected) {
        fail(Bytes.toHex(x) + " split at " + i + ": expected " + expected);
      }
      for (int j = i + 1; j < n; j++) {
        if (verdict(x, 0, n, i, j) != expected) {
          fail(Bytes.toHex(x) + " split at " + i + ", " + j + ": expected " + expected);
        }
      }
    }
    // Valid text after x: a truncated x now fails at the first byte after it, which cannot
    // continue a character.
    int afterX = switch (expected) {
      case VALID -> VALID;
      case TRUNCATED -> n;
      default -> expected;
    };
    for (int before : new int[] {12, 61, 62, 64}) {
      for (boolean asciiAfter : new boolean[] {false, true}) {
        int length = placeInText(x, before, asciiAfter, context);
        int within = afterX == VALID ? VALID : before + afterX;
        if (verdict(context, 0, length) != within) {
          fail(Bytes.toHex(x) + " after " + before + " bytes of text, then "
              + (asciiAfter ? "ASCII" : "two-byte characters") + ": expected " + within);
        }
      }
    }
  }

  /**
   * Writes {@code before} bytes of text (two-byte characters, after one ASCII byte if {@code
   * before} is odd), {@code x}, and 64 bytes of text (ASCII or two-byte characters).
   */
  private static int placeInText(byte[] x, int before, boolean asciiAfter, byte[] context) {
    int at = 0;
    if (before % 2 == 1) {
      context[at++] = 'a';
    }
    for (; at < before; at += 2) {
      System.arraycopy(E_ACUTE, 0, context, at, 2);
    }
    System.arraycopy(x, 0, context, before, x.length);
    int from = before + x.length;
    for (int i = 0; i < 64; i += 2) {
      if (asciiAfter) {
        context[from + i] = 'a';
        context[from + i + 1] = 'b';
      } else {
        System.arraycopy(E_ACUTE, 0, context, from + i, 2);
      }
    }
    return from + 64;
  }

  @Test
  void everySequenceOfOneTwoAndThreeBytes() {
    byte[] context = new byte[160];
    int[] verdicts = new int[5];
    for (int a = 0; a < 256; a++) {
      check(new byte[] {(byte) a}, oracle(new byte[] {(byte) a}), context);
      for (int b = 0; b < 256; b++) {
        byte[] two = {(byte) a, (byte) b};
        check(two, oracle(two), context);
        for (int c = 0; c < 256; c++) {
          byte[] three = {(byte) a, (byte) b, (byte) c};
          int expected = oracle(three);
          check(three, expected, context);
          verdicts[expected + 2]++;
        }
      }
    }
    // The JDK's counts of well-formed three-byte text (Unicode table 3-7): the oracle is sound.
    int oneByte = 128;
    int twoByte = 30 * 64;
    int threeByte = 16 * 64 * 64 - 2 * 32 * 64; // E0 80-9F overlong, ED A0-BF surrogates
    assertEquals(oneByte * oneByte * oneByte + 2 * oneByte * twoByte + threeByte,
        verdicts[VALID + 2]);
    assertTrue(verdicts[TRUNCATED + 2] > 0 && verdicts[0 + 2] > 0 && verdicts[2 + 2] > 0,
        Arrays.toString(verdicts));
  }

  /**
   * Four bytes: every first byte with the class edges after it, and every sequence from a
   * four-byte lead with every second byte and every continuation (or an edge) after that.
   */
  @Test
  void aDenseSampleOfFourByteSequences() {
    byte[] context = new byte[160];
    int valid = 0;
    for (int a = 0; a < 256; a++) {
      for (int b : EDGES) {
        for (int c : EDGES) {
          for (int d : EDGES) {
            byte[] four = {(byte) a, (byte) b, (byte) c, (byte) d};
            check(four, oracle(four), context);
          }
        }
      }
    }
    int[] tails = new int[66];
    for (int k = 0; k < 64; k++) {
      tails[k] = 0x80 + k;
    }
    tails[64] = 0x7f;
    tails[65] = 0xc0;
    for (int a = 0xf0; a <= 0xf4; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : tails) {
          for (int d : tails) {
            byte[] four = {(byte) a, (byte) b, (byte) c, (byte) d};
            int expected = oracle(four);
            check(four, expected, context);
            if (expected == VALID) {
              valid++;
            }
          }
        }
      }
    }
    assertEquals(0x10FFFF - 0xFFFF, valid, "every supplementary code point, once");
  }
}
