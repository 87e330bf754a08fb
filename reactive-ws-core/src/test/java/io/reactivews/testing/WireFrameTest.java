package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The raw frame's encoder writes exactly the fields it is given, and its reader gives them back
 * (RFC 6455 section 5.2).
 */
class WireFrameTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void masksWithTheChosenKeyAsInTheRfcExample() {
    // RFC 6455 section 5.7: a masked "Hello".
    assertArrayEquals(hex("81 85 37fa213d 7f9f4d5158"),
        WireFrame.text("Hello").maskedWith(0x37fa213d).encode(0));
  }

  @Test
  void masksWithTheDefaultKeyWhenNoneWasChosen() {
    assertArrayEquals(hex("81 85 37fa213d 7f9f4d5158"), WireFrame.text("Hello").encode(0x37fa213d));
  }

  @Test
  void unmaskedFramesClearTheMaskBit() {
    assertArrayEquals(hex("81 05 48656c6c6f"), WireFrame.text("Hello").unmasked().encode(1));
  }

  @Test
  void writesReservedBitsOpcodesAndFinAsGiven() {
    // FIN clear, RSV1+RSV3 (5), opcode 0xB, empty payload.
    assertArrayEquals(hex("5b 00"), WireFrame.of(0xB, new byte[0]).fin(false).rsv(5).unmasked()
        .encode(0));
  }

  @Test
  void choosesTheShortestLengthByDefault() {
    assertArrayEquals(hex("82 7d"), header(WireFrame.binary(new byte[125]).unmasked().encode(0)));
    assertArrayEquals(hex("82 7e 007e"),
        header(WireFrame.binary(new byte[126]).unmasked().encode(0)));
    assertArrayEquals(hex("82 7f 0000000000010000"),
        header(WireFrame.binary(new byte[65536]).unmasked().encode(0)));
  }

  @Test
  void writesNonMinimalLengthsWhenAsked() {
    assertArrayEquals(hex("82 7e 0003 000000"), WireFrame.binary(new byte[3]).unmasked()
        .lengthEncoding(WireFrame.Length.EXTENDED_16).encode(0));
    assertArrayEquals(hex("82 7f 0000000000000003 000000"), WireFrame.binary(new byte[3])
        .unmasked().lengthEncoding(WireFrame.Length.EXTENDED_64).encode(0));
    assertThrows(IllegalArgumentException.class,
        () -> WireFrame.binary(new byte[126]).lengthEncoding(WireFrame.Length.SHORT_7));
  }

  @Test
  void closeFramesCarryAnyCodeAndRawReason() {
    WireFrame close = WireFrame.close(65535, new byte[] {(byte) 0xff});
    assertArrayEquals(hex("ffff ff"), close.payload());
    assertEquals(65535, close.closeCode());
    assertArrayEquals(hex("ff"), close.closeReason());
    assertEquals(-1, WireFrame.of(WireFrame.CLOSE, new byte[1]).closeCode());
  }

  @Test
  void readUnmasksAndKeepsTheKeyAsInTheRfcExample() throws IOException {
    WireFrame hello = WireFrame.read(in("81 85 37fa213d 7f9f4d5158"));
    assertTrue(hello.fin());
    assertEquals(WireFrame.TEXT, hello.opcode());
    assertTrue(hello.isMasked());
    assertEquals("Hello", hello.text());
  }

  @Test
  void readGivesBackEveryFieldEncodeWrote() throws IOException {
    for (int size : new int[] {0, 125, 126, 65535, 65536}) {
      byte[] payload = new byte[size];
      Arrays.fill(payload, (byte) 'a');
      WireFrame sent = WireFrame.binary(payload).fin(false).rsv(3);
      WireFrame read = WireFrame.read(new ByteArrayInputStream(sent.encode(0x1234abcd)));
      assertEquals(sent, read, "payload of " + size);
      assertTrue(read.isMasked());
    }
    WireFrame unmasked = WireFrame.read(in("8a 01 78")); // pong "x"
    assertFalse(unmasked.isMasked());
    assertEquals(WireFrame.pong(new byte[] {'x'}), unmasked);
  }

  @Test
  void readOrNullIsNullOnlyWhenTheStreamEndsBetweenFrames() throws IOException {
    assertNull(WireFrame.readOrNull(in("")));
    byte[] wire = hex("82 fe 0003 37fa213d 000000"); // masked, 16-bit length 3
    for (int cut = 1; cut < wire.length; cut++) {
      ByteArrayInputStream prefix = new ByteArrayInputStream(wire, 0, cut);
      assertThrows(EOFException.class, () -> WireFrame.readOrNull(prefix), "cut at " + cut);
    }
    assertThrows(EOFException.class, () -> WireFrame.read(in("")));
  }

  @Test
  void readRefusesFramesOverItsLimit() {
    IOException e = assertThrows(IOException.class,
        () -> WireFrame.read(in("82 7f 0000000004000001"))); // 64 MiB + 1
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  private static ByteArrayInputStream in(String hex) {
    return new ByteArrayInputStream(hex(hex));
  }

  private static byte[] header(byte[] wire) {
    int length = (wire[1] & 0x7f) == 126 ? 4 : (wire[1] & 0x7f) == 127 ? 10 : 2;
    return java.util.Arrays.copyOf(wire, length);
  }
}
