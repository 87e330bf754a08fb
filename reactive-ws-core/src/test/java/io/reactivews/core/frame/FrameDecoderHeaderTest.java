package io.reactivews.core.frame;

import static io.reactivews.core.frame.Decoding.assertDecodes;
import static io.reactivews.core.frame.Decoding.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.RawFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 section 5.2, the first two bytes: opcode, FIN, RSV1-3 and the mask bit. Every input is
 * decoded in every chop, direct and heap; failures must come at the read holding the second
 * byte, before anything after it is read.
 */
class FrameDecoderHeaderTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);
  private static final FrameDecoder CLIENT = FrameDecoder.forRole(Role.CLIENT);
  private static final byte[] X = Bytes.utf8("x");

  @Test
  void everyDefinedOpcodeIsDecoded() {
    for (Opcode opcode : Opcode.values()) {
      byte[] input = RawFrame.of(opcode.code(), X).masked().bytes();
      assertDecodes(SERVER, input, List.of(JoinedFrame.of(opcode, true, X)));
    }
  }

  /** "%x3-7 are reserved for further non-control frames". */
  @Test
  void reservedNonControlOpcodesAreRejected() {
    for (int code = 0x3; code <= 0x7; code++) {
      // A good frame first, so the error must come after it.
      byte[] input = Bytes.concat(
          RawFrame.text("ok").masked().bytes(),
          RawFrame.of(code, X).masked().bytes());
      assertFails(SERVER, input, 8 + 2, List.of(text("ok")), 1002, "reserved opcode 0x" + code);
    }
  }

  /** "%xB-F are reserved for further control frames". */
  @Test
  void reservedControlOpcodesAreRejected() {
    for (int code = 0xB; code <= 0xF; code++) {
      byte[] input = RawFrame.of(code, X).masked().bytes();
      assertFails(SERVER, input, 2, List.of(), 1002,
          "reserved opcode 0x" + Integer.toHexString(code));
    }
  }

  @Test
  void reservedOpcodesAreRejectedEvenWithoutPayload() {
    byte[] input = Bytes.hex("83 80 00 00 00 00"); // opcode 3, masked, length 0, key 0
    assertFails(SERVER, input, 2, List.of(), 1002, "reserved opcode 0x3");
  }

  @Test
  void finBitIsReportedOnDataFrames() {
    byte[] input = RawFrame.concat(
        RawFrame.text("Hel").fin(false).masked(),
        RawFrame.continuation("lo").fin(false).masked(),
        RawFrame.continuation("!").masked());
    assertDecodes(SERVER, input, List.of(
        JoinedFrame.of(false, 0, Opcode.TEXT, true, Bytes.utf8("Hel")),
        JoinedFrame.of(false, 0, Opcode.CONTINUATION, true, Bytes.utf8("lo")),
        JoinedFrame.of(true, 0, Opcode.CONTINUATION, true, Bytes.utf8("!"))));
  }

  /** Section 5.5: "Control frames themselves MUST NOT be fragmented." */
  @Test
  void controlFramesMustBeFinal() {
    for (int code : new int[] {0x8, 0x9, 0xA}) {
      Opcode opcode = Opcode.fromCode(code);
      byte[] input = RawFrame.of(code, X).fin(false).masked().bytes();
      assertFails(SERVER, input, 2, List.of(), 1002, "fragmented " + opcode + " frame");
    }
  }

  /** "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values". */
  @Test
  void reservedBitsAreRejectedWithoutAnExtension() {
    String[] names = {"", "RSV3", "RSV2", "RSV2 RSV3", "RSV1", "RSV1 RSV3", "RSV1 RSV2",
        "RSV1 RSV2 RSV3"};
    for (int rsv = 1; rsv <= 7; rsv++) {
      byte[] input = RawFrame.binary(X).rsv(rsv).masked().bytes();
      assertFails(SERVER, input, 2, List.of(), 1002,
          "reserved bits set without an extension: " + names[rsv]);
    }
  }

  @Test
  void allowedReservedBitsPassOnDataFramesAndAreReported() {
    FrameDecoder deflate = SERVER.allowRsv(FrameHeader.RSV1);
    byte[] input = RawFrame.concat(
        RawFrame.text("a").rsv(FrameHeader.RSV1).fin(false).masked(),
        RawFrame.continuation("b").masked(),
        RawFrame.binary(X).rsv(FrameHeader.RSV1).masked());
    assertDecodes(deflate, input, List.of(
        JoinedFrame.of(false, FrameHeader.RSV1, Opcode.TEXT, true, Bytes.utf8("a")),
        JoinedFrame.of(true, 0, Opcode.CONTINUATION, true, Bytes.utf8("b")),
        JoinedFrame.of(true, FrameHeader.RSV1, Opcode.BINARY, true, X)));
  }

  @Test
  void reservedBitsNoExtensionClaimedAreStillRejected() {
    FrameDecoder deflate = SERVER.allowRsv(FrameHeader.RSV1);
    byte[] input = RawFrame.text("a").rsv(FrameHeader.RSV1 | FrameHeader.RSV2).masked().bytes();
    assertFails(deflate, input, 2, List.of(), 1002, "reserved bits set without an extension: RSV2");
  }

  /** Extensions give meaning to data frames only; control frames may never carry RSV bits. */
  @Test
  void controlFramesNeverCarryReservedBits() {
    FrameDecoder all = SERVER.allowRsv(7);
    for (int rsv = 1; rsv <= 7; rsv++) {
      byte[] input = RawFrame.ping("p").rsv(rsv).masked().bytes();
      assertFails(all, input, 2, List.of(), 1002, "reserved bits set without an extension");
    }
  }

  @Test
  void allowRsvAcceptsOnlyThreeBits() {
    assertThrows(IllegalArgumentException.class, () -> SERVER.allowRsv(8));
    assertThrows(IllegalArgumentException.class, () -> SERVER.allowRsv(-1));
  }

  /** Section 5.1: a server must close the connection on any frame that is not masked. */
  @Test
  void serverRejectsUnmaskedFrames() {
    byte[] input = Bytes.concat(
        RawFrame.text("ok").masked().bytes(), RawFrame.text("bad").bytes());
    assertFails(SERVER, input, 8 + 2, List.of(text("ok")), 1002, "unmasked frame from a client");
  }

  @Test
  void serverRejectsUnmaskedEmptyControlFrames() {
    assertFails(SERVER, Bytes.hex("89 00"), 2, List.of(), 1002, "unmasked frame from a client");
  }

  /** Section 5.1: "A client MUST close a connection if it detects a masked frame." */
  @Test
  void clientRejectsMaskedFrames() {
    byte[] input = Bytes.concat(RawFrame.text("ok").bytes(), RawFrame.text("bad").masked().bytes());
    assertFails(CLIENT, input, 4 + 2, List.of(JoinedFrame.of(Opcode.TEXT, false, Bytes.utf8("ok"))),
        1002, "masked frame from a server");
  }

  @Test
  void clientDecodesUnmaskedFrames() {
    // RFC 6455 section 5.7: a single-frame unmasked text message, and an unmasked ping.
    byte[] input = Bytes.hex("81 05 48 65 6c 6c 6f  89 05 48 65 6c 6c 6f");
    assertDecodes(CLIENT, input, List.of(
        JoinedFrame.of(Opcode.TEXT, false, Bytes.utf8("Hello")),
        JoinedFrame.of(Opcode.PING, false, Bytes.utf8("Hello"))));
  }

  @Test
  void serverUnmasksTheRfcExample() {
    // RFC 6455 section 5.7: a single-frame masked text message "Hello".
    byte[] input = Bytes.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    assertDecodes(SERVER, input, List.of(JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8("Hello"))));
  }

  @Test
  void decoderIsConfiguredByCopy() {
    FrameDecoder limited = SERVER.maxFrameSize(1000);
    assertEquals(FrameDecoder.DEFAULT_MAX_FRAME_SIZE, SERVER.maxFrameSize());
    assertEquals(1000, limited.maxFrameSize());
    assertEquals(Role.SERVER, limited.role());
    assertThrows(IllegalArgumentException.class, () -> SERVER.maxFrameSize(124));
  }

  private static JoinedFrame text(String text) {
    return JoinedFrame.of(Opcode.TEXT, true, Bytes.utf8(text));
  }
}
