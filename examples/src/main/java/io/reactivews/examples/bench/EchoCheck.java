package io.reactivews.examples.bench;

import java.nio.ByteBuffer;

/**
 * Checks one echoed message against the payload that was sent, piece by piece as its bytes
 * arrive, without collecting them. One per connection; not thread-safe.
 */
final class EchoCheck {

  private int checked;
  private boolean mismatch;

  /** The next piece of the message's payload. */
  void piece(ByteBuffer slice, byte[] expected) {
    int n = slice.remaining();
    if (checked + n > expected.length
        || slice.mismatch(ByteBuffer.wrap(expected, checked, n)) >= 0) {
      mismatch = true;
    }
    checked += n;
  }

  /** The message ended: whether it was exactly {@code expected}; then ready for the next. */
  boolean end(int opcode, long length, int expectedOpcode, byte[] expected) {
    boolean ok = !mismatch && opcode == expectedOpcode && length == expected.length;
    checked = 0;
    mismatch = false;
    return ok;
  }
}
