package io.reactivews.core.message;

import io.reactivews.core.vector.VectorGate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A streaming UTF-8 checker (RFC 3629; Unicode table 3-7 of well-formed byte sequences) that
 * carries its state across calls, so a text message can be checked fragment by fragment as its
 * bytes arrive and fail at the first byte that cannot begin or continue a valid sequence:
 * overlong forms, surrogates (U+D800-DFFF) and code points past U+10FFFF are all rejected there.
 *
 * <p>A deterministic automaton of nine states reads every byte without a branch: each state is
 * a bit offset, and {@code TRANSITIONS[b]} holds, at each state's offset, the state that byte
 * {@code b} leads to from there, so one step is one table load and one shift. Text with
 * characters of mixed lengths, which defeats branch prediction, runs at the speed of that one
 * dependent shift per byte, and the state is looked at once per block of 64 bytes. A block of
 * ASCII between characters starts a skip over ASCII, 32 and then 8 bytes at a time. Not
 * thread-safe: one per message stream.
 *
 * <p>With the JVM started with {@code --add-modules jdk.incubator.vector}, runs of
 * {@value #VECTORS_FROM} bytes or more are checked a vector at a time once a warm-up in the
 * background has shown that this is faster here (three to four times, on AVX-512): see {@link
 * #usesVectors()}. The answers are the same either way.
 *
 * <pre>{@code
 * Utf8Validator v = new Utf8Validator();
 * v.feed(part1, 0, part1.length);   // -1: fine so far
 * v.feed(part2, 0, part2.length);   // index of the first bad byte, or -1
 * v.isComplete();                   // false if the text stopped inside a character
 * }</pre>
 */
public final class Utf8Validator {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Bits per state in a transition word: nine states at offsets 0, 6, ..., 48. */
  private static final int WIDTH = 6;
  private static final int MASK = (1 << WIDTH) - 1;

  // The states, as their offsets in a transition word.
  private static final int ACCEPT = 0;
  private static final int REJECT = WIDTH;
  /** One, two or three continuation bytes (80-BF) still wanted. */
  private static final int WANT_1 = 2 * WIDTH;
  private static final int WANT_2 = 3 * WIDTH;
  private static final int WANT_3 = 4 * WIDTH;
  /** After E0: A0-BF, or the form is overlong. */
  private static final int AFTER_E0 = 5 * WIDTH;
  /** After ED: 80-9F, or it is a surrogate. */
  private static final int AFTER_ED = 6 * WIDTH;
  /** After F0: 90-BF, or the form is overlong. */
  private static final int AFTER_F0 = 7 * WIDTH;
  /** After F4: 80-8F, or the code point is past U+10FFFF. */
  private static final int AFTER_F4 = 8 * WIDTH;
  private static final int STATES = 9;

  /** Per byte, the next state from every state, each at that state's offset. */
  private static final long[] TRANSITIONS = new long[256];

  static {
    for (int b = 0; b < 256; b++) {
      long word = 0;
      for (int state = 0; state < STATES * WIDTH; state += WIDTH) {
        word |= (long) next(state, b) << state;
      }
      TRANSITIONS[b] = word;
    }
  }

  /** The automaton, written out: where byte {@code b} leads from {@code state}. */
  private static int next(int state, int b) {
    return switch (state) {
      case ACCEPT -> {
        if (b < 0x80) {
          yield ACCEPT;
        } else if (b >= 0xC2 && b <= 0xDF) {
          yield WANT_1;
        } else if (b == 0xE0) {
          yield AFTER_E0;
        } else if (b == 0xED) {
          yield AFTER_ED;
        } else if (b >= 0xE1 && b <= 0xEF) {
          yield WANT_2;
        } else if (b == 0xF0) {
          yield AFTER_F0;
        } else if (b >= 0xF1 && b <= 0xF3) {
          yield WANT_3;
        } else if (b == 0xF4) {
          yield AFTER_F4;
        } else {
          yield REJECT; // 80-BF with no lead, C0-C1 (always overlong), F5-FF
        }
      }
      case WANT_1 -> within(b, 0x80, 0xBF, ACCEPT);
      case WANT_2 -> within(b, 0x80, 0xBF, WANT_1);
      case WANT_3 -> within(b, 0x80, 0xBF, WANT_2);
      case AFTER_E0 -> within(b, 0xA0, 0xBF, WANT_1);
      case AFTER_ED -> within(b, 0x80, 0x9F, WANT_1);
      case AFTER_F0 -> within(b, 0x90, 0xBF, WANT_2);
      case AFTER_F4 -> within(b, 0x80, 0x8F, WANT_2);
      default -> REJECT;
    };
  }

  private static int within(int b, int low, int high, int then) {
    return b >= low && b <= high ? then : REJECT;
  }

  /**
   * Bytes stepped through between looks at the state: long enough that neither the look nor
   * the test for ASCII costs much per byte, short enough that a bad byte is found soon.
   */
  private static final int BLOCK = 64;

  /** Below this many bytes in a call, vectors would barely start: the automaton reads them. */
  static final int VECTORS_FROM = 256;

  private final VectorGate.Use vectors;
  private int state = ACCEPT;

  /** A validator at the start of a stream. */
  public Utf8Validator() {
    this(VectorGate.Use.WHEN_FASTER);
  }

  Utf8Validator(VectorGate.Use vectors) {
    this.vectors = vectors;
  }

  /**
   * Whether long texts are now checked a vector at a time: only with the JVM started with
   * {@code --add-modules jdk.incubator.vector}, after the warm-up that the first long text
   * starts (asking starts nothing), and only if vectors beat the byte-by-byte check on this
   * machine. The system property {@code io.reactivews.vectors=false} turns them off.
   */
  public static boolean usesVectors() {
    return Utf8VectorGate.GATE.isOpen();
  }

  /**
   * Checks {@code length} more bytes of the stream.
   *
   * @return -1 if the stream is still valid, else the index in {@code bytes} of the first byte
   *     that made it invalid; once invalid, every later call returns its {@code offset}
   */
  public int feed(byte[] bytes, int offset, int length) {
    int s = state;
    if (s == REJECT) {
      return offset;
    }
    int i = offset;
    int end = offset + length;
    if (length >= VECTORS_FROM && vectorsNow()) {
      // Each lane reads the three bytes before its own: start between characters, three in.
      for (int ready = offset + 3; i < ready || s != ACCEPT; i++) {
        s = step(s, bytes[i]);
        if (s == REJECT) {
          state = REJECT;
          return i;
        }
      }
      // From the last character start the vectors passed: a bad byte there is named exactly
      // by the automaton below, and so is the state of a character left open.
      i = lastCharacterStart(bytes, i, Utf8Vectors.checkedUpTo(bytes, i, end));
    }
    while (end - i >= BLOCK) {
      if (isAscii(bytes, i)) {
        if (s != ACCEPT) {
          return reject(bytes, i, s); // ASCII cannot continue a character
        }
        i = skipAscii(bytes, i + BLOCK, end);
        continue;
      }
      // REJECT is a trap, so one look after the block finds a bad byte anywhere in it.
      int after = run(bytes, i, s);
      if (after == REJECT) {
        return reject(bytes, i, s);
      }
      s = after;
      i += BLOCK;
    }
    if (s == ACCEPT) {
      i = skipAscii(bytes, i, end);
    }
    for (; i < end; i++) {
      s = step(s, bytes[i]);
      if (s == REJECT) {
        state = REJECT;
        return i;
      }
    }
    state = s;
    return -1;
  }

  private boolean vectorsNow() {
    return Utf8VectorGate.GATE.allows(vectors);
  }

  /**
   * The last byte before {@code checked} that starts a character, or {@code from}: the bytes
   * between are valid, so it is at most four bytes back.
   */
  private static int lastCharacterStart(byte[] bytes, int from, int checked) {
    for (int i = checked - 1; i > from; i--) {
      if ((bytes[i] & 0xC0) != 0x80) {
        return i;
      }
    }
    return from;
  }

  /** Whether the {@link #BLOCK} bytes from {@code i} are all ASCII. */
  private static boolean isAscii(byte[] bytes, int i) {
    long any = (long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)
        | (long) LONGS.get(bytes, i + 16) | (long) LONGS.get(bytes, i + 24)
        | (long) LONGS.get(bytes, i + 32) | (long) LONGS.get(bytes, i + 40)
        | (long) LONGS.get(bytes, i + 48) | (long) LONGS.get(bytes, i + 56);
    return (any & HIGH_BITS) == 0;
  }

  /** The state after the {@link #BLOCK} bytes from {@code i}, with no branch on their values. */
  private static int run(byte[] bytes, int i, int s) {
    // The shift count of a long is taken mod 64, so the bits above the state can stay.
    long t = s;
    for (int k = i; k < i + BLOCK; k++) {
      t = TRANSITIONS[bytes[k] & 0xFF] >>> t;
    }
    return (int) t & MASK;
  }

  private static int step(int s, byte b) {
    return (int) (TRANSITIONS[b & 0xFF] >>> s) & MASK;
  }

  /** Steps from {@code s} at {@code i} again, byte by byte, to the first bad byte. */
  private int reject(byte[] bytes, int i, int s) {
    while ((s = step(s, bytes[i])) != REJECT) {
      i++;
    }
    state = REJECT;
    return i;
  }

  /** Where the run of ASCII from {@code i} ends, to the nearest eight bytes (or {@code end}). */
  private static int skipAscii(byte[] bytes, int i, int end) {
    while (end - i >= 32 && (((long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)
        | (long) LONGS.get(bytes, i + 16) | (long) LONGS.get(bytes, i + 24)) & HIGH_BITS) == 0) {
      i += 32;
    }
    while (end - i >= 8 && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
      i += 8;
    }
    return i;
  }

  /** Whether the bytes so far are valid and end on a character boundary. */
  public boolean isComplete() {
    return state == ACCEPT;
  }

  /** Whether an invalid byte has been seen. */
  public boolean isRejected() {
    return state == REJECT;
  }

  /** Forgets everything, ready for a new message. */
  public void reset() {
    state = ACCEPT;
  }

  /** Whether {@code bytes} is complete, valid UTF-8. */
  public static boolean isValid(byte[] bytes, int offset, int length) {
    Utf8Validator v = new Utf8Validator();
    return v.feed(bytes, offset, length) < 0 && v.isComplete();
  }

  /** Whether {@code bytes} is complete, valid UTF-8. */
  public static boolean isValid(byte[] bytes) {
    return isValid(bytes, 0, bytes.length);
  }
}
