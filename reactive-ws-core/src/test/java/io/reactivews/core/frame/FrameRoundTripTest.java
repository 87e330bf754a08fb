package io.reactivews.core.frame;

import static io.reactivews.core.frame.Decoding.assertDecodes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one end encodes, the other decodes to the same frame: every length from 0 to 140 and the
 * length-form boundaries, unmasked from a server and masked from a client with seeded keys, with
 * the wire bytes cut where the payload starts at each phase of the key.
 */
class FrameRoundTripTest {

  private static final FrameEncoder SERVER_OUT = FrameEncoder.forRole(Role.SERVER);
  private static final FrameDecoder CLIENT_IN = FrameDecoder.forRole(Role.CLIENT);
  private static final FrameDecoder SERVER_IN = FrameDecoder.forRole(Role.SERVER);

  private static List<Integer> lengths() {
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i <= 140; i++) {
      lengths.add(i);
    }
    lengths.addAll(List.of(1000, 65535, 65536));
    return lengths;
  }

  private static byte[] wire(FrameEncoder encoder, Frame frame) {
    ByteBuf out = encoder.encode(PooledByteBufAllocator.DEFAULT, frame);
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** Cuts at each phase of the payload start, in the middle, and just before the end. */
  private static List<Chopping.Chop> phaseCuts(byte[] input, int payloadLength) {
    int header = input.length - payloadLength;
    int[] cuts = {1, header, header + 1, header + 2, header + 3, header + 5,
        header + payloadLength / 2, input.length - 1};
    return Chopping.at(input, cuts, payloadLength <= 24);
  }

  @Test
  void serverFramesDecodeOnTheClient() {
    for (int length : lengths()) {
      byte[] payload = Bytes.pattern(length);
      Frame frame = Frame.of(false, 0, Opcode.BINARY, payload);
      byte[] input = wire(SERVER_OUT, frame);
      assertDecodes(CLIENT_IN, phaseCuts(input, length),
          List.of(JoinedFrame.of(false, 0, Opcode.BINARY, false, payload)));
    }
  }

  @Test
  void clientFramesDecodeOnTheServer() {
    FrameEncoder client = FrameEncoder.masking(RawFrame.keys(42));
    for (int length : lengths()) {
      byte[] payload = Bytes.pattern(length);
      Frame frame = Frame.of(true, FrameHeader.RSV1, Opcode.TEXT, payload);
      byte[] input = wire(client, frame);
      assertDecodes(SERVER_IN.allowRsv(FrameHeader.RSV1), phaseCuts(input, length),
          List.of(JoinedFrame.of(true, FrameHeader.RSV1, Opcode.TEXT, true, payload)));
    }
  }

  @Test
  void aConversationRoundTrips() {
    FrameEncoder client = FrameEncoder.masking(RawFrame.keys(7));
    Frame[] frames = {
      Frame.of(false, 0, Opcode.TEXT, Bytes.utf8("Hel")),
      Frame.of(Opcode.PING, Bytes.utf8("?")),
      Frame.of(true, 0, Opcode.CONTINUATION, Bytes.utf8("lo")),
      Frame.empty(Opcode.PONG),
      Frame.of(Opcode.CLOSE, Bytes.hex("03 e8")),
    };
    List<byte[]> parts = new ArrayList<>();
    List<JoinedFrame> expected = new ArrayList<>();
    for (Frame frame : frames) {
      parts.add(wire(client, frame));
      expected.add(JoinedFrame.of(frame.fin(), 0, frame.opcode(), true, frame.payloadArray()));
    }
    assertDecodes(SERVER_IN, Bytes.concat(parts.toArray(byte[][]::new)), expected);
  }
}
