package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame.Length;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The raw frame writes exactly the fields it is given, including what RFC 6455 section 5.2
 * forbids, and its reader gives them back.
 */
class RawFrameTest {

  @Test
  void rfcExamples() {
    // RFC 6455 section 5.7.
    assertEquals("81 05 48 65 6c 6c 6f", RawFrame.text("Hello").hex());
    assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58", RawFrame.text("Hello").masked().hex());
    assertEquals("01 03 48 65 6c", RawFrame.text("Hel").fin(false).hex());
    assertEquals("80 02 6c 6f", RawFrame.continuation("lo").hex());
    assertEquals("8a 85 37 fa 21 3d 7f 9f 4d 51 58", RawFrame.pong("Hello").masked().hex());
  }

  @Test
  void masksWithTheChosenKeyAsInTheRfcExample() {
    // RFC 6455 section 5.7: a masked "Hello".
    assertArrayEquals(Bytes.hex("81 85 37fa213d 7f9f4d5158"),
        RawFrame.text("Hello").masked(0x37fa213d).bytes(0));
  }

  @Test
  void masksWithTheDefaultKeyWhenNoneWasChosen() {
    assertArrayEquals(Bytes.hex("81 85 37fa213d 7f9f4d5158"),
        RawFrame.text("Hello").bytes(0x37fa213d));
  }

  @Test
  void unmaskedFramesClearTheMaskBit() {
    assertArrayEquals(Bytes.hex("81 05 48656c6c6f"), RawFrame.text("Hello").unmasked().bytes(1));
  }

  @Test
  void writesReservedBitsOpcodesAndFinAsGiven() {
    // FIN clear, RSV1+RSV3 (5), opcode 0xB, empty payload.
    assertArrayEquals(Bytes.hex("5b 00"),
        RawFrame.of(0xB, new byte[0]).fin(false).rsv(5).unmasked().bytes(0));
  }

  @Test
  void anyBitsAndOpcodes() {
    assertEquals("f3 00", RawFrame.of(0x3, new byte[0]).rsv(7).hex());
    assertEquals("0f 00", RawFrame.of(0xF, new byte[0]).fin(false).hex());
    assertEquals("88 82 00 00 00 00 03 e8", RawFrame.close(1000, "").masked(0).hex());
    assertThrows(IllegalArgumentException.class, () -> RawFrame.of(16, new byte[0]));
  }

  @Test
  void choosesTheShortestLengthByDefault() {
    assertArrayEquals(Bytes.hex("82 7d"), RawFrame.binary(new byte[125]).unmasked().header());
    assertArrayEquals(Bytes.hex("82 7e 007e"), RawFrame.binary(new byte[126]).unmasked().header());
    assertArrayEquals(Bytes.hex("82 7f 0000000000010000"),
        RawFrame.binary(new byte[65536]).unmasked().header());
  }

  @Test
  void everyLengthForm() {
    assertEquals("81 7e 00 02 68 69", RawFrame.text("hi").lengthEncoding(Length.BITS_16).hex());
    assertEquals("81 7f 00 00 00 00 00 00 00 02 68 69",
        RawFrame.text("hi").lengthEncoding(Length.BITS_64).hex());
    assertEquals("82 7e 01 00", Bytes.toHex(RawFrame.binary(new byte[256]).header()));
    assertEquals("82 7f 00 00 00 00 00 01 00 00",
        Bytes.toHex(RawFrame.binary(new byte[65536]).header()));
  }

  @Test
  void writesNonMinimalLengthsWhenAsked() {
    assertArrayEquals(Bytes.hex("82 7e 0003 000000"), RawFrame.binary(new byte[3]).unmasked()
        .lengthEncoding(Length.BITS_16).bytes(0));
    assertArrayEquals(Bytes.hex("82 7f 0000000000000003 000000"), RawFrame.binary(new byte[3])
        .unmasked().lengthEncoding(Length.BITS_64).bytes(0));
  }

  @Test
  void refusesALengthFormTooShortForTheLength() {
    assertThrows(IllegalArgumentException.class,
        () -> RawFrame.binary(new byte[126]).lengthEncoding(Length.BITS_7));
    assertThrows(IllegalArgumentException.class,
        () -> RawFrame.binary(new byte[65536]).lengthEncoding(Length.BITS_16));
    // A declared length is checked too; -1L is 2^64 - 1 unsigned.
    assertThrows(IllegalArgumentException.class,
        () -> RawFrame.binary(new byte[0]).lengthEncoding(Length.BITS_16).declaredLength(-1L));
  }

  @Test
  void declaredLengthsMayLie() {
    assertEquals("82 7f ff ff ff ff ff ff ff ff",
        RawFrame.binary(new byte[0]).declaredLength(-1L).hex());
    assertEquals("82 7f 80 00 00 00 00 00 00 00",
        RawFrame.binary(new byte[0]).declaredLength(Long.MIN_VALUE).hex());
    assertEquals("82 7e 03 e9", RawFrame.binary(new byte[0]).declaredLength(1001).hex());
  }

  @Test
  void maskingIsByteByByteWithTheKeyHighByteFirst() {
    RawFrame frame = RawFrame.binary(Bytes.hex("00 00 00 00 00 00")).masked(0x01020304);
    assertArrayEquals(Bytes.hex("01 02 03 04 01 02"), frame.wirePayload());
    assertArrayEquals(Bytes.hex("00 00 00 00 00 00"), frame.payload());
    assertEquals(0x01020304, frame.key());
    assertEquals("82 06", Bytes.toHex(frame.unmasked().header()));
    assertThrows(IllegalStateException.class, () -> frame.unmasked().key());
  }

  @Test
  void closeFramesCarryAnyCodeAndRawReason() {
    RawFrame close = RawFrame.close(65535, new byte[] {(byte) 0xff});
    assertArrayEquals(Bytes.hex("ffff ff"), close.payload());
    assertEquals(65535, close.closeCode());
    assertArrayEquals(Bytes.hex("ff"), close.closeReason());
    assertEquals(-1, RawFrame.of(RawFrame.CLOSE, new byte[1]).closeCode());
  }

  @Test
  void readUnmasksAndKeepsTheKeyAsInTheRfcExample() throws IOException {
    RawFrame hello = RawFrame.read(in("81 85 37fa213d 7f9f4d5158"));
    assertTrue(hello.fin());
    assertEquals(RawFrame.TEXT, hello.opcode());
    assertTrue(hello.isMasked());
    assertEquals(0x37fa213d, hello.key());
    assertEquals("Hello", hello.text());
  }

  @Test
  void readGivesBackEveryFieldTheWriterWrote() throws IOException {
    for (int size : new int[] {0, 125, 126, 65535, 65536}) {
      byte[] payload = new byte[size];
      Arrays.fill(payload, (byte) 'a');
      RawFrame sent = RawFrame.binary(payload).fin(false).rsv(3);
      RawFrame read = RawFrame.read(new ByteArrayInputStream(sent.bytes(0x1234abcd)));
      assertEquals(sent, read, "payload of " + size);
      assertTrue(read.isMasked());
    }
    RawFrame unmasked = RawFrame.read(in("8a 01 78")); // pong "x"
    assertFalse(unmasked.isMasked());
    assertEquals(RawFrame.pong(new byte[] {'x'}), unmasked);
  }

  @Test
  void readOrNullIsNullOnlyWhenTheStreamEndsBetweenFrames() throws IOException {
    assertNull(RawFrame.readOrNull(in("")));
    byte[] wire = Bytes.hex("82 fe 0003 37fa213d 000000"); // masked, 16-bit length 3
    for (int cut = 1; cut < wire.length; cut++) {
      ByteArrayInputStream prefix = new ByteArrayInputStream(wire, 0, cut);
      assertThrows(EOFException.class, () -> RawFrame.readOrNull(prefix), "cut at " + cut);
    }
    assertThrows(EOFException.class, () -> RawFrame.read(in("")));
  }

  @Test
  void readRefusesFramesOverItsLimit() {
    IOException e = assertThrows(IOException.class,
        () -> RawFrame.read(in("82 7f 0000000004000001"))); // 64 MiB + 1
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void seededKeysRepeatAcrossRunsAndDifferAcrossSeeds() {
    IntSupplier a = RawFrame.keys(1);
    IntSupplier b = RawFrame.keys(1);
    IntSupplier c = RawFrame.keys(2);
    for (int i = 0; i < 10; i++) {
      int key = a.getAsInt();
      assertEquals(key, b.getAsInt());
      assertNotEquals(key, c.getAsInt());
    }
  }

  @Test
  void bytesHelpers() {
    assertArrayEquals(new byte[] {(byte) 0x81, 0x05}, Bytes.hex("81|05"));
    assertArrayEquals(new byte[] {(byte) 0xab}, Bytes.hex(" A_B "));
    assertThrows(IllegalArgumentException.class, () -> Bytes.hex("123"));
    assertEquals("00 01", Bytes.toHex(new byte[] {0, 1}));
    String longHex = Bytes.toHex(new byte[100]);
    assertTrue(longHex.endsWith("00 ... (100 bytes)"), longHex);
    byte[] pattern = Bytes.pattern(1024);
    for (int i = 0; i + 4 < pattern.length; i++) {
      assertNotEquals(pattern[i], pattern[i + 4], "no period of 4 at " + i);
    }
  }

  private static ByteArrayInputStream in(String hex) {
    return new ByteArrayInputStream(Bytes.hex(hex));
  }
}
