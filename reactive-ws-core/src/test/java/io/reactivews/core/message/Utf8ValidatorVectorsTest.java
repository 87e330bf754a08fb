package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reactivews.core.vector.VectorGate;
import io.reactivews.testing.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long texts checked a vector at a time ({@link Utf8Vectors}, which the surefire configuration
 * makes available) give exactly the automaton's verdicts: the first bad byte's index, or valid,
 * or valid but stopped inside a character. The automaton itself is held to the JDK's decoder,
 * exhaustively, by {@link Utf8ValidatorExhaustiveTest}. Here every pair of bytes, and the
 * sequences that matter of three and four, sit in every lane that reads bytes of the
 * byte-by-byte start, across vector boundaries, and in the tail the automaton finishes.
 */
class Utf8ValidatorVectorsTest {

  private static final int VALID = -1;
  private static final int OPEN = -2;

  /** Bytes at the edge of every class the checks tell apart. */
  private static final int[] EDGES = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
      0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};

  private static final byte[] E_ACUTE = "\u00e9".getBytes(StandardCharsets.UTF_8);

  private static final int LANES = Utf8Vectors.lanes();
  private static final int BLOCK = Utf8Vectors.BLOCK;
  /** The text starts with three ASCII bytes, so the first vector starts at 3. */
  private static final int FIRST = 3;
  /** Two blocks of vectors, then single vectors, then what the automaton finishes. */
  private static final int LAST_VECTOR_END = FIRST + 2 * BLOCK + 3 * LANES;
  private static final int LENGTH = LAST_VECTOR_END + 13;

  private final Utf8Validator vectors = new Utf8Validator(VectorGate.Use.ALWAYS);
  private final Utf8Validator automaton = new Utf8Validator(VectorGate.Use.NEVER);

  /**
   * Where a placed sequence starts: in lanes that read bytes of the automaton's start, across a
   * vector's edge and a block's (ASCII after a block lets the next one be skipped), in the single
   * vectors after the blocks, and across into the tail.
   */
  private static int[] places() {
    return new int[] {FIRST, FIRST + 1, FIRST + 2, FIRST + 3, FIRST + LANES - 3,
        FIRST + LANES - 1, FIRST + LANES, FIRST + BLOCK - 3, FIRST + BLOCK - 2,
        FIRST + BLOCK - 1, FIRST + BLOCK + 1, FIRST + 2 * BLOCK + LANES - 2,
        LAST_VECTOR_END - 3, LAST_VECTOR_END - 1, LAST_VECTOR_END, LAST_VECTOR_END + 4};
  }

  private static int verdict(Utf8Validator v, byte[] text, int length, int... cuts) {
    v.reset();
    int from = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int to = k < cuts.length ? cuts[k] : length;
      int bad = v.feed(text, from, to - from);
      if (bad >= 0) {
        assertTrue(v.isRejected());
        return bad;
      }
      from = to;
    }
    return v.isComplete() ? VALID : OPEN;
  }

  /** Both verdicts on {@code text}, whole and cut where given; fails if they differ. */
  private void same(byte[] text, int length, String what, int... cuts) {
    int expected = verdict(automaton, text, length, cuts);
    int got = verdict(vectors, text, length, cuts);
    if (got != expected) {
      fail(what + ": the automaton says " + expected + ", the vectors " + got + " in "
          + Bytes.toHex(Arrays.copyOf(text, length)));
    }
  }

  /**
   * "abc", text up to {@code at}, {@code x}, then text to the end: two-byte characters, or
   * ASCII after {@code x} if asked (a run of ASCII is where the vectors take a short cut).
   */
  private static byte[] placed(byte[] x, int at, boolean asciiAfter) {
    byte[] text = new byte[LENGTH];
    text[0] = 'a';
    text[1] = 'b';
    text[2] = 'c';
    fill(text, FIRST, at, false);
    System.arraycopy(x, 0, text, at, Math.min(x.length, LENGTH - at));
    fill(text, at + x.length, LENGTH, asciiAfter);
    return text;
  }

  private static void fill(byte[] text, int from, int to, boolean ascii) {
    int i = from;
    if (!ascii && (to - from) % 2 == 1 && i < to) {
      text[i++] = 'a';
    }
    for (; i + 1 < to; i += 2) {
      text[i] = ascii ? (byte) 'x' : E_ACUTE[0];
      text[i + 1] = ascii ? (byte) 'y' : E_ACUTE[1];
    }
    if (i < to) {
      text[i] = 'z';
    }
  }

  private void everywhere(byte[] x) {
    for (int at : places()) {
      for (boolean asciiAfter : new boolean[] {false, true}) {
        byte[] text = placed(x, at, asciiAfter);
        same(text, LENGTH, Bytes.toHex(x) + " at " + at);
      }
    }
  }

  @Test
  void everyPairOfBytesInEveryPlace() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        everywhere(new byte[] {(byte) a, (byte) b});
      }
    }
  }

  /** Every first byte, with the edges of every class after it. */
  @Test
  void threeBytesFromEveryFirstByte() {
    int[] places = {FIRST, FIRST + 2, FIRST + LANES - 1, FIRST + BLOCK - 2, FIRST + BLOCK - 1,
        LAST_VECTOR_END - 1};
    for (int a = 0; a < 256; a++) {
      for (int b : EDGES) {
        for (int c : EDGES) {
          byte[] three = {(byte) a, (byte) b, (byte) c};
          for (int at : places) {
            for (boolean asciiAfter : new boolean[] {false, true}) {
              same(placed(three, at, asciiAfter), LENGTH, Bytes.toHex(three) + " at " + at);
            }
          }
        }
      }
    }
  }

  @Test
  void fourBytesOfEveryEdge() {
    for (int a : EDGES) {
      for (int b : EDGES) {
        for (int c : EDGES) {
          for (int d : EDGES) {
            byte[] four = {(byte) a, (byte) b, (byte) c, (byte) d};
            for (int at : new int[] {FIRST + 1, FIRST + BLOCK - 2, LAST_VECTOR_END - 1}) {
              same(placed(four, at, false), LENGTH, Bytes.toHex(four) + " at " + at);
            }
          }
        }
      }
    }
  }

  /** Every supplementary code point (F0-F4) ends exactly on and across a block's last lane. */
  @Test
  void everyFourByteLeadWithEverySecondByteAcrossAnEdge() {
    for (int a = 0xf0; a <= 0xf4; a++) {
      for (int b = 0x80; b <= 0xbf; b++) {
        for (int c = 0x7f; c <= 0xc0; c++) {
          byte[] four = {(byte) a, (byte) b, (byte) c, (byte) 0x80};
          for (int shift = 1; shift <= 4; shift++) {
            int at = FIRST + BLOCK - shift;
            same(placed(four, at, true), LENGTH, Bytes.toHex(four) + " at " + at);
          }
        }
      }
    }
  }

  @Test
  void cutNearTheBadByteAndAtEveryVectorEdge() {
    byte[][] breaks = {{(byte) 0xe2, (byte) 0x82}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xc3, (byte) 0xa9}};
    int longer = LENGTH + 2 * Utf8Validator.VECTORS_FROM;
    for (byte[] x : breaks) {
      for (int at : places()) {
        byte[] text = Arrays.copyOf(placed(x, at, false), longer);
        fill(text, LENGTH, longer, true);
        for (int cut = Math.max(0, at - 4); cut <= at + x.length + 4; cut++) {
          same(text, longer, Bytes.toHex(x) + " at " + at + ", cut at " + cut, cut);
        }
        int after = at + x.length;
        same(text, longer, Bytes.toHex(x) + " at " + at + ", cut after it", after,
            Math.min(longer, after + Utf8Validator.VECTORS_FROM));
      }
    }
  }

  /** Seeded random text of every length of character, broken at random, in random pieces. */
  @Test
  void randomTextBrokenAtRandomInRandomPieces() {
    String[] characters = {"a", "7", "{", "\u00e9", "\u07ff", "\u0800", "\u20ac", "\ud7ff",
        "\ue000", "\uffff", "\ud800\udc00", "\ud83d\ude00", "\udbff\udfff"};
    SplittableRandom random = new SplittableRandom(6455);
    for (int n = 0; n < 4000; n++) {
      StringBuilder sb = new StringBuilder();
      int target = 256 + random.nextInt(3000);
      boolean runs = random.nextBoolean(); // long runs of ASCII, or every length mixed
      while (sb.length() < target) {
        String c = characters[random.nextInt(characters.length)];
        sb.append(runs && random.nextInt(4) > 0 ? "x".repeat(40) : c);
      }
      byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
      for (int m = random.nextInt(3); m > 0; m--) {
        text[random.nextInt(text.length)] = (byte) random.nextInt(256);
      }
      int length = random.nextInt(4) == 0 ? text.length - random.nextInt(4) : text.length;
      int[] cuts = random.nextBoolean() ? new int[0]
          : new int[] {random.nextInt(length / 2), length / 2 + random.nextInt(length / 2)};
      same(text, length, "case " + n, cuts);
    }
  }

  @Test
  void validTextOfEveryKindPassesWhole() {
    for (byte[] sample : Utf8VectorGate.samples()) {
      same(sample, sample.length, "a warm-up sample");
    }
    byte[] valid = Utf8VectorGate.samples()[0];
    assertEquals(VALID, verdict(vectors, valid, valid.length));
    byte[] open = Arrays.copyOf(valid, valid.length + 1);
    open[valid.length] = (byte) 0xf0;
    assertEquals(OPEN, verdict(vectors, open, open.length));
  }

  /** The gate decides within its limit, and an open gate gives the automaton's verdicts too. */
  @Test
  void theWarmUpDecides() throws InterruptedException {
    assertTrue(Utf8VectorGate.GATE.awaitDecision(60, TimeUnit.SECONDS), "the warm-up never ended");
    Utf8Validator chosen = new Utf8Validator();
    for (byte[] sample : Utf8VectorGate.samples()) {
      assertEquals(verdict(automaton, sample, sample.length),
          verdict(chosen, sample, sample.length));
    }
  }
}
