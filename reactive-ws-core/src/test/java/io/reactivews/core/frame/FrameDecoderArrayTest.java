package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.RawFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decoder unmasks each data frame into one array and hands out its pieces as windows on it,
 * so the last piece's array is the whole payload, which a single-frame message keeps.
 */
class FrameDecoderArrayTest {

  private static final FrameDecoder SERVER =
      FrameDecoder.forRole(Role.SERVER).maxFrameSize(1 << 20);

  /** Cut wherever the reads may fall, a frame's pieces share one array that ends up whole. */
  @Test
  void piecesOfAFrameShareOneArrayThatEndsHoldingThePayload() {
    byte[] payload = Bytes.pattern(30);
    // 6-byte header (masked, 7-bit length), 30 bytes of payload, then a ping: 43 bytes.
    byte[] input = RawFrame.concat(
        RawFrame.binary(payload).masked(0x0a0b0c0d), RawFrame.ping("p").masked());
    Chopping.forEach(input, chop -> {
      List<Frame> frames = Decoding.run(SERVER, chop.reads(), Memory.DIRECT).assertCompleted();
      List<Frame> pieces = frames.subList(0, frames.size() - 1);
      byte[] array = pieces.get(0).array();
      long offset = 0;
      for (Frame piece : pieces) {
        assertSame(array, piece.array(), chop.toString());
        assertTrue(piece.arrayHoldsFrame(), chop.toString());
        assertEquals(offset, piece.arrayOffset(), chop.toString());
        assertArrayEquals(Arrays.copyOfRange(payload, (int) offset, (int) offset + piece.length()),
            piece.payloadArray(), chop.toString());
        offset += piece.length();
      }
      assertEquals(30, offset, chop.toString());
      assertArrayEquals(payload, array, chop.toString());
      assertArrayEquals(Bytes.utf8("p"), frames.get(frames.size() - 1).payloadArray());
    });
  }

  /**
   * A frame past the first chunk grows its array sixteenfold as bytes arrive (64 KiB, 1 MiB,
   * then its size), never past its size; each piece's array holds the frame up to the piece's end.
   */
  @Test
  void aLargeFrameGrowsItsArraySixteenfoldUpToItsSize() {
    FrameDecoder decoder = FrameDecoder.forRole(Role.SERVER).maxFrameSize(4 << 20);
    assertEquals(List.of(64 << 10, 300_000), arraysWhileReading(decoder, 300_000, 10_000));
    assertEquals(List.of(64 << 10, 1 << 20, 1_300_000),
        arraysWhileReading(decoder, 1_300_000, 50_000));
  }

  /** A frame of exactly 1 MiB, the usual large message, is copied once: its first 64 KiB. */
  @Test
  void aFrameOfOneMebibyteGrowsOnceToItsSize() {
    assertEquals(List.of(64 << 10, 1 << 20), arraysWhileReading(SERVER, 1 << 20, 65_536));
  }

  /** The lengths of the arrays a frame of {@code size} bytes went through, read in pieces. */
  private static List<Integer> arraysWhileReading(FrameDecoder decoder, int size, int readSize) {
    byte[] payload = Bytes.pattern(size);
    byte[] input = RawFrame.binary(payload).masked(0x01020304).bytes();
    List<byte[]> reads = new ArrayList<>();
    for (int from = 0; from < input.length; from += readSize) {
      reads.add(Arrays.copyOfRange(input, from, Math.min(input.length, from + readSize)));
    }
    List<Frame> pieces = Decoding.run(decoder, reads, Memory.HEAP).assertCompleted();
    Map<byte[], Boolean> arrays = new IdentityHashMap<>();
    long end = 0;
    for (Frame piece : pieces) {
      arrays.put(piece.array(), true);
      end += piece.length();
      assertTrue(piece.arrayHoldsFrame());
      assertTrue(piece.array().length >= end && piece.array().length <= size);
      assertArrayEquals(Arrays.copyOf(payload, (int) end), Arrays.copyOf(piece.array(), (int) end));
    }
    assertArrayEquals(payload, pieces.get(pieces.size() - 1).array());
    return arrays.keySet().stream().map(a -> a.length).sorted().toList();
  }

  /** Pieces cut from a shared array copy themselves out; a whole frame's array is its own. */
  @Test
  void payloadArrayOfAWindowIsACopyOfJustThePiece() {
    FrameHeader header = new FrameHeader(true, 0, Opcode.BINARY, false, 6);
    byte[] shared = Bytes.hex("01 02 03 04 05 06");
    Frame window = new Frame(header, shared, 2, 3, 2);
    assertArrayEquals(Bytes.hex("03 04 05"), window.payloadArray());
    ByteBuffer view = window.payload();
    byte[] viewed = new byte[view.remaining()];
    view.get(viewed);
    assertArrayEquals(Bytes.hex("03 04 05"), viewed);
    assertTrue(window.arrayHoldsFrame());
    assertFalse(window.endsFrame());
    Frame whole = new Frame(header, shared, 0, 6, 0);
    assertSame(shared, whole.payloadArray());
    Frame ownArray = new Frame(header, Bytes.hex("05 06"), 4);
    assertFalse(ownArray.arrayHoldsFrame());
    assertTrue(ownArray.endsFrame());
  }
}
