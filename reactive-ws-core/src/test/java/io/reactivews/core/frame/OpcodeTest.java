package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6455 section 5.2, the opcode table; section 5.5, control frames have the high bit. */
class OpcodeTest {

  @Test
  void definedOpcodesHaveTheirWireValues() {
    assertEquals(0x0, Opcode.CONTINUATION.code());
    assertEquals(0x1, Opcode.TEXT.code());
    assertEquals(0x2, Opcode.BINARY.code());
    assertEquals(0x8, Opcode.CLOSE.code());
    assertEquals(0x9, Opcode.PING.code());
    assertEquals(0xA, Opcode.PONG.code());
  }

  @Test
  void everyFourBitValueMapsToItsOpcodeOrNull() {
    for (int code = 0; code < 16; code++) {
      Opcode opcode = Opcode.fromCode(code);
      boolean reserved = (code >= 0x3 && code <= 0x7) || code >= 0xB;
      if (reserved) {
        assertNull(opcode, "0x" + Integer.toHexString(code) + " is reserved");
      } else {
        assertEquals(code, opcode.code());
        assertSame(opcode, Opcode.valueOf(opcode.name()));
      }
    }
  }

  @Test
  void valuesOutsideFourBitsAreNotOpcodes() {
    assertNull(Opcode.fromCode(-1));
    assertNull(Opcode.fromCode(16));
    assertNull(Opcode.fromCode(0x81));
  }

  @Test
  void controlOpcodesAreCloseAndPingAndPong() {
    for (Opcode opcode : Opcode.values()) {
      boolean control = opcode == Opcode.CLOSE || opcode == Opcode.PING || opcode == Opcode.PONG;
      assertEquals(control, opcode.isControl(), opcode.name());
      assertEquals(!control, opcode.isData(), opcode.name());
    }
    assertTrue(Opcode.PING.isControl());
    assertFalse(Opcode.CONTINUATION.isControl());
  }
}
