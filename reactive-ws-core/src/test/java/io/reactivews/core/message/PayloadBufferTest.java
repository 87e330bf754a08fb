package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.Bytes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The growing payload of a message: appends in order, grows as needed, hands over exactly. */
class PayloadBufferTest {

  @Test
  void appendsPiecesInOrderAndGrowsPastItsGuess() {
    byte[] all = Bytes.pattern(5000);
    for (long expected : new long[] {0, 1, 16, 100, 5000}) {
      PayloadBuffer buffer = new PayloadBuffer(expected);
      int from = 0;
      int step = 1;
      while (from < all.length) {
        int to = Math.min(all.length, from + step);
        buffer.append(Arrays.copyOfRange(all, from, to));
        from = to;
        step = step * 2 + 1;
      }
      assertEquals(5000, buffer.size());
      assertArrayEquals(all, buffer.take(), "expected " + expected);
    }
  }

  @Test
  void takesExactlyWhatWasAppended() {
    PayloadBuffer buffer = new PayloadBuffer(1024);
    buffer.append(Bytes.utf8("abc"));
    buffer.append(new byte[0]);
    assertArrayEquals(Bytes.utf8("abc"), buffer.take());
    assertArrayEquals(new byte[0], new PayloadBuffer(0).take());
  }
}
