package io.reactivews.core.message;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * UTF-8 checked a vector of bytes at a time, with the JDK's incubating Vector API. Only {@link
 * Utf8VectorGate} loads this class, and only when the application started the JVM with {@code
 * --add-modules jdk.incubator.vector}; everything else goes through {@link Utf8Validator}.
 *
 * <p>Each lane judges one byte from the three bytes before it, so no state runs from lane to
 * lane:
 *
 * <ul>
 *   <li>a byte is a continuation (80-BF) exactly when the byte before it is a lead (C0 and up),
 *       the one two before leads three or four bytes (E0 and up), or the one three before leads
 *       four (F0 and up);
 *   <li>C0, C1 and F5-FF are never valid;
 *   <li>after E0 and F0 the next byte must not make the form overlong (below A0, below 90),
 *       after ED it must not make a surrogate (A0 and up), after F4 not a code point past
 *       U+10FFFF (90 and up).
 * </ul>
 *
 * <p>A block of eight vectors is first tested for ASCII, which costs an OR per vector: ASCII is
 * only wrong there if a character before it wanted more bytes. Only operations whose names have
 * not changed since Java 17 are used; the two unsigned comparisons, renamed since, are looked up
 * by either name.
 */
final class Utf8Vectors {

  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
  private static final int LANES = BYTES.length();
  /** Bytes looked at before a branch: eight vectors. */
  static final int BLOCK = 8 * LANES;
  private static final VectorOperators.Comparison AT_LEAST = comparison("UGE", "UNSIGNED_GE");
  private static final VectorOperators.Comparison BELOW = comparison("ULT", "UNSIGNED_LT");

  private Utf8Vectors() {}

  private static VectorOperators.Comparison comparison(String name, String java17Name) {
    try {
      return (VectorOperators.Comparison) VectorOperators.class.getField(name).get(null);
    } catch (ReflectiveOperationException renamed) {
      try {
        return (VectorOperators.Comparison) VectorOperators.class.getField(java17Name).get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no unsigned comparison " + name + " in this JDK", e);
      }
    }
  }

  /** Bytes in a vector on this machine. */
  static int lanes() {
    return LANES;
  }

  /**
   * Checks whole vectors of {@code bytes} from {@code from} while they are valid.
   *
   * @param from where a character starts, with three checked bytes of the text before it (the
   *     lanes read them)
   * @param end where the bytes end; a vector never reads past it
   * @return where checking stopped: at a block of vectors with a bad byte in it, or where fewer
   *     than a vector's worth of bytes are left. Every byte before that is valid UTF-8, though a
   *     character may still be open across it.
   */
  static int checkedUpTo(byte[] bytes, int from, int end) {
    int i = from;
    while (end - i >= LANES) {
      // A block of vectors at a time, so a branch is taken once per block, not per vector.
      int blockEnd = end - i >= BLOCK ? i + BLOCK : i + LANES;
      ByteVector any = ByteVector.fromArray(BYTES, bytes, i);
      for (int k = i + LANES; k < blockEnd; k += LANES) {
        any = any.lanewise(VectorOperators.OR, ByteVector.fromArray(BYTES, bytes, k));
      }
      if (!any.compare(VectorOperators.LT, (byte) 0).anyTrue()) {
        if (wantsMore(bytes, i)) {
          return i;
        }
        i = blockEnd;
        continue;
      }
      VectorMask<Byte> bad = BYTES.maskAll(false);
      for (int k = i; k < blockEnd; k += LANES) {
        ByteVector b = ByteVector.fromArray(BYTES, bytes, k);
        ByteVector p1 = ByteVector.fromArray(BYTES, bytes, k - 1);
        ByteVector p2 = ByteVector.fromArray(BYTES, bytes, k - 2);
        ByteVector p3 = ByteVector.fromArray(BYTES, bytes, k - 3);
        VectorMask<Byte> continuation = b.compare(VectorOperators.LT, (byte) 0xC0);
        VectorMask<Byte> wanted = p1.compare(AT_LEAST, (byte) 0xC0)
            .or(p2.compare(AT_LEAST, (byte) 0xE0))
            .or(p3.compare(AT_LEAST, (byte) 0xF0));
        bad = bad.or(continuation.eq(wanted).not())
            .or(b.compare(AT_LEAST, (byte) 0xF5))
            .or(b.lanewise(VectorOperators.AND, (byte) 0xFE)
                .compare(VectorOperators.EQ, (byte) 0xC0))
            .or(p1.compare(VectorOperators.EQ, (byte) 0xE0).and(b.compare(BELOW, (byte) 0xA0)))
            .or(p1.compare(VectorOperators.EQ, (byte) 0xF0).and(b.compare(BELOW, (byte) 0x90)))
            .or(p1.compare(VectorOperators.EQ, (byte) 0xED).and(b.compare(AT_LEAST, (byte) 0xA0)))
            .or(p1.compare(VectorOperators.EQ, (byte) 0xF4).and(b.compare(AT_LEAST, (byte) 0x90)));
      }
      if (bad.anyTrue()) {
        return i;
      }
      i = blockEnd;
    }
    return i;
  }

  /** Whether a character that starts in the three bytes before {@code i} goes on at {@code i}. */
  private static boolean wantsMore(byte[] bytes, int i) {
    return (bytes[i - 1] & 0xC0) == 0xC0 || (bytes[i - 2] & 0xE0) == 0xE0
        || (bytes[i - 3] & 0xF0) == 0xF0;
  }
}
