package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.FramePieces;
import io.reactivews.core.frame.Opcode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining pieces checks the piece contract, so a decoder that breaks it fails its tests. */
class JoinedFrameTest {

  private static final FrameHeader TEN = new FrameHeader(true, 0, Opcode.BINARY, false, 10);

  @Test
  void contiguousPiecesJoin() {
    List<Frame> pieces = FramePieces.split(true, Opcode.BINARY, Bytes.pattern(10), 4, 7);
    assertEquals(List.of(JoinedFrame.of(Opcode.BINARY, false, Bytes.pattern(10))),
        JoinedFrame.join(pieces));
  }

  @Test
  void aMissingStartEndOrGapIsCaught() {
    byte[] p = Bytes.pattern(10);
    assertRejected("first piece of a frame at offset 4",
        FramePieces.piece(TEN, java.util.Arrays.copyOfRange(p, 4, 10), 4));
    assertRejected("offset 6, expected 4",
        FramePieces.piece(TEN, java.util.Arrays.copyOf(p, 4), 0),
        FramePieces.piece(TEN, java.util.Arrays.copyOfRange(p, 6, 10), 6));
    assertRejected("empty piece",
        FramePieces.piece(TEN, new byte[0], 0));
  }

  @Test
  void interleavedFramesAreCaught() {
    assertRejected("expected a piece of",
        FramePieces.piece(TEN, new byte[4], 0), Frame.of(Opcode.PING, new byte[0]));
  }

  @Test
  void aStreamStoppingInsideAFrameEndsWithAPartialEntry() {
    List<JoinedFrame> joined = JoinedFrame.join(List.of(FramePieces.piece(TEN, new byte[3], 0)));
    assertEquals(
        List.of(JoinedFrame.partial(true, 0, Opcode.BINARY, false, 10, new byte[3])), joined);
    assertTrue(joined.get(0).toString().startsWith("PARTIAL"));
  }

  private static void assertRejected(String fragment, Frame... pieces) {
    AssertionError e = assertThrows(AssertionError.class, () -> JoinedFrame.join(List.of(pieces)));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
