package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame.Length;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** The frame builder writes what RFC 6455 section 5.2 says, including what it forbids. */
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
  void everyLengthForm() {
    assertEquals("81 7e 00 02 68 69", RawFrame.text("hi").length(Length.BITS_16).hex());
    assertEquals("81 7f 00 00 00 00 00 00 00 02 68 69",
        RawFrame.text("hi").length(Length.BITS_64).hex());
    assertEquals("82 7e 01 00", Bytes.toHex(RawFrame.binary(new byte[256]).header()));
    assertEquals("82 7f 00 00 00 00 00 01 00 00",
        Bytes.toHex(RawFrame.binary(new byte[65536]).header()));
    assertThrows(IllegalStateException.class,
        () -> RawFrame.binary(new byte[126]).length(Length.BITS_7).bytes());
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
  void anyBitsAndOpcodes() {
    assertEquals("f3 00", RawFrame.of(0x3, new byte[0]).rsv(7).hex());
    assertEquals("0f 00", RawFrame.of(0xF, new byte[0]).fin(false).hex());
    assertEquals("88 82 00 00 00 00 03 e8", RawFrame.close(1000, "").masked(0).hex());
    assertThrows(IllegalArgumentException.class, () -> RawFrame.of(16, new byte[0]));
  }

  @Test
  void maskingIsByteByByteWithTheKeyHighByteFirst() {
    RawFrame frame = RawFrame.binary(Bytes.hex("00 00 00 00 00 00")).masked(0x01020304);
    assertArrayEquals(Bytes.hex("01 02 03 04 01 02"), frame.wirePayload());
    assertArrayEquals(Bytes.hex("00 00 00 00 00 00"), frame.payload());
    assertEquals(0x01020304, frame.key());
    assertEquals("82 06", Bytes.toHex(frame.unmasked().header()));
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
}
