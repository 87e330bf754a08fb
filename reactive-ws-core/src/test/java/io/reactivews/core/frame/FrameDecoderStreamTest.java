package io.reactivews.core.frame;

import static io.reactivews.core.frame.Decoding.assertDecodes;
import static io.reactivews.core.frame.Decoding.assertEndsMidFrame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder over a stream: many frames per read, frames across reads, data frames in pieces,
 * unmasking at every phase, empty payloads, and input that stops inside a frame (1006).
 */
class FrameDecoderStreamTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);
  private static final FrameDecoder CLIENT = FrameDecoder.forRole(Role.CLIENT);

  @Test
  void manyFramesInOneRead() {
    RawFrame[] frames = {
      RawFrame.text("Hel").fin(false).masked(0x11223344),
      RawFrame.ping("are you there").masked(0x55667788),
      RawFrame.continuation("lo").masked(0x99aabbcc),
      RawFrame.binary(Bytes.pattern(9)).masked(0xddeeff00),
      RawFrame.pong("").masked(0x01010101),
      RawFrame.close(1000, "bye").masked(0xfefefefe),
    };
    List<JoinedFrame> expected = List.of(
        JoinedFrame.of(false, 0, Opcode.TEXT, true, Bytes.utf8("Hel")),
        JoinedFrame.of(Opcode.PING, true, Bytes.utf8("are you there")),
        JoinedFrame.of(Opcode.CONTINUATION, true, Bytes.utf8("lo")),
        JoinedFrame.of(Opcode.BINARY, true, Bytes.pattern(9)),
        JoinedFrame.of(Opcode.PONG, true, new byte[0]),
        JoinedFrame.of(Opcode.CLOSE, true, Bytes.hex("03 e8 62 79 65")));
    assertDecodes(SERVER, RawFrame.concat(frames), expected);
  }

  @Test
  void manySmallFramesCutInEveryPairOfPlaces() {
    byte[] input = RawFrame.concat(
        RawFrame.text("ab").masked(0x0f0e0d0c),
        RawFrame.ping("").masked(0x01020304),
        RawFrame.binary(Bytes.pattern(5)).masked(0xcafebabe),
        RawFrame.continuation(new byte[0]).masked(0x7f000001),
        RawFrame.text("xyz").masked());
    assertTrue(input.length <= 40, "short enough to cut three ways");
    assertDecodes(SERVER, input, List.of(
        JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("ab")),
        JoinedFrame.of(Opcode.PING, true, new byte[0]),
        JoinedFrame.of(Opcode.BINARY, true, Bytes.pattern(5)),
        JoinedFrame.of(Opcode.CONTINUATION, true, new byte[0]),
        JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("xyz"))));
  }

  @Test
  void everyOpcodeWithAnEmptyPayload() {
    List<RawFrame> frames = new ArrayList<>();
    List<JoinedFrame> expected = new ArrayList<>();
    for (Opcode opcode : Opcode.values()) {
      frames.add(RawFrame.of(opcode.code(), new byte[0]).masked());
      expected.add(JoinedFrame.of(opcode, true, new byte[0]));
    }
    assertDecodes(SERVER, RawFrame.concat(frames.toArray(RawFrame[]::new)), expected);

    frames.clear();
    expected.clear();
    for (Opcode opcode : Opcode.values()) {
      frames.add(RawFrame.of(opcode.code(), new byte[0]));
      expected.add(JoinedFrame.of(opcode, false, new byte[0]));
    }
    assertDecodes(CLIENT, RawFrame.concat(frames.toArray(RawFrame[]::new)), expected);
  }

  /** An empty ping between fragments, as keepalive sends them, must not upset the next frame. */
  @Test
  void emptyControlFrameFollowedByDataFrames() {
    byte[] input = RawFrame.concat(
        RawFrame.ping("").masked(),
        RawFrame.text("after ping").masked(),
        RawFrame.close(1000, "").payload(new byte[0]).masked(),
        RawFrame.binary(Bytes.pattern(3)).masked());
    assertDecodes(SERVER, input, List.of(
        JoinedFrame.of(Opcode.PING, true, new byte[0]),
        JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("after ping")),
        JoinedFrame.of(Opcode.CLOSE, true, new byte[0]),
        JoinedFrame.of(Opcode.BINARY, true, Bytes.pattern(3))));
    input = Bytes.hex("8a 00  82 03 01 02 03"); // unmasked empty pong, then 3 bytes of binary
    assertDecodes(CLIENT, input, List.of(
        JoinedFrame.of(Opcode.PONG, false, new byte[0]),
        JoinedFrame.of(Opcode.BINARY, false, Bytes.hex("01 02 03"))));
  }

  /**
   * A 34-byte payload behind a 6-byte header is cut in every pair of places, so pieces start at
   * every phase of the key and cover both the eight-byte path and the byte-by-byte tail.
   */
  @Test
  void unmaskingIsRightAtEveryPhaseAcrossReads() {
    byte[] payload = Bytes.pattern(34);
    for (int key : new int[] {0x37fa213d, 0xffffffff, 0x00000001, 0x80402010}) {
      byte[] input = RawFrame.binary(payload).masked(key).bytes();
      assertEquals(40, input.length);
      assertDecodes(SERVER, input, List.of(JoinedFrame.of(Opcode.BINARY, true, payload)));
    }
  }

  @Test
  void aDataFrameComesOutOnePieceForEachReadItSpans() {
    byte[] payload = Bytes.pattern(10);
    byte[] frame = RawFrame.binary(payload).masked().bytes(); // 6-byte header
    byte[] next = RawFrame.text("z").masked().bytes();
    List<byte[]> reads = List.of(
        Arrays.copyOfRange(frame, 0, 4), // header only: no piece
        Arrays.copyOfRange(frame, 4, 8), // rest of header and payload 0-1
        Arrays.copyOfRange(frame, 8, 13), // payload 2-6
        Bytes.concat(Arrays.copyOfRange(frame, 13, 16), next)); // payload 7-9, next frame
    for (Memory memory : Memory.values()) {
      List<Frame> pieces = Decoding.run(SERVER, reads, memory).assertCompleted();
      assertEquals(4, pieces.size(), pieces.toString());
      long[] offsets = {0, 2, 7};
      int[] lengths = {2, 5, 3};
      for (int i = 0; i < 3; i++) {
        Frame piece = pieces.get(i);
        assertEquals(offsets[i], piece.offset());
        assertEquals(lengths[i], piece.length());
        assertEquals(10, piece.header().payloadLength());
        assertEquals(i == 0, piece.startsFrame());
        assertEquals(i == 2, piece.endsFrame());
        assertFalse(piece.isWhole());
        int from = (int) offsets[i];
        byte[] expected = Arrays.copyOfRange(payload, from, from + lengths[i]);
        assertArrayEquals(expected, piece.payloadArray());
      }
      assertTrue(pieces.get(3).isWhole());
    }
  }

  @Test
  void aControlFrameArrivingByteByByteComesOutOnceWhole() {
    byte[] input = RawFrame.ping("Hello").masked().bytes();
    List<byte[]> reads = new ArrayList<>();
    for (byte b : input) {
      reads.add(new byte[] {b});
    }
    List<Frame> frames = Decoding.run(SERVER, reads, Memory.HEAP).assertCompleted();
    assertEquals(1, frames.size());
    assertTrue(frames.get(0).isWhole());
    assertArrayEquals(Bytes.utf8("Hello"), frames.get(0).payloadArray());
  }

  /**
   * Every prefix of a stream that stops inside a frame ends with 1006, after the frames before it
   * and the part of a data frame's payload that did arrive; a prefix that stops between frames
   * completes.
   */
  @Test
  void inputEndingInsideAFrameFailsWith1006() {
    RawFrame[] frames = {
      RawFrame.text("Hi").masked(),
      RawFrame.ping("p").masked(),
      RawFrame.binary(Bytes.pattern(3)).masked()
    };
    byte[] input = RawFrame.concat(frames);
    List<JoinedFrame> whole = List.of(
        JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("Hi")),
        JoinedFrame.of(Opcode.PING, true, Bytes.utf8("p")),
        JoinedFrame.of(Opcode.BINARY, true, Bytes.pattern(3)));
    int[] ends = {8, 15, 24};
    int[] headers = {6, 6, 6};
    for (int k = 1; k <= input.length; k++) {
      byte[] prefix = Arrays.copyOf(input, k);
      List<JoinedFrame> expected = new ArrayList<>();
      int start = 0;
      int frame = 0;
      while (frame < ends.length && ends[frame] <= k) {
        expected.add(whole.get(frame));
        start = ends[frame];
        frame++;
      }
      if (start == k) {
        assertDecodes(SERVER, prefix, expected);
        continue;
      }
      int payloadSoFar = k - start - headers[frame];
      Opcode opcode = whole.get(frame).header().opcode();
      if (payloadSoFar > 0 && opcode.isData()) {
        byte[] soFar = Arrays.copyOf(whole.get(frame).payload(), payloadSoFar);
        expected.add(JoinedFrame.partial(true, 0, opcode, true,
            whole.get(frame).payload().length, soFar));
      }
      assertEndsMidFrame(SERVER, prefix, expected);
    }
  }

  @Test
  void emptyInputCompletesWithNoFrames() {
    for (Memory memory : Memory.values()) {
      assertEquals(List.of(), Decoding.run(SERVER, List.of(), memory).assertCompleted());
      assertEquals(List.of(), Decoding.run(SERVER, List.of(new byte[0]), memory).assertCompleted());
    }
  }

  @Test
  void emptyReadsBetweenBytesChangeNothing() {
    byte[] input = RawFrame.text("Hello").masked().bytes();
    List<byte[]> reads = new ArrayList<>();
    reads.add(new byte[0]);
    for (byte b : input) {
      reads.add(new byte[] {b});
      reads.add(new byte[0]);
    }
    List<Frame> pieces = Decoding.run(SERVER, reads, Memory.DIRECT).assertCompleted();
    assertEquals(List.of(JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("Hello"))),
        JoinedFrame.join(pieces));
  }
}
