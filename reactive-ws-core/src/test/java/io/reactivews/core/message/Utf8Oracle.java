package io.reactivews.core.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JDK's strict UTF-8 decoder as a second opinion: whether bytes are valid, and whether a
 * prefix could still become valid (what a fail-fast validator must decide at every byte).
 */
final class Utf8Oracle {

  /** One continuation byte from each class a validator may treat differently. */
  private static final byte[] CONTINUATIONS = {
    (byte) 0x80, (byte) 0x8f, (byte) 0x90, (byte) 0x9f, (byte) 0xa0, (byte) 0xbf
  };

  private Utf8Oracle() {}

  /** One decoder per thread, reset before each use: exhaustive tests ask millions of times. */
  private static final ThreadLocal<CharsetDecoder> DECODER =
      ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  private static CharsetDecoder strict() {
    return DECODER.get().reset();
  }

  /** Whether the JDK decodes {@code bytes} as complete, well-formed UTF-8. */
  static boolean isValid(byte[] bytes) {
    CharsetDecoder decoder = strict();
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return false;
    }
    return !decoder.flush(out).isError() && !in.hasRemaining();
  }

  /**
   * Whether some bytes appended to {@code prefix} make it valid: the JDK decodes as far as it can
   * without the end of input, and the at most three bytes it leaves over are tried with every
   * class of continuation byte.
   */
  static boolean isViablePrefix(byte[] prefix) {
    CharsetDecoder decoder = strict();
    ByteBuffer in = ByteBuffer.wrap(prefix);
    CharBuffer out = CharBuffer.allocate(prefix.length + 1);
    if (decoder.decode(in, out, false).isError()) {
      return false;
    }
    byte[] rest = Arrays.copyOfRange(prefix, in.position(), prefix.length);
    if (rest.length == 0) {
      return true;
    }
    if (rest.length > 3) {
      return false;
    }
    return completes(rest, 4 - rest.length);
  }

  private static boolean completes(byte[] rest, int atMost) {
    if (isValid(rest)) {
      return true;
    }
    if (atMost == 0) {
      return false;
    }
    for (byte b : CONTINUATIONS) {
      byte[] longer = Arrays.copyOf(rest, rest.length + 1);
      longer[rest.length] = b;
      if (completes(longer, atMost - 1)) {
        return true;
      }
    }
    return false;
  }
}
