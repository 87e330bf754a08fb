package io.reactivews.core.frame;

import static io.reactivews.core.frame.Decoding.assertDecodes;
import static io.reactivews.core.frame.Decoding.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.Chopping.Chop;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawFrame.Length;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * RFC 6455 section 5.2, payload length: 7 bits up to 125, 126 and 16 bits, 127 and 64 bits with
 * the most significant bit 0; section 5.5, control frames of at most 125 bytes; and the
 * configured frame size limit (1009), which must fail from the header alone.
 */
class FrameDecoderLengthTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);
  private static final FrameDecoder CLIENT = FrameDecoder.forRole(Role.CLIENT);

  @Test
  void sevenBitLengthsUpTo125() {
    for (int length : new int[] {0, 1, 2, 3, 4, 5, 8, 9, 30, 124, 125}) {
      byte[] payload = Bytes.pattern(length);
      byte[] input = RawFrame.binary(payload).masked().bytes();
      assertEquals(2 + 4 + length, input.length);
      assertDecodes(SERVER, input, List.of(JoinedFrame.of(Opcode.BINARY, true, payload)));
    }
  }

  @Test
  void sixteenBitLengthsFrom126To65535() {
    for (int length : new int[] {126, 127, 1000, 65535}) {
      byte[] payload = Bytes.pattern(length);
      byte[] input = RawFrame.binary(payload).masked(0x01020304).bytes();
      assertEquals(126 | 0x80, input[1] & 0xFF);
      assertEquals(2 + 2 + 4 + length, input.length);
      assertDecodes(SERVER, Chopping.inFirst(input, 12, input.length / 2, input.length - 1),
          List.of(JoinedFrame.of(Opcode.BINARY, true, payload)));
    }
  }

  /**
   * Big payloads are cut only in the header and at a few payload offsets: with paranoid leak
   * detection every access to a direct buffer records a stack trace.
   */
  @Test
  void sixtyFourBitLengthsFrom65536() {
    for (int length : new int[] {65536, 65537}) {
      byte[] payload = Bytes.pattern(length);
      byte[] input = RawFrame.binary(payload).masked(0xa1b2c3d4).bytes();
      assertEquals(127 | 0x80, input[1] & 0xFF);
      assertEquals(2 + 8 + 4 + length, input.length);
      List<Chop> chops = length == 65536
          ? Chopping.inFirst(input, 15, input.length - 1)
          : Chopping.at(input, new int[] {14, 15, 14 + 65535}, false);
      assertDecodes(SERVER, chops, List.of(JoinedFrame.of(Opcode.BINARY, true, payload)));
    }
  }

  @Test
  void unmaskedLengthBoundariesOnTheClient() {
    for (int length : new int[] {125, 126, 65535, 65536}) {
      byte[] payload = Bytes.pattern(length);
      byte[] input = RawFrame.binary(payload).bytes();
      assertDecodes(CLIENT, Chopping.inFirst(input, 12, input.length - 1),
          List.of(JoinedFrame.of(Opcode.BINARY, false, payload)));
    }
  }

  /** Senders must use the minimal form; we are liberal in what we accept, as long as it fits. */
  @Test
  void nonMinimalLengthsAreAccepted() {
    byte[] five = Bytes.utf8("Hello");
    byte[] input = RawFrame.concat(
        RawFrame.text("Hello").lengthEncoding(Length.BITS_16).masked(),
        RawFrame.text("Hello").lengthEncoding(Length.BITS_64).masked(),
        RawFrame.binary(new byte[0]).lengthEncoding(Length.BITS_64).masked(),
        RawFrame.binary(Bytes.pattern(200)).lengthEncoding(Length.BITS_64).masked());
    assertDecodes(SERVER, Chopping.inFirst(input, input.length - 1), List.of(
        JoinedFrame.of(Opcode.TEXT, true, five),
        JoinedFrame.of(Opcode.TEXT, true, five),
        JoinedFrame.of(Opcode.BINARY, true, new byte[0]),
        JoinedFrame.of(Opcode.BINARY, true, Bytes.pattern(200))));
  }

  /** "the most significant bit MUST be 0". */
  @Test
  void sixtyFourBitLengthWithTopBitSetIsRejected() {
    for (long declared : new long[] {Long.MIN_VALUE, -1L, 0x8000000000000005L}) {
      byte[] input = RawFrame.binary(new byte[0]).lengthEncoding(Length.BITS_64)
          .declaredLength(declared).masked().bytes();
      assertFails(SERVER, input, 3, List.of(), 1002, "64-bit payload length with the top bit set");
      // Not mistaken for a frame that is merely too big, however high the limit.
      assertFails(SERVER.maxFrameSize(Long.MAX_VALUE), input, 3, List.of(), 1002,
          "64-bit payload length with the top bit set");
      byte[] unmasked = RawFrame.binary(new byte[0]).lengthEncoding(Length.BITS_64)
          .declaredLength(declared).bytes();
      assertFails(CLIENT, unmasked, 3, List.of(), 1002, "top bit set");
    }
  }

  @Test
  void largestSixtyFourBitLengthIsOnlyTooBig() {
    byte[] input = RawFrame.binary(new byte[0]).declaredLength(Long.MAX_VALUE).masked().bytes();
    assertFails(SERVER, input, 14, List.of(), 1009,
        "frame of " + Long.MAX_VALUE + " bytes exceeds the limit of " + (1 << 20));
  }

  /** Section 5.5: "All control frames MUST have a payload length of 125 bytes or less". */
  @Test
  void controlFramesLongerThan125BytesAreRejected() {
    for (int code : new int[] {0x8, 0x9, 0xA}) {
      Opcode opcode = Opcode.fromCode(code);
      byte[] input = RawFrame.of(code, Bytes.pattern(126)).masked().bytes();
      assertFails(SERVER, input, 2, List.of(), 1002, opcode + " frame with an extended length");
    }
  }

  /** Failing at the second byte means a control frame's length must be in the 7-bit form. */
  @Test
  void controlFrameLengthMustUseTheSevenBitForm() {
    byte[] input = RawFrame.pong("ok").lengthEncoding(Length.BITS_16).masked().bytes();
    assertFails(SERVER, input, 2, List.of(), 1002, "PONG frame with an extended length");
    input = RawFrame.close(1000, "").lengthEncoding(Length.BITS_64).masked().bytes();
    assertFails(SERVER, input, 2, List.of(), 1002, "CLOSE frame with an extended length");
  }

  @Test
  void controlFramesOf125BytesComeWhole() {
    byte[] payload = Bytes.pattern(125);
    byte[] input = RawFrame.of(0x9, payload).masked().bytes();
    assertDecodes(SERVER.maxFrameSize(125), input,
        List.of(JoinedFrame.of(Opcode.PING, true, payload)));
  }

  @Test
  void framesUpToTheLimitAreAccepted() {
    byte[] payload = Bytes.pattern(1000);
    byte[] input =
        RawFrame.concat(RawFrame.binary(payload).masked(), RawFrame.binary(payload).masked());
    assertDecodes(SERVER.maxFrameSize(1000), Chopping.inFirst(input, 10, 1008, 1009, 1010),
        List.of(JoinedFrame.of(Opcode.BINARY, true, payload),
            JoinedFrame.of(Opcode.BINARY, true, payload)));
  }

  /** The limit is checked from the header: the reads holding the payload are never taken. */
  @Test
  void framesOverTheLimitFailWith1009FromTheHeader() {
    byte[] header16 = RawFrame.binary(new byte[0]).declaredLength(1001).masked().header();
    byte[] input = Bytes.concat(header16, Bytes.pattern(7));
    assertFails(SERVER.maxFrameSize(1000), input, header16.length, List.of(), 1009,
        "frame of 1001 bytes exceeds the limit of 1000");

    byte[] header64 = RawFrame.binary(new byte[0]).declaredLength(1L << 40).masked().header();
    input = Bytes.concat(header64, Bytes.pattern(7));
    assertFails(SERVER, input, header64.length, List.of(), 1009,
        "frame of 1099511627776 bytes exceeds the limit of 1048576");
  }

  @Test
  void framesOverTheLimitFailEvenIfThePayloadNeverComes() {
    byte[] header = RawFrame.text("").declaredLength(70_000).masked().header();
    InboundSource source = InboundSource.of(Memory.DIRECT, header).leftOpen();
    StepVerifier.create(source.flux().transform(SERVER.maxFrameSize(65536)))
        .expectErrorSatisfies(e -> {
          assertEquals(1009, ((WebSocketException) e).code());
          assertEquals("frame of 70000 bytes exceeds the limit of 65536", e.getMessage());
        })
        .verify(Duration.ofSeconds(10));
    assertTrue(source.isCancelled());
    source.assertClean();
  }
}
