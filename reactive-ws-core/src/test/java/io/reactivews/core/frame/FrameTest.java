package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.Bytes;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames and the pieces of data frames: where a piece sits, and what a header allows. */
class FrameTest {

  @Test
  void framesBuiltForSendingAreWhole() {
    Frame frame = Frame.of(Opcode.TEXT, Bytes.utf8("Hello"));
    assertTrue(frame.isWhole());
    assertTrue(frame.startsFrame());
    assertTrue(frame.endsFrame());
    assertTrue(frame.fin());
    assertEquals(0, frame.rsv());
    assertEquals(0, frame.offset());
    assertEquals(5, frame.length());
    assertEquals(new FrameHeader(true, 0, Opcode.TEXT, false, 5), frame.header());
  }

  @Test
  void emptyFramesAreWholeAndFinal() {
    Frame ping = Frame.empty(Opcode.PING);
    assertTrue(ping.isWhole());
    assertEquals(0, ping.length());
    assertEquals(0, ping.header().payloadLength());
  }

  @Test
  void piecesSayWhereTheySit() {
    List<Frame> pieces = FramePieces.split(false, Opcode.BINARY, Bytes.pattern(10), 3, 7);
    Frame first = pieces.get(0);
    Frame middle = pieces.get(1);
    Frame last = pieces.get(2);
    assertTrue(first.startsFrame());
    assertFalse(first.endsFrame());
    assertFalse(middle.startsFrame());
    assertFalse(middle.endsFrame());
    assertEquals(3, middle.offset());
    assertEquals(4, middle.length());
    assertTrue(last.endsFrame());
    assertFalse(last.startsFrame());
    for (Frame piece : pieces) {
      assertFalse(piece.isWhole());
      assertFalse(piece.fin());
      assertEquals(10, piece.header().payloadLength());
    }
  }

  @Test
  void payloadViewIsReadOnly() {
    Frame frame = Frame.of(Opcode.BINARY, Bytes.hex("01 02 03"));
    ByteBuffer view = frame.payload();
    assertEquals(3, view.remaining());
    assertEquals(2, view.get(1));
    assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 9));
    assertArrayEquals(Bytes.hex("01 02 03"), frame.payloadArray());
  }

  @Test
  void toStringShowsKindSizeAndPlace() {
    assertEquals("TEXT 5 bytes \"Hello\"", Frame.of(Opcode.TEXT, Bytes.utf8("Hello")).toString());
    assertEquals("BINARY (not final) rsv=4 2 bytes",
        Frame.of(false, 4, Opcode.BINARY, new byte[2]).toString());
    Frame piece = FramePieces.split(true, Opcode.BINARY, new byte[10], 4).get(1);
    assertEquals("BINARY 6 bytes at 4 of 10", piece.toString());
  }

  @Test
  void headersRejectImpossibleFields() {
    assertThrows(IllegalArgumentException.class,
        () -> new FrameHeader(true, 8, Opcode.TEXT, false, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new FrameHeader(true, -1, Opcode.TEXT, false, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new FrameHeader(true, 0, Opcode.TEXT, false, -1));
    assertThrows(NullPointerException.class, () -> new FrameHeader(true, 0, null, false, 0));
  }

  @Test
  void headerLengthOnTheWire() {
    assertEquals(2, FrameHeader.lengthOnWire(0, false));
    assertEquals(2, FrameHeader.lengthOnWire(125, false));
    assertEquals(4, FrameHeader.lengthOnWire(126, false));
    assertEquals(4, FrameHeader.lengthOnWire(65535, false));
    assertEquals(10, FrameHeader.lengthOnWire(65536, false));
    assertEquals(14, FrameHeader.lengthOnWire(Long.MAX_VALUE, true));
    assertEquals(FrameHeader.MAX_HEADER_LENGTH, FrameHeader.lengthOnWire(1L << 40, true));
  }
}
