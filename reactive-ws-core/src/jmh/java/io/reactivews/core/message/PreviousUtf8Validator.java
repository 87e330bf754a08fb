package io.reactivews.core.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The benchmark's baseline: {@link Utf8Validator} as it was before its branch-free automaton,
 * kept unchanged so that every run measures the new one against it.
 *
 * <p>A streaming UTF-8 checker (RFC 3629; Unicode table 3-7 of well-formed byte sequences) that
 * carries its state across calls, so a text message can be checked fragment by fragment as its
 * bytes arrive and fail at the first byte that cannot begin or continue a valid sequence:
 * overlong forms, surrogates (U+D800-DFFF) and code points past U+10FFFF are all rejected there.
 *
 * <p>Whole characters are checked directly (runs of ASCII 32 bytes at a time, multi-byte
 * sequences byte by byte against their lead's ranges); a deterministic automaton over 12 byte
 * classes takes over where that cannot decide: a character cut between two calls, or a bad
 * byte, which it pinpoints. Not thread-safe: one per message stream.
 *
 * <pre>{@code
 * PreviousUtf8Validator v = new PreviousUtf8Validator();
 * v.feed(part1, 0, part1.length);   // -1: fine so far
 * v.feed(part2, 0, part2.length);   // index of the first bad byte, or -1
 * v.isComplete();                   // false if the text stopped inside a character
 * }</pre>
 */
public final class PreviousUtf8Validator {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private static final int ACCEPT = 0;
  private static final int REJECT = 8;
  private static final int CLASSES = 12;

  /**
   * Byte classes: 0 ASCII, 1 80-8F, 2 90-9F, 3 A0-BF, 4 never valid, 5 C2-DF, 6 E0, 7 E1-EC
   * EE-EF, 8 ED, 9 F0, 10 F1-F3, 11 F4.
   */
  private static final byte[] CLASS = new byte[256];

  /**
   * Next state by {@code state * CLASSES + class}. States 1-3 want that many continuation bytes.
   */
  private static final byte[] NEXT = new byte[9 * CLASSES];

  static {
    for (int b = 0; b < 256; b++) {
      int c;
      if (b < 0x80) {
        c = 0;
      } else if (b < 0x90) {
        c = 1;
      } else if (b < 0xA0) {
        c = 2;
      } else if (b < 0xC0) {
        c = 3;
      } else if (b < 0xC2) {
        c = 4;
      } else if (b < 0xE0) {
        c = 5;
      } else if (b == 0xE0) {
        c = 6;
      } else if (b == 0xED) {
        c = 8;
      } else if (b < 0xF0) {
        c = 7;
      } else if (b == 0xF0) {
        c = 9;
      } else if (b < 0xF4) {
        c = 10;
      } else if (b == 0xF4) {
        c = 11;
      } else {
        c = 4;
      }
      CLASS[b] = (byte) c;
    }
    java.util.Arrays.fill(NEXT, (byte) REJECT);
    // From ACCEPT: a lead byte says how many continuation bytes follow, and which are allowed.
    set(ACCEPT, 0, ACCEPT);
    set(ACCEPT, 5, 1);
    set(ACCEPT, 6, 4);
    set(ACCEPT, 7, 2);
    set(ACCEPT, 8, 5);
    set(ACCEPT, 9, 6);
    set(ACCEPT, 10, 3);
    set(ACCEPT, 11, 7);
    for (int c = 1; c <= 3; c++) {
      set(1, c, ACCEPT);
      set(2, c, 1);
      set(3, c, 2);
    }
    set(4, 3, 1); // E0 A0-BF: no overlong three-byte forms
    set(5, 1, 1); // ED 80-9F: no surrogates
    set(5, 2, 1);
    set(6, 2, 2); // F0 90-BF: no overlong four-byte forms
    set(6, 3, 2);
    set(7, 1, 2); // F4 80-8F: nothing past U+10FFFF
  }

  private static void set(int state, int byteClass, int next) {
    NEXT[state * CLASSES + byteClass] = (byte) next;
  }

  /** NEXT by {@code state << 8 | byte}: one load per byte instead of two. */
  private static final byte[] STEP = new byte[9 << 8];

  static {
    for (int state = 0; state < 9; state++) {
      for (int b = 0; b < 256; b++) {
        STEP[state << 8 | b] = NEXT[state * CLASSES + CLASS[b]];
      }
    }
  }

  private int state = ACCEPT;

  /** A validator at the start of a stream. */
  public PreviousUtf8Validator() {}

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
    while (i < end) {
      if (s == ACCEPT) {
        i = skipWholeCharacters(bytes, i, end);
        if (i == end) {
          break;
        }
      }
      s = STEP[s << 8 | (bytes[i] & 0xFF)];
      if (s == REJECT) {
        state = REJECT;
        return i;
      }
      i++;
    }
    state = s;
    return -1;
  }

  /**
   * Skips whole, valid characters from {@code i}, and returns where it stopped: at {@code end},
   * or at the lead of a character that is invalid or not all there, for the automaton to judge.
   */
  private static int skipWholeCharacters(byte[] bytes, int i, int end) {
    while (true) {
      while (i + 32 <= end && (((long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)
          | (long) LONGS.get(bytes, i + 16) | (long) LONGS.get(bytes, i + 24)) & HIGH_BITS) == 0) {
        i += 32;
      }
      // Then byte by byte up to the next non-ASCII byte, which in most text is near.
      while (i < end && bytes[i] >= 0) {
        i++;
      }
      if (i >= end) {
        return i;
      }
      int lead = bytes[i] & 0xFF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        if (i + 1 >= end || !isContinuation(bytes[i + 1])) {
          return i;
        }
        i += 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        if (i + 2 >= end) {
          return i;
        }
        int second = bytes[i + 1] & 0xFF;
        // E0 needs A0-BF after it (no overlong forms); ED needs 80-9F (no surrogates).
        if (!isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2])
            || lead == 0xE0 && second < 0xA0 || lead == 0xED && second > 0x9F) {
          return i;
        }
        i += 3;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        if (i + 3 >= end) {
          return i;
        }
        int second = bytes[i + 1] & 0xFF;
        // F0 needs 90-BF after it (no overlong forms); F4 needs 80-8F (nothing past U+10FFFF).
        if (!isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2])
            || !isContinuation(bytes[i + 3])
            || lead == 0xF0 && second < 0x90 || lead == 0xF4 && second > 0x8F) {
          return i;
        }
        i += 4;
      } else {
        return i;
      }
    }
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Whether the bytes so far are valid and end on a character boundary. */
  public boolean isComplete() {
    return state == ACCEPT;
  }

  /** Forgets everything, ready for a new message. */
  public void reset() {
    state = ACCEPT;
  }
}
